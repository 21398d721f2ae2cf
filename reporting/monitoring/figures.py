"""The quarter's figures, grouped per office (the national table) or per area of one office (the
drill-down to its Desa Binaan Imigrasi), in a fixed number of queries whatever the number of offices,
areas, sessions or tips: one aggregate per kind of figure, and two plain lists (tips and referrals
without any text) for the working-day deadlines, which are counted in Python on the office's calendar.

A session counts when it is held (scheduled, running or finished, not draft or cancelled) and started
in the quarter, up to now; its attendances are the residents reached. Tips count in the quarter they
came in, referrals in the quarter they were sent, each in its office (Tip.office: the office that has
it now).

Deadlines (reporting.referrals.services.clocks): on each tip received in the quarter, first triage
(the tip leaves "received") and feedback (the first note for the reporter, or the tip closed); on each
referral sent in the quarter and not revoked, the agency's acknowledgement and its outcome. A deadline
is *met* when its step was done on or before its last working day, *missed* when done later or still
not done after it; one still running and not yet due counts neither way.
"""

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from events.models import Attendance, Session
from reporting.referrals.models import Referral
from reporting.referrals.services import clocks, working_days
from reporting.tips.models import Tip, TipHistory
from reporting.tips.services.tips import FINAL_STATUSES

from .models import SessionTarget
from .quarters import zone

HELD = [Session.Status.SCHEDULED, Session.Status.ONGOING, Session.Status.FINISHED]
GENDERS = [code for code, _label in Attendance.Gender.choices]
AGE_GROUPS = [code for code, _label in Attendance.AgeGroup.choices]
CATEGORIES = [code for code, _label in Tip.Category.choices]
OPEN = "open"
REVOKED = "revoked"
# A referral's outcome as the tables show it: still open, each final outcome, revoked.
OUTCOMES = [OPEN, *[str(outcome) for outcome in Referral.FINAL_OUTCOMES], REVOKED]


@dataclass
class Figures:
    """One office's (or one area's) quarter."""

    sessions: int = 0
    sessions_by_month: dict = field(default_factory=dict)
    residents: int = 0
    residents_by_month: dict = field(default_factory=dict)
    gender: dict = field(default_factory=lambda: dict.fromkeys(GENDERS, 0))
    age_group: dict = field(default_factory=lambda: dict.fromkeys(AGE_GROUPS, 0))
    tips: dict = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    referrals: dict = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    deadlines_met: int = 0
    deadlines_missed: int = 0

    @property
    def tip_total(self):
        return sum(self.tips.values())

    @property
    def referral_total(self):
        return sum(self.referrals.values())

    @property
    def deadlines_due(self):
        return self.deadlines_met + self.deadlines_missed

    def to_data(self):
        """As JSON can keep it (reporting.monitoring.summary): the months as ISO dates."""
        data = dataclasses.asdict(self)
        for name in MONTHLY:
            data[name] = {month.isoformat(): n for month, n in data[name].items()}
        return data

    @classmethod
    def from_data(cls, data):
        figures = cls()
        for name, value in data.items():
            if name in MONTHLY:
                value = {datetime.date.fromisoformat(month): n for month, n in value.items()}
            elif isinstance(value, dict):
                # Codes added since the figures were stored count zero; codes since removed are dropped.
                value = {code: value.get(code, 0) for code in getattr(figures, name)}
            setattr(figures, name, value)
        return figures


# The fields counted per month (keyed by the month's first day).
MONTHLY = ("sessions_by_month", "residents_by_month")


def combine(figures_list):
    """The sum of some offices' or areas' Figures (an office is the sum of its areas)."""
    total = Figures()
    for one in figures_list:
        total.sessions += one.sessions
        total.residents += one.residents
        for month, n in one.sessions_by_month.items():
            total.sessions_by_month[month] = total.sessions_by_month.get(month, 0) + n
        for month, n in one.residents_by_month.items():
            total.residents_by_month[month] = total.residents_by_month.get(month, 0) + n
        for target, source in (
            (total.gender, one.gender),
            (total.age_group, one.age_group),
            (total.tips, one.tips),
            (total.referrals, one.referrals),
        ):
            for key, n in source.items():
                target[key] += n
        total.deadlines_met += one.deadlines_met
        total.deadlines_missed += one.deadlines_missed
    return total


@dataclass(frozen=True)
class Grouping:
    """How rows of each kind are narrowed to some offices and keyed to a group: a tuple of the
    office's id, and (per area) the area's id (None for a tip with neither area nor session)."""

    sessions: Q
    session_keys: tuple
    tips: Q
    tip_keys: tuple

    def attendance(self):
        return _prefixed(self.sessions, "session__"), tuple(
            _through(key, "session__") for key in self.session_keys
        )

    def referrals(self):
        return _prefixed(self.tips, "tip__"), tuple(_through(key, "tip__") for key in self.tip_keys)


