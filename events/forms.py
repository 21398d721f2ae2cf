"""Forms for the attendee's check-in and the officers' tools. Rules stay in services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from events.services.checkin import AttendeeDetails
from pimpasa.phones import EXAMPLE_HELP, normalise_mobile
from pimpasa.text import StorableTextMixin

from .models import Attendance, Guest, Session


class AttendeeDetailsMixin:
    """A form that names a person: what it gives the check-in service, once valid."""

    def attendee_details(self):
        return AttendeeDetails.from_cleaned_data(self.cleaned_data)


class CheckinForm(AttendeeDetailsMixin, StorableTextMixin, forms.Form):
    """What an attendee types on their own phone: the minimum the programme needs (UU PDP)."""

    name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(
        label=_("Phone number (WhatsApp)"),
        max_length=30,
        help_text=EXAMPLE_HELP,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Attendance.Gender.choices, widget=forms.RadioSelect)
    age_group = forms.ChoiceField(
        label=_("Age group"), choices=[("", "—")] + list(Attendance.AgeGroup.choices)
    )
    rw = forms.CharField(label=_("RW"), max_length=10, required=False, help_text=_("For example: 17"))
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    institution = forms.CharField(
        label=_("Institution"),
        max_length=150,
        required=False,
        help_text=_("Only if you come on behalf of an agency or organisation"),
    )
    consent = forms.BooleanField(label=_("I agree"), required=True)

    # RW, address and institution: each may be left empty, one of them must be given. They are one
    # group on the page, and the group (not each field) carries the message.
    WHERE_FIELDS = ("rw", "address", "institution")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A shared phone checks in a family: the browser must neither restore the last person's
        # details (Back) nor keep them to offer the next one (autofill). The form says so too.
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "off"

    def clean_phone(self):
        return normalise_mobile(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(field) for field in self.WHERE_FIELDS):
            raise ValidationError(_("Fill in your RW, your address or your institution."), code="where")
        return cleaned

    @property
    def where_error(self):
        return self.has_error(forms.forms.NON_FIELD_ERRORS, "where")

    def full_clean(self):
        """Django marks a field in error aria-invalid and ties it to its message; the RW that opens
        the "where" group is tied to the group's message, and the first field to fix is focused when
        the page opens again (autofocus: no JavaScript needed)."""
        super().full_clean()
        in_error = [name for name in self.fields if name in self.errors]
        if self.where_error:
            in_error.append("rw")
            self.fields["rw"].widget.attrs.update({"aria-invalid": "true", "aria-describedby": "where-error"})
        first = next((name for name in self.fields if name in in_error), None)
        if first is not None:
            self.fields[first].widget.attrs["autofocus"] = True


class OptionalPhoneMixin:
    """Officers' forms: a phone may be left out, and one given is stored as +62…."""

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return normalise_mobile(phone) if phone else ""


def officer_consent_field():
    """The officer's statement that the person agreed: recorded with the officer's name, never assumed."""
    return forms.BooleanField(
        label=_("Consent given to me"),
        required=True,
        help_text=_(
            "The person agreed that their details are recorded, after I explained the privacy notice "
            "to them. Without their consent, do not record them."
        ),
        error_messages={"required": _("Record the person only once they have agreed.")},
    )


class AttendanceDetailsForm(AttendeeDetailsMixin, StorableTextMixin, OptionalPhoneMixin, forms.ModelForm):
    """An entry's details, as an officer corrects them; the phone is optional."""

    class Meta:
        model = Attendance
        fields = ["name", "phone", "gender", "age_group", "rw", "address", "institution"]


class WalkInForm(AttendanceDetailsForm):
    """An officer adds someone by hand (the grandmother without a phone), with their consent."""

    consent = officer_consent_field()


class GuestForm(AttendeeDetailsMixin, OptionalPhoneMixin, forms.ModelForm):
    consent = officer_consent_field()

    class Meta:
        model = Guest
        fields = ["name", "institution", "phone", "gender", "age_group"]


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["minutes"]


class TicketForm(forms.Form):
    ticket = forms.CharField(
        label=_("Ticket code"),
        max_length=200,
        help_text=_("Scan the guest's ticket QR, or type or paste the code printed under it."),
    )


class FieldEntryFields(forms.Form):
    """What every field-mode entry carries besides its details: the id the phone made (a fresh one
    per rendering without JavaScript) and when the officer wrote it (the phone's clock; empty: now)."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    made_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)


class FieldWalkInForm(FieldEntryFields, WalkInForm):
    pass


class FieldTicketForm(FieldEntryFields, TicketForm):
    pass
