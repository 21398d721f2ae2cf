"""The reporter's answer on the status page: words, files, or both."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pimpasa.text import StorableTextMixin
from reporting.tips.forms import EvidenceField
from reporting.tips.services import evidence as evidence_service

from . import services


class ReplyForm(StorableTextMixin, forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off", "maxlength": services.MAX_CHARS}),
        help_text=_(
            "You stay anonymous: there is no need to write your name or number. Do not put yourself at risk."
        ),
    )
    evidence = EvidenceField(
        label=_("Add photos, videos or documents"),
        required=False,
        help_text=_("Up to 5 files of 10 MB each (JPEG, PNG, WebP, PDF, MP4, MOV)."),
    )

    def __init__(self, *args, tip=None, upload_errors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tip = tip
        self.upload_errors = list(upload_errors)
        self.prepared_files = []

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        if len(body) > services.MAX_CHARS:
            raise forms.ValidationError(
                _("The message is too long: at most %(max)d characters (it has %(count)d)."),
                code="too_long",
                params={"max": services.MAX_CHARS, "count": len(body)},
            )
        return body

    def clean_evidence(self):
        # The same checks and cleaning as the tip form's files (reporting.tips.services.evidence).
        files = self.cleaned_data.get("evidence") or []
        if self.upload_errors:
            raise forms.ValidationError(self.upload_errors)
        if self.tip is not None:
            services.check_late_files(self.tip, len(files))
        self.prepared_files = evidence_service.prepare_all(files)
        return files

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("body") and not self.prepared_files:
            raise forms.ValidationError(_("Write an answer or add a file."), code="empty")
        return cleaned
