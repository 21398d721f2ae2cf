"""Forms of the public tip pages and of the triage actions in the admin."""

import secrets

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import validate_email
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from events.models import Area, Session
from pimpasa import phones
from pimpasa.text import StorableTextMixin
from reporting.tips.models import Tip, TipHistory
from reporting.tips.services import evidence as evidence_service
from reporting.tips.services.tips import TRANSITIONS, Seen, Submission, seen_state

# Sessions a tip can name: anything that really took place or is about to.
REPORTABLE_SESSION_STATUSES = [Session.Status.SCHEDULED, Session.Status.ONGOING, Session.Status.FINISHED]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Up to five files; each is checked by reporting.tips.services.evidence, not here."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf,video/mp4,video/quicktime"}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(EvidenceField, self).clean(item, initial) for item in files]


class AreaChoiceIterator(forms.models.ModelChoiceIterator):
    """The areas grouped by their office (an <optgroup> each) once there are several offices, so a
    resident sees whose villages they choose from; one query, as the plain list."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups = {}
        for area in self.queryset:
            groups.setdefault(area.office, []).append(self.choice(area))
        if len(groups) == 1:
            yield from next(iter(groups.values()))
        else:
            for office, choices in groups.items():
                yield (office.name, choices)


class AreaChoiceField(forms.ModelChoiceField):
    iterator = AreaChoiceIterator


def _consent_label():
    return format_html(
        '{} <a href="{}">{}</a>',
        _("I agree that my name and contact are stored, encrypted, so that an officer can contact me."),
        getattr(settings, "PIMPASA_PRIVACY_URL", "/privasi/"),
        _("How we protect your data"),
    )


class TipForm(StorableTextMixin, forms.Form):
    # Carried from the session's thank-you page. An id that names no reportable session is dropped
    # rather than refused: the reporter cannot see or fix a hidden field.
    session = forms.CharField(required=False, widget=forms.HiddenInput)
    category = forms.ChoiceField(
        label=_("What is it about?"), choices=Tip.Category.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Tell it in your own words: what you saw or heard, and how you know."),
    )
    # The tip goes to the chosen area's office (reporting.tips.services.tips.office_for); the form has
    # no office field, and an id that names no area is refused with a message, never trusted.
    area = AreaChoiceField(
        label=_("Kelurahan / desa"),
        queryset=Area.objects.select_related("office").order_by(
            "office__name", "province", "city", "kecamatan", "name"
        ),
        required=False,
        empty_label=_("Not sure / elsewhere"),
        error_messages={
            "invalid_choice": _(
                "This kelurahan or desa is not on our list. Choose one from the list, or “Not sure / "
                "elsewhere”."
            )
        },
    )
    address = forms.CharField(label=_("Address or place"), max_length=250, required=False)
    rw = forms.CharField(label=_("RW"), max_length=10, required=False)
    occurred_when = forms.CharField(
        label=_("When?"),
        max_length=100,
        required=False,
        help_text=_("A date, or words such as “since last month”."),
    )
    people_involved = forms.CharField(
        label=_("Who is involved?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Names, nicknames, company or agency, vehicle, what they look like. Only what you know."),
    )
    evidence = EvidenceField(
        label=_("Evidence"),
        required=False,
        help_text=_(
            "Up to 5 files of at most 10 MB each: photos (JPEG, PNG, WebP), PDF or video (MP4, MOV). Location, device and author details are removed before they are stored."
        ),
    )
    wants_contact = forms.BooleanField(label=_("An officer may contact me"), required=False)
    reporter_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    reporter_contact = forms.CharField(label=_("Phone / WhatsApp or e-mail"), max_length=150, required=False)
    consent = forms.BooleanField(label=lazy(_consent_label, str)(), required=False)
    # Hidden from people by CSS; bots that fill every field fill this one too.
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, upload_errors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_errors = list(upload_errors)
        self.prepared_files = []
        # A shared phone: the browser must neither restore what the last person typed (Back) nor keep
        # it to offer the next one (autofill). The form says so too; each field says it for browsers
        # that look at fields only.
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "off"
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1"})
        self.fields["area"].label_from_instance = lambda area: f"{area.name}, {area.kecamatan}"

    @staticmethod
    def find_session(raw):
        # int(), not isdigit(): "²" is a digit to Python but no number (int() raises on it).
        try:
            pk = int(str(raw or ""))
        except ValueError:
            return None
        if not 0 < pk < 2**63:  # beyond a bigint the database itself would fail
            return None
        return (
            Session.objects.filter(pk=pk, status__in=REPORTABLE_SESSION_STATUSES)
            .select_related("area__office")
            .first()
        )

    def clean_session(self):
        return self.find_session(self.cleaned_data.get("session"))

    @property
    def is_bot(self):
        return bool(self.data.get("homepage"))

    def clean_evidence(self):
        files = self.cleaned_data.get("evidence") or []
        if self.upload_errors:
            raise forms.ValidationError(self.upload_errors)
        self.prepared_files = evidence_service.prepare_all(files)
        return files

    def clean_reporter_contact(self):
        """A phone number (stored in E.164, like every number in the project) or an e-mail address."""
        contact = self.cleaned_data.get("reporter_contact", "").strip()
        if not contact:
            return ""
        try:
            if "@" in contact:
                validate_email(contact)
                return contact
            return phones.normalise_any(contact)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Enter a phone number, for example 0812 3456 7890, or an e-mail address."), code="contact"
            ) from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("wants_contact"):
            if not (cleaned.get("reporter_name", "").strip() and cleaned.get("reporter_contact", "").strip()):
                self.add_error(
                    "reporter_contact",
                    _("Give your name and a phone number or e-mail, or untick “An officer may contact me”."),
                )
            if not cleaned.get("consent"):
                self.add_error("consent", _("Tick this box so that we may store your name and contact."))
        return cleaned

    def submission(self):
        data = self.cleaned_data
        identified = data.get("wants_contact") and data.get("consent")
        return Submission(
            category=data["category"],
            description=data["description"],
            session=data.get("session"),
            area=data.get("area"),
            address=data.get("address", ""),
            rw=data.get("rw", ""),
            occurred_when=data.get("occurred_when", ""),
            people_involved=data.get("people_involved", ""),
            reporter_name=data.get("reporter_name", "") if identified else "",
            reporter_contact=data.get("reporter_contact", "") if identified else "",
            consent=bool(identified),
        )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your tracking code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("For example: K7QM-4XPD-9RTV-WB2H"),
    )


# --- admin triage actions --------------------------------------------------------------------------


class TriageForm(forms.Form):
    """Everything decided on a tip in one form and one save (status, officer, notes, forwarding,
    duplicate), so nothing typed in one part is lost to another part's button.

    The search for the original of a duplicate is a button of this same form: it shows the matches
    and keeps everything typed, without saving anything.
    """

    status = forms.ChoiceField(label=_("Status"), choices=())
    assigned_to = forms.ModelChoiceField(
        label=_("Assigned officer"), queryset=None, required=False, empty_label=_("Nobody")
    )
    note = forms.CharField(
        label=_("Internal note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    public_note = forms.CharField(
        label=_("Note for the reporter"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the status page to whoever holds the code. No names, no details."),
    )
    # The conversation with the reporter (reporting.tips.conversation): a message typed here is sent
    # with the same Save, in the same transaction as the rest; its length is checked there.
    message = forms.CharField(
        label=_("Message to the reporter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Sent when you press Save. The reporter reads it on the status page with their code, from "
            "“the officer”, never with your name, and can answer and add files there."
        ),
    )
    # Its choices are the conversation's common questions, set by the tip's page (the conversation
    # package builds on these forms, not the other way round).
    question = forms.ChoiceField(label=_("Common question"), required=False, choices=())
    closing_note = forms.CharField(
        label=_("Note for the reporter on closing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    forward_to = forms.ChoiceField(
        label=_("Forward to"),
        required=False,
        choices=[("", _("Not forwarded"))] + TipHistory.ForwardTarget.choices,
        help_text=_("Forwarding makes the status “Forwarded”."),
    )
    original_q = forms.CharField(
        label=_("Find the original tip: its id, a tracking code or words of it"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    duplicate_of = forms.ModelChoiceField(
        label=_("Duplicate of"),
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        empty_label=_("Not a duplicate"),
        blank=True,  # a radio to take a wrongly chosen original back
        help_text=_("Marking a duplicate closes this tip and links it to the original."),
    )
    # What the page showed when it was loaded: a save made from an outdated page is refused
    # (reporting.tips.services.tips.StaleTriage) instead of undoing what happened meanwhile.
    seen_history = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    seen_status = forms.CharField(required=False, max_length=16, widget=forms.HiddenInput)
    seen_assigned_to = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    SEEN_FIELDS = ("seen_history", "seen_status", "seen_assigned_to")

    def __init__(self, *args, tip, officers, candidates, **kwargs):
        kwargs.setdefault("initial", {})
        seen = seen_state(tip)
        kwargs["initial"] = {
            "status": tip.status,
            "assigned_to": tip.assigned_to_id,
            "seen_history": seen.history_id,
            "seen_status": seen.status,
            "seen_assigned_to": seen.assigned_to,
            **kwargs["initial"],
        }
        super().__init__(*args, **kwargs)
        # The current status first and selected (saving it changes nothing), then where it may go.
        allowed = TRANSITIONS[Tip.Status(tip.status)]
        current = Tip.Status(tip.status)
        self.fields["status"].choices = [
            (current.value, _("%(status)s (unchanged)") % {"status": current.label})
        ] + [(status.value, status.label) for status in Tip.Status if status in allowed]
        self.fields["assigned_to"].queryset = officers
        self.fields["assigned_to"].label_from_instance = lambda user: (
            user.get_full_name() or user.get_username()
        )
        self.fields["duplicate_of"].queryset = candidates
        self.fields["duplicate_of"].label_from_instance = lambda other: (
            f"{other.short_id} · {other.get_category_display()} · {other.created_at:%d-%m-%Y} · "
            f"{other.description[:80]}"
        )

    def seen(self):
        """The Seen the bound form carries; None for a form posted without it (not one of our pages:
        the tip page always carries it), which is then checked only against the tip's current state."""
        data = self.cleaned_data
        if data.get("seen_history") is None:
            return None
        return Seen(
            history_id=data.get("seen_history") or 0,
            status=data.get("seen_status") or None,
            assigned_to=data.get("seen_assigned_to")
            if self.add_prefix("seen_assigned_to") in self.data
            else None,
        )

    def show_candidates(self, candidates):
        """After validation, offer only these tips as originals (the search's matches), not every
        tip the officer may see, which validation had to accept."""
        self.fields["duplicate_of"].queryset = candidates


