"""Tips raised by residents: models, the rules of their life (services/), the public form and status
pages (forms, views, urls), triage in the Wagtail admin (admin_views, wagtail_hooks), the retention
schedule and demo tips. Templates in templates/reporting/tips/."""
