"""Attendance: one session, or every session in a date range, for some areas and kinds of session."""

from django import forms
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Attendance, Session
from reporting.exports import scoping as export_scoping

from .base import CHUNK_SIZE, Column, TableExporter, labels
from .registry import register

DATE_TIME = "dd/mm/yyyy hh:mm"


def attendance_columns():
    return [
        Column(_("Session date"), 17, DATE_TIME),
        Column(_("Session"), 32),
        Column(_("Kind of session"), 20),
        Column(_("Area"), 20),
        Column(_("Kecamatan"), 18),
        Column(_("City / regency"), 18),
        Column(_("Name"), 26),
        Column(_("Phone"), 16),
        Column(_("Gender"), 10),
        Column(_("Age group"), 10),
        Column(_("RW"), 6),
        Column(_("Address"), 30),
        Column(_("Institution"), 24),
        Column(_("How they came in"), 22),
        Column(_("Checked in at"), 17, DATE_TIME),
        Column(_("Consent given at"), 17, DATE_TIME),
    ]


ATTENDANCE_FIELDS = (
    "session__starts_at",
    "session__title",
    "session__kind",
    "session__area__name",
    "session__area__kecamatan",
    "session__area__city",
    "name",
    "phone",
    "gender",
    "age_group",
    "rw",
    "address",
    "institution",
    "source",
    "checked_in_at",
    "consent_at",
)


def attendance_rows(queryset):
    """Yield one tuple per attendance of `queryset`, choice codes turned into their labels.

    One query, streamed in chunks: related names come through the join in `values_list`.
    """
    kinds = labels(Session.Kind.choices)
    genders = labels(Attendance.Gender.choices)
    age_groups = labels(Attendance.AgeGroup.choices)
    sources = labels(Attendance.Source.choices)
    rows = (
        queryset.order_by("session__starts_at", "session_id", "checked_in_at", "pk")
        .values_list(*ATTENDANCE_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for row in rows:
        yield (
            row[0],
            row[1],
            kinds.get(row[2], row[2]),
            row[3],
            row[4],
            row[5],
            row[6],
            row[7],
            genders.get(row[8], row[8]),
            age_groups.get(row[9], row[9]),
            row[10],
            row[11],
            row[12],
            sources.get(row[13], row[13]),
            row[14],
            row[15],
        )


class AttendanceExporter(TableExporter):
    identifier = "attendance"
    verbose_name = gettext_lazy("Attendance")
    description = gettext_lazy(
        "Everyone who attended one session, or the sessions of a date range in chosen areas."
    )
    permission = "reporting.export_attendance"

    @classmethod
    def filter_fields(cls, user):
        areas = export_scoping.export_areas_for(user)
        return {
            "session": forms.ModelChoiceField(
                label=gettext_lazy("Session"),
                queryset=Session.objects.filter(area__in=areas).select_related("area"),
                required=False,
                help_text=gettext_lazy("Choose one session, or leave empty and give a date range."),
            ),
            "date_from": forms.DateField(
                label=gettext_lazy("From"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            ),
            "date_to": forms.DateField(
                label=gettext_lazy("Until"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            ),
            "areas": forms.ModelMultipleChoiceField(
                label=gettext_lazy("Areas"),
                queryset=areas,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=gettext_lazy("None ticked: every area you may export."),
            ),
            "kinds": forms.MultipleChoiceField(
                label=gettext_lazy("Kinds of session"),
                choices=Session.Kind.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=gettext_lazy("None ticked: every kind."),
            ),
        }

    @classmethod
    def clean_filters(cls, cleaned_data):
        if cleaned_data.get("session"):
            return cleaned_data
        date_from, date_to = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if not (date_from and date_to):
            raise forms.ValidationError(_("Choose one session, or give both dates of a range."))
        if date_from > date_to:
            raise forms.ValidationError(_("The range must not end before it starts."))
        return cleaned_data

    def title(self):
        return _("Attendance")

    def period(self):
        session = self.filters.get("session")
        if session:  # one session: its day and its title say which
            day = timezone.localtime(session.starts_at, self.time_zone)
            return f"{day:%Y-%m-%d}-{slugify(session.title)[:40].strip('-')}"
        return super().period()

    @property
    def columns(self):
        return attendance_columns()

    def queryset(self):
        attendances = Attendance.objects.filter(session__area__in=export_scoping.export_areas_for(self.user))
        session = self.filters.get("session")
        if session:
            return attendances.filter(session=session)
        start, end = self.day_bounds(self.filters["date_from"], self.filters["date_to"])
        attendances = attendances.filter(session__starts_at__gte=start, session__starts_at__lt=end)
        if self.filters.get("areas"):
            attendances = attendances.filter(session__area__in=self.filters["areas"])
        if self.filters.get("kinds"):
            attendances = attendances.filter(session__kind__in=self.filters["kinds"])
        return attendances

    def count(self):
        return self.queryset().count()

    def rows(self):
        return attendance_rows(self.queryset())


register(AttendanceExporter)
