"""Wagtail looks for hooks only in an app's own `wagtail_hooks` module: this one hands over to the
packages, each of which registers its own menu, views, panels and audit log actions."""

from reporting.dashboard import wagtail_hooks as dashboard_hooks  # noqa: F401  (the admin home's panels)
from reporting.exports import wagtail_hooks as export_hooks  # noqa: F401  (the "Ekspor" menu)
from reporting.monitoring import wagtail_hooks as monitoring_hooks  # noqa: F401  (the "Pemantauan" menu)
from reporting.referrals import wagtail_hooks as referral_hooks  # noqa: F401  (the "Instansi" menu)
from reporting.tips import wagtail_hooks as tip_hooks  # noqa: F401  (the "Laporan" menu)
from reporting.tips.conversation import wagtail_hooks as conversation_hooks  # noqa: F401  (audit names)
from reporting.tips.related import wagtail_hooks as related_hooks  # noqa: F401  (the "Kasus" menu, audit names)
