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
from reporting.tips.related.models import Case, FingerprintCount, FingerprintRun, TipFingerprint

__all__ = [
    "Agency",
    "AgencyContact",
    "AreaFigures",
    "Case",
    "Evidence",
    "ExportJob",
    "FingerprintCount",
    "FingerprintRun",
    "Message",
    "Referral",
    "RefusedReferralLink",
    "ServiceLevel",
    "SessionTarget",
    "SpentReplyForm",
    "Tip",
    "TipFingerprint",
    "TipHistory",
    "TipSearchToken",
    "TriageDraft",
]
