"""Retention (UU 27/2022: personal data kept no longer than needed): once a tip has been closed or
found not actionable for PIMPASA_TIP_RETENTION_DAYS, the reporter's identity, the evidence files
(those the reporter added later too), the conversation with the reporter and any officer's unsaved
triage draft of it are deleted. The tip itself stays (what happened, where, its history) for the office's statistics.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from reporting.tips.models import Tip, TipHistory, TriageDraft
from reporting.tips.related.services import fingerprints as related_fingerprints

from .evidence import delete_file, refuse_stuck
from .tips import FINAL_STATUSES


def tips_due(now=None):
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PIMPASA_TIP_RETENTION_DAYS)
    return Tip.objects.filter(status__in=FINAL_STATUSES, closed_at__lte=cutoff, purged_at__isnull=True)


def purge_tip(tip, now=None):
    """Delete one tip's identity and evidence files; the history and the audit log say so."""
    now = now or timezone.now()
    files = list(tip.evidence.filter(purged_at__isnull=True))
    with transaction.atomic():
        tip.reporter_identity = ""
        tip.purged_at = now
        tip.save(update_fields=["reporter_identity", "purged_at"])
        # The file goes, and so does its original name ("KTP_Budi_Santoso.jpg" names a person); the
        # type, size and SHA-256 stay for the statistics and to prove what was received.
        tip.evidence.filter(pk__in=[item.pk for item in files]).update(
            purged_at=now, file="", original_name=""
        )
        # Every other copy goes too: officers' unsaved triage drafts of this tip (the dashboard's
        # cached figures hold counts and short ids only, and tip pages are never cached).
        TriageDraft.objects.filter(tip=tip).delete()
        # The photos' perceptual hashes go with the photos.
        related_fingerprints.forget_photos(tip)
        # The conversation goes whole (its history entries stay, without any text): the reporter's
        # answers may say who they are.
        messages = tip.messages.count()
        tip.messages.all().delete()
        TipHistory.objects.create(tip=tip, kind=TipHistory.Kind.PURGED)
        log(tip, "reporting.tip.purged", user=None, data={"evidence_files": len(files), "messages": messages})
    # Files go after the rows commit: a failed transaction must not leave rows pointing at nothing.
    for item in files:
        delete_file(item)


def purge_expired(now=None):
    """The daily task: purge every tip past its retention; returns how many tips were purged. Files
    the worker never managed to clean are refused and deleted too (evidence.refuse_stuck)."""
    refuse_stuck(now)
    purged = 0
    for tip in tips_due(now).iterator():
        purge_tip(tip, now)
        purged += 1
    return purged
