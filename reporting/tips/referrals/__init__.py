"""Tips handed to other agencies (BP3MI, Polri, Disnaker, ...) and the deadlines that follow a tip."""
