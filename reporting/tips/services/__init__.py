"""Business rules of tips, one module per concern, imported directly
(`from reporting.tips.services import tips as tip_service`); this file re-exports nothing. Views,
admin views, tasks and commands call these."""
