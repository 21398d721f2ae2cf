"""Forms of the referral steps: the officer's (which agency, what to share) and the agency's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.tips.models import Evidence

from .models import Referral
from .services.referrals import Sharing, identity_consented, referable_agencies


class ReferralForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, empty_label=_("Choose an agency"))
    summary = forms.CharField(
        label=_("Summary for the agency"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("What the agency reads. Leave out anything that could identify the reporter."),
    )
    share_category = forms.BooleanField(label=_("Share the category"), required=False, initial=True)
    share_area = forms.BooleanField(label=_("Share the area and RW"), required=False, initial=True)
    evidence = forms.ModelMultipleChoiceField(
        label=_("Evidence to share"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each download by the agency is recorded."),
    )
    share_identity = forms.BooleanField(
        label=_("Share the reporter's name and contact"),
        required=False,
        help_text=_(
            "The reporter agreed to be contacted. A supervisor must approve before the agency sees it."
        ),
    )

    def __init__(self, *args, tip, **kwargs):
        super().__init__(*args, **kwargs)
        self.tip = tip
        self.fields["agency"].queryset = referable_agencies(tip)
        self.fields["evidence"].queryset = (
            tip.evidence.filter(state=Evidence.State.READY).exclude(file="").order_by("created_at", "id")
        )
        self.fields["evidence"].label_from_instance = lambda item: (
            f"{item.original_name or item.pk} · {item.content_type}"
        )
        if not self.fields["evidence"].queryset.exists():
            del self.fields["evidence"]
        if not identity_consented(tip):
            del self.fields["share_identity"]
        # The summary starts empty: the officer writes it for the agency. The reporter's own words
        # are shown beside it for reference (refer.html), never put in it ready to send.

    def sharing(self):
        data = self.cleaned_data
        return Sharing(
            summary=data["summary"],
            share_category=data["share_category"],
            share_area=data["share_area"],
            evidence=list(data.get("evidence") or []),
            share_identity=data.get("share_identity", False),
        )


class AcknowledgeForm(forms.Form):
    received_by = forms.CharField(
        label=_("Received by (name and position)"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Referral.Outcome.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("What was done, or why it is not your matter"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
