"""Django finds an app's models here: the tips', the referrals' and the exports' models live in their
own packages (reporting/tips/models.py, reporting/referrals/models.py, reporting/exports/models.py) and
keep the app label `reporting`, so one migrations/ folder serves them all."""

from reporting.dashboard.models import AreaFigures
from reporting.exports.models import ExportJob
from reporting.monitoring.models import SessionTarget
from reporting.referrals.models import (
    Agency,
    AgencyContact,
    Referral,
    RefusedReferralLink,
    ServiceLevel,
)
from reporting.tips.conversation.models import Message, SpentReplyForm
from reporting.tips.models import (
    Evidence,
    Tip,
    TipHistory,
    TipSearchToken,
    TriageDraft,
)

__all__ = [
    "Agency",
    "AgencyContact",
    "AreaFigures",
    "Evidence",
    "ExportJob",
    "Message",
    "Referral",
    "RefusedReferralLink",
    "ServiceLevel",
    "SessionTarget",
    "SpentReplyForm",
    "Tip",
    "TipHistory",
    "TipSearchToken",
    "TriageDraft",
]
