"""Business rules of referrals, one module per concern, imported directly
(`from reporting.referrals.services import clocks`); this file re-exports nothing."""
