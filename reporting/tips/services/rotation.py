"""Key rotation: everything encrypted re-encrypted with the newest PIMPASA_FERNET_KEYS key, and the
search index rebuilt with the newest PIMPASA_SEARCH_INDEX_KEYS key.

Run as `manage.py rotate_encryption_keys` (the old name `rotate_reporter_keys` still works) after
putting a new key in front of the old one; remove the old key once it reports nothing left. Every
step skips what is already under the newest key, so running it again is cheap (idempotent) and an
interrupted run is finished by the next one (resumable). It may run beside the live site.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings

from pimpasa import blind_index
from pimpasa.encryption import convert_column, encrypted_fields, rewrap_folder, rotate_token
from reporting.tips.models import Tip, TipSearchToken, TriageDraft
from reporting.tips.related.services import fingerprints as related_fingerprints

INDEX_BATCH = 200


@dataclass
class Rotated:
    columns: dict = field(default_factory=dict)  # "model.field" -> values re-encrypted
    files: int = 0
    files_unchanged: int = 0
    tips_reindexed: int = 0
    tips_refingerprinted: int = 0

    @property
    def values(self):
        return sum(self.columns.values())


def encrypted_columns():
    """(model, field name) of every encrypted value: the encrypted fields of every installed model,
    the reporter identity (a Fernet token kept as it is, decrypted only on a supervisor's reveal) and
    officers' unsaved triage drafts (sealed tokens; a rotated token keeps its time, so its expiry)."""
    columns = [(Tip, "reporter_identity"), (TriageDraft, "sealed")]
    for model in apps.get_models():
        columns += [(model, each.name) for each in encrypted_fields(model)]
    return columns


def rotate_values(rotated):
    for model, name in encrypted_columns():
        column = model._meta.get_field(name).column
        rotated.columns[f"{model._meta.label}.{name}"] = convert_column(model, column, rotate_token)


def rotate_files(rotated):
    """Every encrypted file under the private storage folder: evidence, exports, whatever comes."""
    rotated.files, rotated.files_unchanged = rewrap_folder(settings.PRIVATE_STORAGE_ROOT)


def stale_index():
    """Tips with words indexed under an older index key (`--rebuild-index` takes every tip)."""
    older = TipSearchToken.objects.exclude(key_id=blind_index.key_id()).values("tip_id")
    return Tip.objects.filter(pk__in=older)


def rebuild_index(rotated=None, *, everything=False):
    """Index again the tips indexed with an older key (every tip with `everything`), in batches."""
    rotated = rotated or Rotated()
    tips = Tip.objects.all() if everything else stale_index()
    last = None
    while True:
        batch = tips.order_by("pk")
        if last is not None:
            batch = batch.filter(pk__gt=last)
        batch = list(
            batch.only("pk", "description", "people_involved", "address", "occurred_when")[:INDEX_BATCH]
        )
        if not batch:
            return rotated
        for tip in batch:
            TipSearchToken.index(tip)
        rotated.tips_reindexed += len(batch)
        last = batch[-1].pk


def rotate_keys(*, rebuild_everything=False):
    """The whole rotation, in an order that keeps everything readable at each step."""
    rotated = Rotated()
    rotate_values(rotated)
    rotate_files(rotated)
    rebuild_index(rotated, everything=rebuild_everything)
    # The related tips' fingerprints are under the search index's keys too.
    rotated.tips_refingerprinted = related_fingerprints.refingerprint_stale()
    return rotated
