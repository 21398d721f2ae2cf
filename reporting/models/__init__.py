from reporting.referrals.models import Agency, AgencyContact, Referral, RefusedReferralLink, ServiceLevel

from .exports import ExportJob
from .tips import Evidence, Tip, TipHistory

__all__ = [
    "Agency",
    "AgencyContact",
    "Evidence",
    "ExportJob",
    "Referral",
    "RefusedReferralLink",
    "ServiceLevel",
    "Tip",
    "TipHistory",
]
