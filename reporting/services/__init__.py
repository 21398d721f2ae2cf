"""Business rules of the reporting app, one module per concern; views, admin views and tasks call these."""