def _prefixed(condition, prefix):
    children = []
    for child in condition.children:
        if isinstance(child, Q):
            children.append(_prefixed(child, prefix))
        else:
            children.append((prefix + child[0], child[1]))
    return Q(*children, _connector=condition.connector, _negated=condition.negated)


def _through(key, prefix):
    if isinstance(key, F):
        return F(prefix + key.name)
    return Coalesce(*(F(prefix + expression.name) for expression in key.source_expressions))


def per_office(office_ids):
    """Grouped by office (keys: (office id,)), for the offices given."""
    return Grouping(
        sessions=Q(area__office__in=office_ids),
        session_keys=(F("area__office_id"),),
        tips=Q(office__in=office_ids),
        tip_keys=(F("office_id"),),
    )


def per_area(office_ids):
    """Grouped by area within each office (keys: (office id, area id)): a tip by its area, else its
    session's; a tip handed over from another office keeps its area, which is not one of this office's."""
    return Grouping(
        sessions=Q(area__office__in=office_ids),
        session_keys=(F("area__office_id"), F("area_id")),
        tips=Q(office__in=office_ids),
        tip_keys=(F("office_id"), Coalesce(F("area_id"), F("session__area_id"))),
    )


def _keyed(queryset, keys):
    """The queryset annotated with the group's parts (k0, k1, ...) and the names to read them by."""
    names = tuple(f"k{index}" for index in range(len(keys)))
    return queryset.annotate(**dict(zip(names, keys, strict=True))), names


def _key(row, names):
    return tuple(row[name] for name in names)


def collect(grouping, quarter, today=None):
    """{group key: Figures} for the quarter; groups with nothing have no entry."""
    start, end = quarter.bounds()
    held_until = min(end, max(start, timezone.now()))  # sessions count once they have started
    results = defaultdict(Figures)
    _sessions(results, grouping, start, held_until)
    _attendance(results, grouping, start, held_until)
    _tips(results, grouping, start, end)
    _referrals(results, grouping, start, end)
    _deadlines(results, grouping, start, end, today or working_days.today())
    return dict(results)


def _month(moment):
    return datetime.date(moment.year, moment.month, 1)


