"""Django finds an app's models here: the tips' and the exports' models live in their own packages
(reporting/tips/models.py, reporting/exports/models.py) and keep the app label `reporting`."""

from reporting.exports.models import ExportJob
from reporting.tips.conversation.models import Message
from reporting.tips.models import (
    Agency,
    AgencyContact,
    Evidence,
    Referral,
    RefusedReferralLink,
    ServiceLevel,
    Tip,
    TipHistory,
    TipSearchToken,
    TriageDraft,
)

__all__ = [
    "Agency",
    "AgencyContact",
    "Evidence",
    "ExportJob",
    "Message",
    "Referral",
    "RefusedReferralLink",
    "ServiceLevel",
    "Tip",
    "TipHistory",
    "TipSearchToken",
    "TriageDraft",
]
