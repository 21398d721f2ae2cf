"""Retention (UU 27/2022: personal data kept no longer than needed). Once a session ended more than
PIMPASA_ATTENDANCE_RETENTION_DAYS ago, its attendees' names, phone numbers and addresses are erased;
what the programme reports on (gender, age group, RW, institution, how and when they came) stays."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from events.models import Attendance, Guest


@transaction.atomic
def anonymise_expired(now=None):
    """The daily task: erase personal details of attendance past retention; returns how many rows."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PIMPASA_ATTENDANCE_RETENTION_DAYS)
    still_personal = ~Q(name="") | ~Q(phone="") | ~Q(address="")
    erased = (
        Attendance.objects.filter(session__ends_at__lt=cutoff)
        .filter(still_personal)
        .update(name="", phone="", address="", nonce="")
    )
    Guest.objects.filter(session__ends_at__lt=cutoff).filter(~Q(name="") | ~Q(phone="")).update(
        name="", phone=""
    )
    return erased
