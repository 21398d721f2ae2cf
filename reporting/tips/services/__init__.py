"""Business rules of tips, one module per concern; views, admin views, tasks and commands call these."""
