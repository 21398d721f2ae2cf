"""Referrals: an officer hands a tip to an agency; the agency, through a link that needs no account,
confirms it received it and reports an outcome. Every step is a tip history entry and an audit entry.

The link carries a random token signed with the site's key (a tampered link is refused before the
database is asked); only the token's SHA-256 is stored, so nobody can rebuild a link from the database,
and a link expires (PIMPASA_REFERRAL_LINK_DAYS, 30 by default) or is revoked by an officer.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from reporting.referrals.models import Agency, Referral, RefusedReferralLink
from reporting.tips import scoping as tip_scoping
from reporting.tips.models import Evidence, Tip, TipHistory
from reporting.tips.services import identity as identity_service
from reporting.tips.services import tips as tip_service

from . import working_days

Kind = TipHistory.Kind
Outcome = Referral.Outcome
Reason = RefusedReferralLink.Reason

LINK_SALT = "reporting.referral-link"
REFER_PERMISSION = "reporting.add_referral"


class ReferralError(ValidationError):
    """A referral step the tip's or referral's state forbids; the message is for the person acting."""


class LinkRefused(Exception):
    """An agency link that opens nothing: every reason gets the same page, the reason is only counted."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Sharing:
    """What the officer chose to show the agency."""

    summary: str
    share_category: bool = True
    share_area: bool = True
    evidence: list = field(default_factory=list)
    share_identity: bool = False


# --- links -----------------------------------------------------------------------------------------


def _signer():
    return signing.Signer(salt=LINK_SALT)


def hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_token():
    """(hash to store, signed token for the URL); the raw token exists only in the URL."""
    raw = secrets.token_urlsafe(32)
    return hash_token(raw), _signer().sign(raw)


