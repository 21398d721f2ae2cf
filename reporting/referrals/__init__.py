"""Tips handed to other agencies (BP3MI, Polri, Disnaker, ...) and the deadlines that follow a tip:
models (agencies, service levels, referrals), the rules (services/: referrals, clocks, working_days,
escalation), the agency's page reached by a link (forms, views, urls), the back office (viewsets: the
"Agencies" menu; admin_views: referring a tip, the deadline column and panel; wagtail_hooks), the
escalation schedule (bootstrap) and demo referrals. Templates in templates/reporting/referrals/.

Referrals build on tips; tips never import referrals (an import contract in pyproject.toml), except
the tips list's deadline column and overdue filter, named there."""
