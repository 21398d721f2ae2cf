"""Consent as proof, not as a flag: who agreed, to which privacy notice, how and when.

Every door that records a person (the resident's own form, an officer's walk-in, a guest registered
for a ticket, field mode) builds one of these and hands it to the check-in service; nothing is
recorded with consent assumed.
"""

from dataclasses import dataclass

from django.utils import timezone

from cms.privacy import current_notice
from events.models import ConsentMethod


@dataclass(frozen=True)
class Consent:
    method: str  # ConsentMethod
    notice_revision: int | None  # the privacy notice's live revision (cms.privacy)
    given_to: object = None  # the officer it was told to (ConsentMethod.OFFICER)
    at: object = None  # when; None: at the moment it is recorded

    def fields(self, now=None):
        """The ConsentRecord fields of a row recording this consent."""
        return {
            "consent_at": self.at or now or timezone.now(),
            "consent_method": self.method,
            "consent_notice_revision": self.notice_revision,
            "consent_given_to": self.given_to,
        }


def consent_on_form(language=None):
    """The resident ticked the consent box next to the privacy notice in `language` (the active one)."""
    return Consent(method=ConsentMethod.FORM, notice_revision=current_notice(language).revision_id)


def consent_to_officer(officer, language=None, at=None):
    """The person told `officer` they agree (the officer explained or showed the privacy notice)."""
    if officer is None or not officer.is_authenticated:
        raise ValueError("Consent given to an officer must name the officer.")
    return Consent(
        method=ConsentMethod.OFFICER,
        notice_revision=current_notice(language).revision_id,
        given_to=officer,
        at=at,
    )


def consent_of_guest(guest):
    """A guest's consent, as the officer recorded it when registering the guest (None if not)."""
    if not guest.consent_at:
        return None
    return Consent(
        method=guest.consent_method or ConsentMethod.OFFICER,
        notice_revision=guest.consent_notice_revision,
        given_to=guest.consent_given_to,
        at=guest.consent_at,
    )