def link_url(signed_token):
    """The absolute link an agency opens: always the Indonesian page, always the public address."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("referrals:agency", kwargs={"token": signed_token})
    return settings.PIMPASA_PUBLIC_URL + path


def open_link(signed_token):
    """The referral a link opens, or LinkRefused with why (for counting only, never for showing)."""
    try:
        raw = _signer().unsign(signed_token)
    except signing.BadSignature:
        raise LinkRefused(Reason.TAMPERED) from None
    referral = (
        Referral.objects.select_related("tip", "tip__area", "tip__office", "agency")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if referral is None:
        raise LinkRefused(Reason.UNKNOWN)
    if referral.is_revoked:
        raise LinkRefused(Reason.REVOKED)
    if referral.expires_at <= timezone.now():
        raise LinkRefused(Reason.EXPIRED)
    return referral


def count_refusal(reason):
    """One more refused link today for `reason` (a row per day and reason; no personal data)."""
    day = working_days.today()
    counter, _created = RefusedReferralLink.objects.get_or_create(day=day, reason=reason)
    RefusedReferralLink.objects.filter(pk=counter.pk).update(count=F("count") + 1)


def refused_links_since(days):
    since = working_days.today() - timedelta(days=days)
    return sum(RefusedReferralLink.objects.filter(day__gt=since).values_list("count", flat=True))


# --- who may do what ---------------------------------------------------------------------------------


def can_refer(user, tip):
    """Officers refer the tips they may triage (their areas' and sessions'); supervisors any tip."""
    return user.has_perm(REFER_PERMISSION) and tip_service.can_change(user, tip)


def referable_agencies(tip):
    """Active agencies working with the tip's office (or with every office), those covering the tip's
    area (or every area) first."""
    with_office = Agency.offices.through.objects.filter(agency_id=OuterRef("pk"), office_id=tip.office_id)
    with_any_office = Agency.offices.through.objects.filter(agency_id=OuterRef("pk"))
    agencies = Agency.objects.filter(is_active=True).filter(Exists(with_office) | ~Exists(with_any_office))
    if tip.area_id is None:
        return agencies.order_by("name")
    covering = Agency.areas.through.objects.filter(agency_id=OuterRef("pk"), area_id=tip.area_id)
    covers_any = Agency.areas.through.objects.filter(agency_id=OuterRef("pk"))
    return agencies.annotate(
        fit=Case(
            When(Exists(covering), then=Value(0)),
            When(~Exists(covers_any), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("fit", "name")


def identity_consented(tip):
    return tip.has_identity and tip.identity_consent_at is not None and tip.purged_at is None


def shows_identity(referral):
    """The agency sees who reported only with a supervisor's approval and the reporter's consent."""
    return referral.identity_approved_by_id is not None and identity_consented(referral.tip)


# --- the office's side -------------------------------------------------------------------------------


def _record(tip, user, kind, referral, *, audit_action, note="", audit_data=None, **fields):
    entry = TipHistory.objects.create(tip=tip, kind=kind, actor=user, referral=referral, note=note, **fields)
    data = {"history": entry.pk, "referral": str(referral.pk), "agency": referral.agency.name}
    log(tip, audit_action, user=user, data={**data, **(audit_data or {})})
    return entry


def mail_agency(referral, template, context, *, user, audit_data=None):
    """One message to every contact of the agency, in Indonesian, audited on the tip: the e-mail
    templates reporting/referrals/email/<template>.txt and <template>_subject.txt, with `context`."""
    recipients = list(referral.agency.contacts.values_list("email", flat=True))
    if not recipients:
        raise ReferralError(_("This agency has no e-mail address: add one first."), code="no_contact")
    with translation.override(settings.LANGUAGE_CODE):
        context = {"referral": referral, "agency": referral.agency, **context}
        subject = render_to_string(f"reporting/referrals/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"reporting/referrals/email/{template}.txt", context)
    send_mail(subject, body, None, recipients)
    log(
        referral.tip,
        "reporting.referral.mailed",
        user=user,
        data={
            "referral": str(referral.pk),
            "message": template,
            "recipients": len(recipients),
            **(audit_data or {}),
        },
    )


@transaction.atomic
def refer(tip, user, agency, sharing, *, link_days=None):
    """Hand `tip` to `agency`, sharing only what `sharing` says; e-mail the agency its link.

    Returns (referral, link): the link exists only in this return value and the message.
    """
    if not can_refer(user, tip):
        raise PermissionDenied
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    if tip.status in tip_service.FINAL_STATUSES:
        raise ReferralError(_("Reopen the tip before referring it."), code="tip_closed")
    if not agency.is_active:
        raise ReferralError(_("This agency no longer takes referrals."), code="agency_inactive")
    if (
        tip.referrals.filter(agency=agency, revoked_at__isnull=True)
        .exclude(outcome__in=Referral.FINAL_OUTCOMES)
        .exists()
    ):
        raise ReferralError(
            _("This tip is already with %(agency)s and waiting for its answer."),
            code="already_referred",
            params={"agency": agency.name},
        )
    if not sharing.summary.strip():
        raise ReferralError(_("Write the summary the agency will read."), code="no_summary")
    evidence = list(
        Evidence.objects.filter(
            tip=tip, pk__in=[item.pk for item in sharing.evidence], state=Evidence.State.READY
        ).exclude(file="")
    )
    if len(evidence) != len(sharing.evidence):
        raise ReferralError(_("Only this tip's own evidence can be shared."), code="foreign_evidence")
    if sharing.share_identity and not identity_consented(tip):
        raise ReferralError(
            _("The reporter did not agree to be contacted: their identity cannot be shared."),
            code="no_consent",
        )
    # A supervisor's own referral approves the identity at once; an officer's waits for one.
    approve_now = sharing.share_identity and tip_scoping.may_reveal_identity(user)
    now = timezone.now()
    token_hash, signed = _new_token()
    referral = Referral.objects.create(
        tip=tip,
        agency=agency,
        summary=sharing.summary.strip(),
        shares_category=sharing.share_category,
        shares_area=sharing.share_area,
        identity_requested=sharing.share_identity,
        identity_approved_by=user if approve_now else None,
        identity_approved_at=now if approve_now else None,
        token_hash=token_hash,
        expires_at=now + timedelta(days=link_days or settings.PIMPASA_REFERRAL_LINK_DAYS),
        sent_by=user,
    )
    referral.shared_evidence.set(evidence)
    old_status = tip.status
    if tip.status != Tip.Status.FORWARDED:
        tip_service.transition_to(tip, Tip.Status.FORWARDED)
    _record(
        tip,
        user,
        Kind.REFERRED,
        referral,
        from_status=old_status,
        to_status=Tip.Status.FORWARDED,
        note=str(agency.name),
        audit_action="reporting.referral.sent",
        audit_data={"evidence": len(evidence), "identity": approve_now},
    )
    link = link_url(signed)
    mail_agency(referral, "link", {"link": link}, user=user)
    return referral, link


@transaction.atomic
def renew_link(referral, user, *, link_days=None):
    """A new link for a referral whose message was lost or whose link expired; the old one dies."""
    if not tip_service.can_change(user, referral.tip) or not user.has_perm(REFER_PERMISSION):
        raise PermissionDenied
    referral = Referral.objects.select_for_update().select_related("tip", "agency").get(pk=referral.pk)
    if referral.is_revoked:
        raise ReferralError(
            _("A revoked referral cannot get a new link; refer the tip again."), code="revoked"
        )
    token_hash, signed = _new_token()
    referral.token_hash = token_hash
    referral.expires_at = timezone.now() + timedelta(days=link_days or settings.PIMPASA_REFERRAL_LINK_DAYS)
    referral.save(update_fields=["token_hash", "expires_at"])
    log(referral.tip, "reporting.referral.renewed", user=user, data={"referral": str(referral.pk)})
    link = link_url(signed)
    mail_agency(referral, "link", {"link": link}, user=user, audit_data={"renewed": True})
    return referral, link


@transaction.atomic
def revoke(referral, user):
    if not tip_service.can_change(user, referral.tip):
        raise PermissionDenied
    referral = Referral.objects.select_for_update().select_related("tip", "agency").get(pk=referral.pk)
    if referral.is_revoked:
        return referral
    referral.revoked_at = timezone.now()
    referral.revoked_by = user
    referral.save(update_fields=["revoked_at", "revoked_by"])
    _record(referral.tip, user, Kind.REFERRAL_REVOKED, referral, audit_action="reporting.referral.revoked")
    return referral


@transaction.atomic
def approve_identity(referral, user):
    """A supervisor lets the agency see who reported (only if the reporter consented to be contacted)."""
    if not tip_scoping.may_reveal_identity(user) or not tip_scoping.can_see_tip(user, referral.tip):
        raise PermissionDenied
    referral = Referral.objects.select_for_update().select_related("tip", "agency").get(pk=referral.pk)
    if not referral.identity_requested:
        raise ReferralError(_("Nobody asked to share the identity with this agency."), code="not_requested")
    if not identity_consented(referral.tip):
        raise ReferralError(
            _("The reporter did not agree to be contacted: their identity cannot be shared."),
            code="no_consent",
        )
    if referral.identity_approved_by_id is None:
        referral.identity_approved_by = user
        referral.identity_approved_at = timezone.now()
        referral.save(update_fields=["identity_approved_by", "identity_approved_at"])
        _record(
            referral.tip, user, Kind.REFERRAL_IDENTITY, referral, audit_action="reporting.referral.identity"
        )
    return referral


# --- the agency's side -------------------------------------------------------------------------------


def shared_content(referral):
    """Exactly what the agency may see: nothing of the tip beyond what the officer ticked."""
    tip = referral.tip
    content = {
        "summary": referral.summary,
        "category": tip.get_category_display() if referral.shares_category else None,
        "area": tip.area if referral.shares_area else None,
        "rw": tip.rw if referral.shares_area else "",
        "evidence": list(
            referral.shared_evidence.filter(state=Evidence.State.READY)
            .exclude(file="")
            .select_related("tip")
            .order_by("created_at", "id")
        ),
        # The reporter's later messages an officer shared, one by one (reporting.tips.conversation).
        "messages": list(referral.shared_messages.filter(author="reporter").order_by("created_at", "id")),
        "identity": None,
    }
    if shows_identity(referral):
        content["identity"] = identity_service.decrypt_identity(tip.reporter_identity)
    return content


def record_view(referral):
    """Every opening of the agency page is in the tip's audit log (no account: the link is the who)."""
    log(
        referral.tip,
        "reporting.referral.viewed",
        user=None,
        data={
            "referral": str(referral.pk),
            "agency": referral.agency.name,
            "identity": shows_identity(referral),
        },
    )


