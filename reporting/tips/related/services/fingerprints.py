"""The task worker's part: what a tip says, found in its text, the "who is involved" field, the address,
the reporter's later messages and its photos, kept as keyed fingerprints (TipFingerprint).

It runs in the worker after the tip (or a reporter's answer, or a cleaned photo) is committed, never
in the request that files the tip: `queue(tip_id)`. It looks at the whole tip each time (so it may run
twice, or late, with the same result), keeps a photo's hash once computed, and records what it could
not do (a photo it could not read, a text with nothing to compare) on FingerprintRun, never failing
the tip.

Tokens are HMACs under the newest search index key (pimpasa.blind_index, PIMPASA_SEARCH_INDEX_KEYS), of
"related:<kind>:<value>": without the key a token tells nothing of the number or name; a key rotation
(`rotate_encryption_keys`) fingerprints again the tips whose rows carry an older key.

Never fingerprinted: the office's own numbers (the site settings' hotlines, office phone and WhatsApp
number, and PIMPASA_RELATED_STOP_PHONES), which residents quote in every other tip.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_q.tasks import async_task

from pimpasa import blind_index
from reporting.tips.models import Evidence, Tip
from reporting.tips.related.models import FingerprintCount, FingerprintRun, TipFingerprint

from . import extraction, photos

logger = logging.getLogger(__name__)

TASK = "reporting.tips.related.services.fingerprints.fingerprint_tip"
Kind = TipFingerprint.Kind
Note = FingerprintRun.Note


def queue(tip_id):
    """Fingerprint the tip in the worker once the current transaction has committed."""
    tip_id = str(tip_id)
    transaction.on_commit(
        lambda: async_task(
            TASK, tip_id, task_name=f"related-{tip_id}-{timezone.now():%H%M%S%f}", group="related"
        )
    )


def stop_phones():
    """The numbers never fingerprinted, in E.164: the office's own lines (site settings) and
    PIMPASA_RELATED_STOP_PHONES."""
    from cms.site_settings import ContactSettings

    typed = list(getattr(settings, "PIMPASA_RELATED_STOP_PHONES", []))
    for contact in ContactSettings.objects.all():
        typed += [contact.office_phone, contact.whatsapp_number]
        typed += [block.value.get("number", "") for block in contact.hotlines]
    return {number for number in map(extraction.normalise_phone, typed) if number}


def token(kind, value, key=None):
    """The keyed fingerprint of one value of one kind."""
    return blind_index.digest(f"related:{kind}:{value}", key or blind_index.keys()[0])


def text_found(tip, stop=None):
    """What the tip's words say (Found values): its text, the people involved, the address, its RW in
    its area, and the reporter's later messages."""
    # The reporter's messages (conversation.models.Message.Author.REPORTER), read through the tip so
    # that this package needs nothing of the conversation's.
    answers = tip.messages.filter(author="reporter").values_list("body", flat=True)
    return extraction.found_in(
        texts=[tip.description, tip.occurred_when, *answers],
        people_involved=tip.people_involved,
        address=tip.address,
        area_id=tip.area_id,
        rw=tip.rw,
        stop_phones=stop_phones() if stop is None else stop,
    )


def photo_hashes(tip, known):
    """{evidence id: hash} of the tip's readable photos, and whether one could not be read. A photo
    hashed before (`known`) is not decrypted again; a purged one is left out."""
    hashes, unreadable = {}, False
    images = Evidence.objects.filter(
        tip=tip, state=Evidence.State.READY, purged_at__isnull=True, content_type__startswith="image/"
    ).exclude(file="")
    for item in images:
        if item.pk in known:
            hashes[item.pk] = known[item.pk]
            continue
        try:
            with item.file.open("rb") as handle:
                hashes[item.pk] = photos.dhash(handle.read())
        except (photos.Unhashable, OSError) as error:
            logger.info("Evidence %s could not be hashed: %s", item.pk, type(error).__name__)
            unreadable = True
    return hashes, unreadable


