"""Tips: a date range, by status, category and area; who reported them only for those allowed to know."""

from django import forms
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reporting.exports import scoping as export_scoping
from reporting.tips import scoping as tip_scoping
from reporting.tips.conversation.models import Message
from reporting.tips.models import Evidence, Tip
from reporting.tips.related.models import Case
from reporting.tips.services.identity import decrypt_identity

from .base import CHUNK_SIZE, Column, Sheet, TableExporter, labels
from .referral_sheet import referral_count, referral_sheet
from .registry import register

DATE_TIME = "dd/mm/yyyy hh:mm"

TIP_FIELDS = (
    "created_at",
    "id",
    "category",
    "status",
    "area__name",
    "area__kecamatan",
    "rw",
    "address",
    "occurred_when",
    "description",
    "people_involved",
    "session__title",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__username",
    "closed_at",
    "is_anonymous",
    "reporter_identity",
    "message_count",
    "late_evidence_count",
    "case_id",
)


def _count_per_tip(queryset):
    """A subquery counting `queryset`'s rows of the outer tip (0 for none): one query for every tip."""
    counted = (
        queryset.filter(tip=OuterRef("pk")).order_by().values("tip").annotate(n=Count("pk", distinct=True))
    )
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


def with_conversation_counts(queryset):
    """The conversation with the reporter in figures (never its words): messages both ways, and the
    files the reporter added after the tip."""
    return queryset.annotate(
        message_count=_count_per_tip(Message.objects.all()),
        late_evidence_count=_count_per_tip(Evidence.objects.filter(messages__isnull=False)),
    )


def case_number(case_id):
    """The case a tip was grouped into, as officers call it ("K-00042"); "" for none."""
    return Case(pk=case_id).number if case_id else ""


def tips_for(user):
    """Tips `user` may export: those they may see; every tip for the monthly schedule (user None)."""
    return Tip.objects.all() if user is None else tip_scoping.tips_for(user)


def tip_columns(with_identity):
    columns = [
        Column(_("Received at"), 17, DATE_TIME),
        Column(_("Tip"), 10),
        Column(_("Category"), 24),
        Column(_("Status"), 16),
        Column(_("Area"), 20),
        Column(_("Kecamatan"), 18),
        Column(_("RW"), 6),
        Column(_("Address or place"), 28),
        Column(_("When"), 18),
        Column(_("What happened"), 50),
        Column(_("Who is involved"), 30),
        Column(_("Session"), 28),
        Column(_("Assigned officer"), 20),
        Column(_("Closed at"), 17, DATE_TIME),
        Column(_("Anonymous"), 10),
        Column(_("Messages with the reporter"), 12),
        Column(_("Files added later"), 12),
        Column(_("Case"), 10),
    ]
    if with_identity:
        columns += [Column(_("Reporter's name"), 24), Column(_("Reporter's contact"), 20)]
    return columns


def tip_rows(queryset, *, with_identity):
    """One tuple per tip, streamed; identities decrypted in memory only when asked for."""
    categories = labels(Tip.Category.choices)
    statuses = labels(Tip.Status.choices)
    yes, no = _("Yes"), _("No")
    rows = (
        with_conversation_counts(queryset)
        .order_by("created_at", "pk")
        .values_list(*TIP_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for row in rows:
        officer = " ".join(part for part in (row[12], row[13]) if part) or row[14]
        values = (
            row[0],
            str(row[1]).split("-")[0].upper(),
            categories.get(row[2], row[2]),
            statuses.get(row[3], row[3]),
            row[4],
            row[5],
            row[6],
            row[7],
            row[8],
            row[9],
            row[10],
            row[11],
            officer,
            row[15],
            yes if row[16] else no,
            row[18],
            row[19],
            case_number(row[20]),
        )
        if with_identity:
            identity = decrypt_identity(row[17]) if row[17] else {}
            values += (identity.get("name", ""), identity.get("contact", ""))
        yield values


class TipsExporter(TableExporter):
    identifier = "tips"
    verbose_name = gettext_lazy("Tips")
    description = gettext_lazy(
        "Tips received in a date range, by status, category and area; who reported them only for "
        "those allowed to see it."
    )
    permission = "reporting.export_tips"

    @classmethod
    def filter_fields(cls, user):
        return {
            "date_from": forms.DateField(
                label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            ),
            "date_to": forms.DateField(
                label=gettext_lazy("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            ),
            "statuses": forms.MultipleChoiceField(
                label=gettext_lazy("Statuses"),
                choices=Tip.Status.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=gettext_lazy("None ticked: every status."),
            ),
            "categories": forms.MultipleChoiceField(
                label=gettext_lazy("Categories"),
                choices=Tip.Category.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=gettext_lazy("None ticked: every category."),
            ),
            "areas": forms.ModelMultipleChoiceField(
                label=gettext_lazy("Areas"),
                queryset=export_scoping.export_areas_for(user),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=gettext_lazy("None ticked: every area, and tips with no area."),
            ),
        }

    @classmethod
    def clean_filters(cls, cleaned_data):
        date_from, date_to = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError(_("The range must not end before it starts."))
        return cleaned_data

    def title(self):
        return _("Tips")

    @property
    def with_identity(self):
        return self.user is not None and tip_scoping.may_reveal_identity(self.user)

    @property
    def columns(self):
        return tip_columns(self.with_identity)

    def queryset(self):
        start, end = self.day_bounds(self.filters["date_from"], self.filters["date_to"])
        tips = tips_for(self.user).filter(created_at__gte=start, created_at__lt=end)
        if self.filters.get("statuses"):
            tips = tips.filter(status__in=self.filters["statuses"])
        if self.filters.get("categories"):
            tips = tips.filter(category__in=self.filters["categories"])
        if self.filters.get("areas"):
            tips = tips.filter(area__in=self.filters["areas"])
        return tips

    def count(self):
        return self.queryset().count() + referral_count(self.queryset())

    def rows(self):
        return tip_rows(self.queryset(), with_identity=self.with_identity)

    def sheets(self):
        # The tips, then their referrals to agencies (one row each: a tip may go to several).
        tips = Sheet(title=self.title(), columns=self.columns, rows=self.rows, count=self.queryset().count())
        return [tips, referral_sheet(self.queryset())]


register(TipsExporter)
