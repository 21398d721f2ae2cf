"""Tips raised by residents: models, the rules of their life (services/), the public form and status
pages (forms, views, urls), triage in the Wagtail admin (viewsets: the list; admin_views: a tip's page;
wagtail_hooks) and the retention schedule. Templates in templates/reporting/tips/."""