def rows_for(tip, found, hashes):
    key = blind_index.keys()[0]
    key_id = blind_index.key_id(key)
    rows = {}
    for each in found:
        digest = token(each.kind, each.value, key)
        rows.setdefault(
            digest, TipFingerprint(tip=tip, kind=each.kind, token=digest, key_id=key_id, weight=each.weight)
        )
    for evidence_id, value in hashes.items():
        for band in photos.bands(value):
            digest = token(Kind.PHOTO, band, key)
            rows.setdefault(
                digest,
                TipFingerprint(
                    tip=tip,
                    evidence_id=evidence_id,
                    kind=Kind.PHOTO,
                    token=digest,
                    key_id=key_id,
                    weight=extraction.STRONG,
                    photo_hash=value,
                ),
            )
    return list(rows.values())


def fingerprint_tip(tip_id, stop=None):
    """The task: replace the tip's fingerprints with what it says now. Returns the FingerprintRun, or
    None for a tip that no longer exists. Never raises for what a resident sent."""
    tip = Tip.objects.filter(pk=tip_id).first()
    if tip is None:
        return None
    notes = []
    try:
        known = {
            row.evidence_id: row.photo_hash
            for row in TipFingerprint.objects.filter(tip=tip, kind=Kind.PHOTO).exclude(photo_hash="")
        }
        hashes, unreadable = photo_hashes(tip, known)
        if unreadable:
            notes.append(Note.PHOTO_UNREADABLE)
        rows = rows_for(tip, text_found(tip, stop), hashes)
    except Exception:
        # A bug must not cost the tip: it is recorded as looked at, with nothing found, and logged.
        logger.exception("Tip %s could not be fingerprinted", tip_id)
        rows = []
    if not rows:
        notes.append(Note.NOTHING_FOUND)
    with transaction.atomic():
        before = set(TipFingerprint.objects.filter(tip=tip).values_list("token", flat=True))
        TipFingerprint.objects.filter(tip=tip).delete()
        TipFingerprint.objects.bulk_create(rows)
        count_tips(before | {row.token for row in rows})
        run, _created = FingerprintRun.objects.update_or_create(
            tip=tip, defaults={"done_at": timezone.now(), "found": len(rows), "notes": ",".join(notes)}
        )
    return run


def count_tips(tokens):
    """Store how many tips carry each of `tokens` now (FingerprintCount); a token no tip carries any
    more is forgotten."""
    counted = dict(
        TipFingerprint.objects.filter(token__in=tokens)
        .values("token")
        .annotate(tips=Count("tip_id", distinct=True))
        .values_list("token", "tips")
    )
    FingerprintCount.objects.bulk_create(
        [FingerprintCount(token=token, tips=tips) for token, tips in counted.items()],
        update_conflicts=True,
        unique_fields=["token"],
        update_fields=["tips"],
    )
    FingerprintCount.objects.filter(token__in=set(tokens) - set(counted)).delete()


def stale_tips():
    """Tips with fingerprints under an older index key (after a key rotation)."""
    older = TipFingerprint.objects.exclude(key_id=blind_index.key_id()).values("tip_id")
    return Tip.objects.filter(pk__in=older)


def refingerprint_stale(batch=200):
    """Fingerprint again every tip whose rows carry an older key (photos from their kept hashes, not
    decrypted again); returns how many. Part of `rotate_encryption_keys`."""
    stop = stop_phones()
    done = 0
    while True:
        ids = list(stale_tips().order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return done
        for tip_id in ids:
            fingerprint_tip(tip_id, stop)
        done += len(ids)


def forget_photos(tip):
    """A purged tip's photos are gone: so are their hashes."""
    photos_of = TipFingerprint.objects.filter(tip=tip, kind=Kind.PHOTO)
    tokens = set(photos_of.values_list("token", flat=True))
    photos_of.delete()
    count_tips(tokens)