@transaction.atomic
def acknowledge(referral, received_by):
    """The agency confirms receipt, naming who received it. A second confirmation changes nothing."""
    received_by = received_by.strip()
    if not received_by:
        raise ReferralError(_("Write the name of who received it."), code="no_name")
    referral = Referral.objects.select_for_update().select_related("tip", "agency").get(pk=referral.pk)
    if referral.acknowledged_at is not None:
        return referral
    referral.acknowledged_at = timezone.now()
    referral.acknowledged_by_name = received_by
    referral.save(update_fields=["acknowledged_at", "acknowledged_by_name"])
    _record(
        referral.tip,
        None,
        Kind.REFERRAL_RECEIVED,
        referral,
        note=received_by,
        audit_action="reporting.referral.acknowledged",
    )
    return referral


@transaction.atomic
def report_outcome(referral, outcome, text):
    """The agency says where the matter stands; "not our matter" hands the tip back with its reason."""
    text = text.strip()
    if not text:
        raise ReferralError(_("Write a few words about the outcome."), code="no_text")
    referral = Referral.objects.select_for_update().select_related("tip", "agency").get(pk=referral.pk)
    if referral.acknowledged_at is None:
        raise ReferralError(_("Confirm that you received the tip first."), code="not_acknowledged")
    if referral.is_finished:
        raise ReferralError(_("The outcome has already been reported."), code="finished")
    referral.outcome = outcome
    referral.outcome_text = text
    referral.outcome_at = timezone.now()
    referral.save(update_fields=["outcome", "outcome_text", "outcome_at"])
    _record(
        referral.tip,
        None,
        Kind.REFERRAL_OUTCOME,
        referral,
        note=f"{Outcome(outcome).label}: {text}",
        audit_action="reporting.referral.outcome",
        audit_data={"outcome": outcome},
    )
    return referral


def open_shared_evidence(referral, evidence_id):
    """(evidence, open file) for a file that was shared with this referral, audited; None otherwise."""
    item = (
        referral.shared_evidence.filter(state=Evidence.State.READY)
        .exclude(file="")
        .filter(pk=evidence_id)
        .select_related("tip")
        .first()
    )
    if item is None:
        return None
    log(
        referral.tip,
        "reporting.referral.evidence_opened",
        user=None,
        data={"referral": str(referral.pk), "agency": referral.agency.name, "evidence": str(item.pk)},
    )
    return item, item.file.open("rb")


# --- what the reporter sees ---------------------------------------------------------------------------


def public_referrals(tip):
    """The referrals the status page lists as plain lines (agency and dates, never the agency's text)."""
    return tip.referrals.filter(revoked_at__isnull=True).select_related("agency").order_by("sent_at", "id")
