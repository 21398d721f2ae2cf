"""The tips related to one tip: those sharing any of its fingerprints, with what they share (the kind,
never the value) and how strongly, in a constant number of queries whatever the number of tips.

1. the tip's own fingerprints;
2. the other tips' rows with any of those tokens, leaving out a token more than
   PIMPASA_RELATED_MAX_TIPS_PER_VALUE tips share (a document-frequency cap: the number printed on every
   leaflet, a common first name, a crowded RW link nothing), as counted by the worker
   (FingerprintCount), so a common token is never read row by row on the request;
3. of those tips, the ones the officer may see (pimpasa.scoping.tips_for), with their case.

Score: each shared value adds its weight (a phone number 3, an organisation or a street address 2, a
name or an RW 1); a photo adds 3 when its hash is at most photos.STRONG_DISTANCE bits from one of the
tip's photos, 1 up to photos.WEAK_DISTANCE, nothing beyond. Strong from 3, medium 2, weak 1.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reporting.tips import scoping as tip_scoping
from reporting.tips.related.models import FingerprintCount, FingerprintRun, TipFingerprint

from . import extraction, photos

Kind = TipFingerprint.Kind
STRENGTHS = {3: ("strong", _("Strong")), 2: ("medium", _("Medium")), 1: ("weak", _("Weak"))}
# The order kinds are listed in.
LISTED_FIELDS = ("id", "category", "status", "created_at", "area__name", "case__id", "case__status")
KIND_ORDER = [Kind.PHONE, Kind.ORGANISATION, Kind.PHOTO, Kind.ADDRESS, Kind.NAME]


@dataclass
class Link:
    """One related tip the officer may see: what it shares (kinds, each once) and how strongly."""

    tip: object
    score: int = 0
    kinds: set = field(default_factory=set)

    @property
    def strength(self):
        return STRENGTHS[min(self.score, 3)][0]

    @property
    def strength_label(self):
        return STRENGTHS[min(self.score, 3)][1]

    @property
    def kind_labels(self):
        labels = dict(Kind.choices)
        return [labels[kind] for kind in KIND_ORDER if kind in self.kinds]


@dataclass
class Related:
    links: list  # Link, strongest first, at most PIMPASA_RELATED_SHOWN
    more: int  # related tips the officer may see beyond those listed
    outside: int  # related tips outside the officer's scope (a count, nothing else)
    run: object  # the worker's FingerprintRun of the tip, None before it ran

    @property
    def total(self):
        return len(self.links) + self.more + self.outside


def scores(tip):
    """{other tip's id: (score, kinds)} of every tip sharing something with `tip` (2 queries)."""
    own = list(TipFingerprint.objects.filter(tip=tip).values_list("kind", "token", "photo_hash"))
    if not own:
        return {}
    own_photos = defaultdict(set)
    for kind, token, photo_hash in own:
        if kind == Kind.PHOTO:
            own_photos[token].add(photo_hash)
    # A token more tips carry than the cap links nothing; the worker keeps the counts.
    usable = FingerprintCount.objects.filter(
        token__in=[token for _kind, token, _hash in own],
        tips__lte=settings.PIMPASA_RELATED_MAX_TIPS_PER_VALUE,
    ).values("token")
    matches = (
        TipFingerprint.objects.filter(token__in=usable)
        .exclude(tip_id=tip.pk)
        .values_list("tip_id", "kind", "token", "weight", "evidence_id", "photo_hash")
    )
    found = defaultdict(lambda: [0, set(), set()])  # tip id -> [score, kinds, photos counted]
    for tip_id, kind, token, weight, evidence_id, photo_hash in matches:
        entry = found[tip_id]
        if kind == Kind.PHOTO:
            if evidence_id in entry[2]:
                continue  # this photo already counted through another band
            closest = min(photos.distance(photo_hash, mine) for mine in own_photos[token])
            if closest <= photos.STRONG_DISTANCE:
                weight = extraction.STRONG
            elif closest <= photos.WEAK_DISTANCE:
                weight = extraction.WEAK
            else:
                continue
            entry[2].add(evidence_id)
        entry[0] += weight
        entry[1].add(kind)
    return {tip_id: (score, kinds) for tip_id, (score, kinds, _photos) in found.items()}


def related_tips(tip, user, shown=None):
    """What the tip's page shows of its related tips to `user` (4 queries, however many there are)."""
    shown = settings.PIMPASA_RELATED_SHOWN if shown is None else shown
    run = FingerprintRun.objects.filter(tip=tip).first()
    found = scores(tip)
    visible = []
    if found:
        # Only what the panel shows: the tips' encrypted text is neither read nor decrypted.
        tips = (
            tip_scoping.tips_for(user)
            .filter(pk__in=list(found))
            .select_related("case", "area")
            .only(*LISTED_FIELDS)
        )
        visible = [Link(other, *found[other.pk]) for other in tips]
    visible.sort(key=lambda link: (-link.score, -link.tip.created_at.timestamp()))
    return Related(
        links=visible[:shown],
        more=max(len(visible) - shown, 0),
        outside=len(found) - len(visible),
        run=run,
    )