class RevealIdentityForm(forms.Form):
    """Why a supervisor needs to see who reported a tip; the reason goes into the audit log."""

    REASONS = [
        ("contact", _("To contact the reporter about their tip")),
        ("verify", _("To verify the tip with the reporter")),
        ("protect", _("To protect the reporter")),
        ("authority", _("A request from the police or a court")),
        ("other", _("Another reason (write it below)")),
    ]
    reason = forms.ChoiceField(label=_("Why do you need to see who reported this?"), choices=REASONS)
    details = forms.CharField(label=_("Reason in your own words"), required=False, max_length=500)
    confirm = forms.BooleanField(
        label=_("I understand that this view is recorded with my name and my reason."),
        error_messages={"required": _("Confirm that the view is recorded.")},
    )
    # One value per page view: the identity is shown for it once, so a reload (the browser posting
    # the form again) neither shows the identity again nor records another view.
    once = forms.CharField(widget=forms.HiddenInput, required=False)

    ONCE_SALT = "reporting.reveal-once"
    ONCE_MAX_AGE = 12 * 3600

    def __init__(self, *args, tip, **kwargs):
        super().__init__(*args, **kwargs)
        self.tip = tip
        self.fields["once"].initial = signing.dumps(
            {"tip": str(tip.pk), "once": secrets.token_urlsafe(16)}, salt=self.ONCE_SALT
        )

    def clean_once(self):
        try:
            value = signing.loads(self.cleaned_data["once"], salt=self.ONCE_SALT, max_age=self.ONCE_MAX_AGE)
        except signing.BadSignature:
            value = None
        if not isinstance(value, dict) or value.get("tip") != str(self.tip.pk):
            raise forms.ValidationError(
                _("This page was opened too long ago: reload the tip's page and ask again."), code="once"
            )
        return value["once"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == "other" and not cleaned.get("details", "").strip():
            self.add_error("details", _("Write the reason."))
        return cleaned

    def reason_text(self):
        label = str(dict(self.REASONS)[self.cleaned_data["reason"]])
        details = self.cleaned_data.get("details", "").strip()
        return f"{label}: {details}" if details else label