def _sessions(results, grouping, start, end):
    sessions = Session.objects.filter(
        grouping.sessions, status__in=HELD, starts_at__gte=start, starts_at__lt=end
    )
    sessions, names = _keyed(sessions, grouping.session_keys)
    rows = (
        sessions.annotate(month=TruncMonth("starts_at", tzinfo=zone()))
        .values(*names, "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        figures = results[_key(row, names)]
        figures.sessions += row["n"]
        month = _month(row["month"])
        figures.sessions_by_month[month] = figures.sessions_by_month.get(month, 0) + row["n"]


def breakdown():
    """COUNT aggregates of attendances: all, by gender, by age group."""
    aggregates = {"n": Count("pk")}
    for code in GENDERS:
        aggregates[f"gender_{code}"] = Count("pk", filter=Q(gender=code))
    for code in AGE_GROUPS:
        aggregates[f"age_{code}"] = Count("pk", filter=Q(age_group=code))
    return aggregates


def _held_attendance(grouping, start, end):
    condition, keys = grouping.attendance()
    attendances = Attendance.objects.filter(
        condition,
        session__status__in=HELD,
        session__starts_at__gte=start,
        session__starts_at__lt=end,
    )
    return _keyed(attendances, keys)


def _attendance(results, grouping, start, end):
    attendances, names = _held_attendance(grouping, start, end)
    rows = (
        attendances.annotate(month=TruncMonth("session__starts_at", tzinfo=zone()))
        .values(*names, "month")
        .annotate(**breakdown())
        .order_by()
    )
    for row in rows:
        figures = results[_key(row, names)]
        figures.residents += row["n"]
        month = _month(row["month"])
        figures.residents_by_month[month] = figures.residents_by_month.get(month, 0) + row["n"]
        for code in GENDERS:
            figures.gender[code] += row[f"gender_{code}"]
        for code in AGE_GROUPS:
            figures.age_group[code] += row[f"age_{code}"]


def residents_by_rw(grouping, quarter):
    """[(group key, RW, attendances, {gender: n})] of the quarter, by group and RW ("" when none)."""
    start, end = quarter.bounds()
    attendances, names = _held_attendance(grouping, start, min(end, max(start, timezone.now())))
    rows = attendances.values(*names, "rw").annotate(**breakdown()).order_by(*names, "rw")
    return [
        (_key(row, names), row["rw"], row["n"], {code: row[f"gender_{code}"] for code in GENDERS})
        for row in rows
    ]


def rw_count(grouping, quarter):
    """How many lines residents_by_rw gives, in one COUNT."""
    start, end = quarter.bounds()
    attendances, names = _held_attendance(grouping, start, min(end, max(start, timezone.now())))
    return attendances.values(*names, "rw").distinct().order_by().count()


def _tips(results, grouping, start, end):
    tips, names = _keyed(
        Tip.objects.filter(grouping.tips, created_at__gte=start, created_at__lt=end), grouping.tip_keys
    )
    for row in tips.values(*names, "category").annotate(n=Count("pk")).order_by():
        results[_key(row, names)].tips[row["category"]] += row["n"]


def _referrals(results, grouping, start, end):
    condition, keys = grouping.referrals()
    referrals, names = _keyed(Referral.objects.filter(condition, sent_at__gte=start, sent_at__lt=end), keys)
    rows = (
        referrals.annotate(revoked=Q(revoked_at__isnull=False))
        .values(*names, "outcome", "revoked")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        if row["revoked"]:
            outcome = REVOKED
        elif row["outcome"] in Referral.FINAL_OUTCOMES:
            outcome = row["outcome"]
        else:
            outcome = OPEN
        results[_key(row, names)].referrals[outcome] += row["n"]


@lru_cache(maxsize=4096)
def _due_on(started_on, days):
    return working_days.add_working_days(started_on, days)


def _judge(figures, started_at, days, done_at, today, office_zone):
    """Count one deadline: met, missed, or (running and not yet due) neither. Days are the office's
    (WIB) calendar days, as the clocks count them."""
    due_on = _due_on(started_at.astimezone(office_zone).date(), days)
    if done_at is not None:
        if done_at.astimezone(office_zone).date() <= due_on:
            figures.deadlines_met += 1
        else:
            figures.deadlines_missed += 1
    elif today > due_on:
        figures.deadlines_missed += 1


def _first(queryset):
    return Subquery(queryset.order_by("created_at").values("created_at")[:1])


def _deadlines(results, grouping, start, end, today):
    levels = clocks.service_levels()
    office_zone = zone()
    history = TipHistory.objects.filter(tip=OuterRef("pk"))
    tips, names = _keyed(
        Tip.objects.filter(grouping.tips, created_at__gte=start, created_at__lt=end), grouping.tip_keys
    )
    tips = tips.annotate(
        triaged_at=_first(history.filter(from_status=Tip.Status.RECEIVED)),
        noted_at=_first(history.filter(kind=TipHistory.Kind.PUBLIC_NOTE)),
    ).values(*names, "category", "status", "created_at", "closed_at", "triaged_at", "noted_at")
    for row in tips.order_by():
        figures, level = results[_key(row, names)], levels[row["category"]]
        triaged_at, noted_at = row["triaged_at"], row["noted_at"]
        if triaged_at is None and row["status"] != Tip.Status.RECEIVED:
            triaged_at = row["closed_at"] or row["created_at"]  # changed with no history: at once
        _judge(figures, row["created_at"], level.triage_days, triaged_at, today, office_zone)
        if noted_at is None and row["status"] in FINAL_STATUSES:
            noted_at = row["closed_at"] or row["created_at"]  # a closed tip's feedback clock stops
        _judge(figures, row["created_at"], level.feedback_days, noted_at, today, office_zone)
    condition, keys = grouping.referrals()
    referrals, names = _keyed(
        Referral.objects.filter(condition, sent_at__gte=start, sent_at__lt=end, revoked_at__isnull=True), keys
    )
    rows = referrals.values(*names, "tip__category", "sent_at", "acknowledged_at", "outcome", "outcome_at")
    for row in rows.order_by():
        figures, level = results[_key(row, names)], levels[row["tip__category"]]
        finished_at = row["outcome_at"] if row["outcome"] in Referral.FINAL_OUTCOMES else None
        _judge(
            figures,
            row["sent_at"],
            level.acknowledge_days,
            row["acknowledged_at"] or finished_at,
            today,
            office_zone,
        )
        _judge(figures, row["sent_at"], level.outcome_days, finished_at, today, office_zone)


def targets(office_ids, quarter):
    """{office id: the quarter's session target} of the offices that have one."""
    rows = SessionTarget.objects.filter(office__in=office_ids, year=quarter.year)
    return {
        target.office_id: value
        for target in rows
        if (value := target.for_quarter(quarter.number)) is not None
    }
