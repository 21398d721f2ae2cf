"""The shape every export takes: it declares its filters and yields rows; the writer does the rest.

An exporter never touches openpyxl. It says which filters it accepts (form fields, checked again when
the job runs, so an officer who lost an area since asking cannot export it), which columns it has
(localised headers and widths) and yields plain tuples from streamed querysets. One writer
(`reporting.exports.writer`) turns any exporter's sheets into a workbook.
"""

import datetime
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django import forms
from django.db.models import Model, QuerySet
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

# Rows are read from the database in chunks this size: few round trips, flat memory.
CHUNK_SIZE = 2000
# Whole numbers with a thousands separator, which Excel draws in the reader's own convention
# (1.234 in an Indonesian Excel, 1,234 in an English one).
COUNT_FORMAT = "#,##0"


class ExportError(Exception):
    """A failure the requester can act on; its message is shown to them as is."""


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 14
    # Excel number format for dates, times and counts; None keeps the writer's default for the value's type.
    number_format: str | None = None


@dataclass
class Sheet:
    """One worksheet: a title, its columns, and a callable yielding one tuple per row."""

    title: str
    columns: list[Column]
    rows: object  # callable returning an iterable of tuples
    count: int = 0
    # Rows written after the data rows, outside the autofilter (totals).
    footer: list[tuple] = field(default_factory=list)
    # Called with the finished worksheet and the number of data rows, to add charts.
    decorate: object = None


class Exporter(ABC):
    """Base class: subclasses set the class attributes and say how many rows and which sheets.

    Most exports are one table: derive those from TableExporter and declare columns and rows.

    `filters` is the JSON-ready dict stored on the ExportJob; `user` is the requester (None for the
    scheduled monthly report, which runs with the system's scope).
    """

    # Templates receive exporter classes; they must not try to instantiate them.
    do_not_call_in_templates = True

    identifier = ""
    verbose_name = ""
    description = ""
    permission = ""

    def __init__(self, user, filters, *, time_zone=None, office_id=None):
        self.user = user
        # A scheduled file (no user) is made per office: its records are that office's only.
        self.office_id = office_id
        self.time_zone = time_zone or timezone.get_current_timezone()
        form = self.filter_form(user, data=filters)
        if not form.is_valid():
            raise ExportError(
                _("The filters of this export are no longer valid: %(errors)s")
                % {"errors": form_errors_as_text(form)}
            )
        self.filters = form.cleaned_data

    # --- who and which filters ---------------------------------------------------------------

    @classmethod
    def allowed(cls, user):
        return user is None or user.has_perm(cls.permission)

    @classmethod
    def filter_fields(cls, user):
        """The form fields of this export's filters, limited to what `user` may see."""
        return {}

    @classmethod
    def clean_filters(cls, cleaned_data):
        """Cross-field checks; raise forms.ValidationError with a message for the requester."""
        return cleaned_data

    @classmethod
    def filter_form(cls, user, data=None, initial=None):
        exporter = cls

        class FilterForm(forms.Form):
            def clean(self):
                return exporter.clean_filters(super().clean())

        initial = dict(initial or {})
        form_fields = cls.filter_fields(user)
        if {"date_from", "date_to"} <= form_fields.keys() and not initial.get("session"):
            # A range starts as this month (in WIB), so the first submit already asks for something.
            first, last = this_month()
            initial.setdefault("date_from", first)
            initial.setdefault("date_to", last)
        form = FilterForm(data=data, initial=initial)
        form.fields.update(form_fields)
        return form

    @classmethod
    def serialize_filters(cls, cleaned_data):
        """The form's cleaned data as JSON-ready values, which the form accepts back as data."""
        return {name: _to_json(value) for name, value in cleaned_data.items() if value not in (None, "", [])}

    @classmethod
    def describe_filters(cls, user, filters):
        """The stored filters as the requester would say them: "Areas: Kelurahan Sukamaju; ..."."""
        form = cls.filter_form(user, data=filters)
        form.is_valid()
        cleaned = getattr(form, "cleaned_data", {})
        parts = []
        for name, form_field in form.fields.items():
            value = cleaned.get(name)
            if value in (None, "", []) or (isinstance(value, QuerySet) and not value.exists()):
                continue
            plain_choices = isinstance(form_field, forms.ChoiceField) and not isinstance(
                form_field, forms.ModelChoiceField
            )
            choices = dict(form_field.choices) if plain_choices else {}
            items = list(value) if isinstance(value, QuerySet | list | tuple) else [value]
            shown = ", ".join(str(choices.get(item, _display(item))) for item in items)
            parts.append(f"{form_field.label}: {shown}")
        return "; ".join(parts)

    # --- what comes out ------------------------------------------------------------------------

    def title(self):
        return str(self.verbose_name)

    def period(self):
        """The stretch of time the workbook covers, as it goes into a file name ("2026-11-01_2026-11-30")."""
        date_from, date_to = self.filters.get("date_from"), self.filters.get("date_to")
        if date_from and date_to:
            return f"{date_from:%Y-%m-%d}_{date_to:%Y-%m-%d}"
        return ""

    def file_stem(self):
        """The download's name in the workbook's language, naming the period: "kehadiran-2026-11-01_2026-11-30"."""
        return "-".join(part for part in (slugify(str(self.verbose_name)), self.period()) if part)

    @abstractmethod
    def count(self):
        """How many rows the export writes in all: the job's progress is measured against it."""

    @abstractmethod
    def sheets(self):
        """The workbook's sheets, in order (a list of Sheet)."""

    # --- helpers for subclasses ----------------------------------------------------------------

    def day_bounds(self, first_day, last_day):
        """[start, end) in UTC of whole days in the job's time zone."""
        start = datetime.datetime.combine(first_day, datetime.time.min, tzinfo=self.time_zone)
        end = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min)
        return start, end.replace(tzinfo=self.time_zone)


class TableExporter(Exporter):
    """An export that is one sheet: its columns, and its rows streamed from the database."""

    @property
    @abstractmethod
    def columns(self):
        """The sheet's Column list (localised headers and widths)."""

    @abstractmethod
    def rows(self):
        """Yield one tuple per row, in the order of `columns`."""

    def sheets(self):
        return [Sheet(title=self.title(), columns=self.columns, rows=self.rows, count=self.count())]


def labels(choices):
    """A choices enum as {value: label} in the active language, resolved once per export."""
    return {value: str(label) for value, label in choices}


def form_errors_as_text(form):
    messages = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        prefix = f"{field.label}: " if field is not None and field.label else ""
        messages.extend(prefix + str(error) for error in errors)
    return "; ".join(messages)


def _display(value):
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return value


def _to_json(value):
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, QuerySet | list | tuple):
        return [_to_json(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def this_month(today=None):
    """The first and last day of the current month, by the office's calendar (Asia/Jakarta)."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)
