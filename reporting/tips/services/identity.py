"""The reporter's name and contact, encrypted at rest with Fernet.

Keys come from PIMPASA_FERNET_KEYS (newest first); MultiFernet encrypts with the first and decrypts
with any, so a key is rotated by putting a new one in front and, later, re-encrypting
(`rotate_encryption_keys`, reporting.tips.services.rotation). The same keys encrypt the tip's text and
files (pimpasa.encryption). The plaintext leaves this module only through `reveal_identity`, which checks
the permission and writes an audit entry.
"""

import json

from cryptography.fernet import InvalidToken
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from pimpasa.encryption import fernet
from reporting.tips import scoping as tip_scoping


def encrypt_identity(name, contact):
    payload = json.dumps({"name": name.strip(), "contact": contact.strip()}, ensure_ascii=False)
    return fernet().encrypt(payload.encode()).decode("ascii")


def decrypt_identity(token):
    try:
        return json.loads(fernet().decrypt(token.encode("ascii")))
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A reporter identity cannot be decrypted with the PIMPASA_FERNET_KEYS in use: "
            "a key was removed before the identities it encrypted were rotated."
        ) from error


class AlreadyRevealed(Exception):
    """The identity was already shown for this request (`once`): it is not shown, nor recorded, again."""


VIEWED = "reporting.tip.identity_viewed"


@transaction.atomic
def reveal_identity(tip, user, reason, *, once=""):
    """The reporter's {"name", "contact"} for a supervisor, recorded in the audit log with why it was
    needed; None if anonymous. A reason is required: "because I could" is not one.

    `once` names one request to see it (a value of the page's form): asked again with the same value
    (a reload posting the form again), AlreadyRevealed, and nothing is recorded a second time."""
    if not tip_scoping.may_reveal_identity(user, tip):
        raise PermissionDenied
    if not reason.strip():
        raise ValueError("An identity is revealed only with a reason.")
    # The row lock makes two posts of one form (a double tap) record one view.
    tip = type(tip).objects.select_for_update().get(pk=tip.pk)
    if not tip.reporter_identity:
        return None
    if once and _already_viewed(tip, once):
        raise AlreadyRevealed
    identity = decrypt_identity(tip.reporter_identity)
    data = {"at": timezone.now().isoformat(), "reason": reason.strip()}
    if once:
        data["once"] = once
    log(tip, VIEWED, user=user, data=data)
    return identity


def _already_viewed(tip, once):
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(tip),
        object_id=str(tip.pk),
        action=VIEWED,
        data__once=once,
    ).exists()
