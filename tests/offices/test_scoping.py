"""The scoping rules within one office as a matrix: each role against each kind of object (areas,
sessions, tips, export jobs, audit entries), then the admin pages that show audit entries. The rules
live in the apps that own the data (events.scoping, reporting.tips.scoping, reporting.exports.scoping,
with pimpasa.audit_scope for audit entries); between offices: tests/offices/test_office_matrix.py."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from events import scoping as event_scoping
from pimpasa import audit_scope
from reporting.exports import scoping as export_scoping
from reporting.tips import scoping as tip_scoping
from tests.factories import AreaFactory, ExportJobFactory, SessionFactory, TipFactory, UserFactory

ROLES = ["own_officer", "other_officer", "supervisor", "editor", "inactive_officer", "anonymous"]


@dataclass(frozen=True)
class CrossedDuties:
    """Two areas, each with its officer; the first officer is also listed on a session of the second
    area and assigned a tip there. Areas, sessions, tips and export jobs are kept by names that tell
    what they show about scoping; `user(role)` picks a person by the attribute's name."""

    own_officer: object
    other_officer: object
    inactive_officer: object
    supervisor: object
    editor: object
    anonymous: AnonymousUser
    areas: dict
    sessions: dict
    tips: dict
    jobs: dict

    def user(self, role):
        return getattr(self, role)


@pytest.fixture
def crossed_duties(site_setup):
    own_officer = UserFactory(username="own_officer", role="Petugas PIMPASA")
    other_officer = UserFactory(username="other_officer", role="Petugas PIMPASA")
    inactive_officer = UserFactory(username="inactive_officer", role="Petugas PIMPASA", is_active=False)
    supervisor = UserFactory(username="supervisor", role="Supervisor")
    editor = UserFactory(username="editor", role="Editor")
    area_a = AreaFactory(name="Area A", officers=[own_officer, inactive_officer])
    area_b = AreaFactory(name="Area B", officers=[other_officer])
    sessions = {
        "session_a": SessionFactory(title="Sesi di A", area=area_a),
        "session_b": SessionFactory(title="Sesi di B", area=area_b),
        "session_b_listed": SessionFactory(
            title="Sesi di B bersama petugas A", area=area_b, officers=[own_officer]
        ),
    }
    tips = {
        "tip_a": TipFactory(area=area_a),
        "tip_session_a_no_area": TipFactory(area=None, session=sessions["session_a"]),
        "tip_b_listed_session": TipFactory(area=area_b, session=sessions["session_b_listed"]),
        "tip_b_assigned": TipFactory(area=area_b, assigned_to=own_officer),
        "tip_b": TipFactory(area=area_b),
    }
    jobs = {
        "job_own": ExportJobFactory(exporter="attendance", requested_by=own_officer),
        "job_supervisor": ExportJobFactory(exporter="tips", requested_by=supervisor),
    }
    return CrossedDuties(
        own_officer=own_officer,
        other_officer=other_officer,
        inactive_officer=inactive_officer,
        supervisor=supervisor,
        editor=editor,
        anonymous=AnonymousUser(),
        areas={"area_a": area_a, "area_b": area_b},
        sessions=sessions,
        tips=tips,
        jobs=jobs,
    )


def names(objects, named):
    """The fixture names of `objects` (a queryset), so expectations read as sets of names."""
    by_pk = {obj.pk: name for name, obj in named.items()}
    return {by_pk[pk] for pk in objects.values_list("pk", flat=True)}


EVERYTHING = object()

EXPECTED = {
    "areas": {
        "own_officer": {"area_a"},
        "other_officer": {"area_b"},
        "supervisor": EVERYTHING,
    },
    "sessions": {
        "own_officer": {"session_a", "session_b_listed"},
        "other_officer": {"session_b", "session_b_listed"},
        "supervisor": EVERYTHING,
    },
    "tips": {
        "own_officer": {"tip_a", "tip_session_a_no_area", "tip_b_listed_session", "tip_b_assigned"},
        "other_officer": {"tip_b_listed_session", "tip_b_assigned", "tip_b"},
        "supervisor": EVERYTHING,
    },
    "jobs": {
        "own_officer": {"job_own"},
        "supervisor": EVERYTHING,
    },
}
SCOPE_OF = {
    "areas": event_scoping.areas_for,
    "sessions": event_scoping.sessions_for,
    "tips": tip_scoping.tips_for,
    "jobs": export_scoping.export_jobs_for,
}


def expected(kind, role, crossed_duties):
    wanted = EXPECTED[kind].get(role, set())  # editors, inactive and anonymous users: nothing
    return set(getattr(crossed_duties, kind)) if wanted is EVERYTHING else wanted


@pytest.mark.parametrize("kind", list(SCOPE_OF))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_its_objects_of_each_kind(crossed_duties, role, kind):
    user = crossed_duties.user(role)
    assert names(SCOPE_OF[kind](user), getattr(crossed_duties, kind)) == expected(kind, role, crossed_duties)


@pytest.mark.parametrize("role", ROLES)
def test_the_single_object_checks_agree_with_the_lists(crossed_duties, role):
    user = crossed_duties.user(role)
    sessions = {
        name
        for name, session in crossed_duties.sessions.items()
        if event_scoping.can_see_session(user, session)
    }
    tips = {name for name, tip in crossed_duties.tips.items() if tip_scoping.can_see_tip(user, tip)}
    jobs = {name for name, job in crossed_duties.jobs.items() if export_scoping.can_see_export_job(user, job)}
    assert sessions == expected("sessions", role, crossed_duties)
    assert tips == expected("tips", role, crossed_duties)
    assert jobs == expected("jobs", role, crossed_duties)


@pytest.mark.parametrize("role", ROLES)
def test_a_given_queryset_is_narrowed_not_replaced(crossed_duties, role):
    user = crossed_duties.user(role)
    only_b = crossed_duties.tips["tip_b"].__class__.objects.filter(area=crossed_duties.areas["area_b"])
    assert names(tip_scoping.tips_for(user, only_b), crossed_duties.tips) == expected(
        "tips", role, crossed_duties
    ) & {
        "tip_b_listed_session",
        "tip_b_assigned",
        "tip_b",
    }


@pytest.mark.parametrize(
    ("role", "areas"),
    [
        ("own_officer", {"area_a"}),
        ("other_officer", {"area_b"}),
        ("supervisor", {"area_a", "area_b"}),
        ("editor", set()),
        ("inactive_officer", set()),
        (None, {"area_a", "area_b"}),  # the monthly schedule exports every area
    ],
)
def test_export_areas(crossed_duties, role, areas):
    user = crossed_duties.user(role) if role else None
    assert names(export_scoping.export_areas_for(user), crossed_duties.areas) == areas


@pytest.mark.parametrize(
    ("role", "allowed"), [("supervisor", True), ("own_officer", False), ("editor", False)]
)
def test_only_supervisors_may_reveal_identities(crossed_duties, role, allowed):
    assert tip_scoping.may_reveal_identity(crossed_duties.user(role)) is allowed


# --- audit entries ---------------------------------------------------------------------------------


@pytest.fixture
def audit(crossed_duties):
    """One audit entry per object, and a supervisor's identity reveal on the officer's own tip."""
    supervisor = crossed_duties.supervisor
    entries = {}
    for part in ("areas", "sessions", "tips", "jobs"):
        for name, obj in getattr(crossed_duties, part).items():
            entries[name] = log(obj, "wagtail.edit", user=supervisor)
    entries["identity_viewed_tip_a"] = log(
        crossed_duties.tips["tip_a"], "reporting.tip.identity_viewed", user=supervisor
    )
    return entries


AUDIT_EXPECTED = {
    "own_officer": {
        "area_a",
        "session_a",
        "session_b_listed",
        "tip_a",
        "tip_session_a_no_area",
        "tip_b_listed_session",
        "tip_b_assigned",
        "job_own",
    },
    "other_officer": {
        "area_b",
        "session_b",
        "session_b_listed",
        "tip_b_listed_session",
        "tip_b_assigned",
        "tip_b",
    },
}


@pytest.mark.parametrize("role", ROLES)
def test_audit_entries_follow_their_objects_and_identity_reveals_stay_with_supervisors(
    crossed_duties, audit, role
):
    user = crossed_duties.user(role)
    seen = names(audit_scope.log_entries_for(user, ModelLogEntry.objects.all()), audit)
    if role == "supervisor":
        assert seen == set(audit)
    else:
        # Editors, inactive and anonymous users would see none of these kinds (Wagtail's own rule adds
        # the model-permission check on top in its views).
        assert seen == AUDIT_EXPECTED.get(role, set())


def test_audit_entries_of_a_uuid_object_match_on_sqlite_and_postgresql(crossed_duties, audit):
    """Tip ids are UUIDs, stored by SQLite without dashes while Wagtail writes str(uuid): the match
    must hold on both databases (the suite runs on both)."""
    own = crossed_duties.own_officer
    entry = audit["tip_a"]
    assert "-" in entry.object_id
    assert audit_scope.log_entries_for(own, ModelLogEntry.objects.filter(pk=entry.pk)).count() == 1


def test_an_entry_of_another_kind_whose_object_id_is_no_key_of_ours_breaks_nothing(crossed_duties, audit):
    """Each scoped kind reads object_id as its own primary key (a UUID, an integer) only for its own
    entries: an entry about anything else, whatever its object_id, is left as it was."""
    from django.contrib.contenttypes.models import ContentType

    from offices.models import Office

    stranger = ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Office),
        object_id="kantor-lama/7",
        label="Kantor lama",
        action="wagtail.edit",
        timestamp=timezone.now(),
    )
    for user in (crossed_duties.own_officer, crossed_duties.supervisor):
        shown = set(
            audit_scope.log_entries_for(user, ModelLogEntry.objects.all()).values_list("pk", flat=True)
        )
        assert stranger.pk in shown
        assert audit["tip_a"].pk in shown


# --- the admin pages showing audit entries -----------------------------------------------------------


def test_site_history_shows_an_officer_only_their_areas_and_no_identity_reveal(client, crossed_duties, audit):
    client.force_login(crossed_duties.own_officer)
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sesi di A" in page and "Sesi di B bersama petugas A" in page
    rows = [row for row in response.context["object_list"] if isinstance(row, ModelLogEntry)]
    assert {row.pk for row in rows} == {audit[name].pk for name in AUDIT_EXPECTED["own_officer"]}


def test_site_history_filters_offer_only_the_people_an_officer_may_see(client, crossed_duties, audit):
    own = crossed_duties.own_officer
    log(crossed_duties.sessions["session_b"], "wagtail.edit", user=crossed_duties.other_officer)
    client.force_login(own)
    response = client.get("/admin/reports/site-history/")
    users = {user.username for user in response.context["filters"].form.fields["user"].queryset}
    assert users == {"supervisor"}


def test_site_history_shows_a_supervisor_everything(client, crossed_duties, audit):
    client.force_login(crossed_duties.supervisor)
    response = client.get("/admin/reports/site-history/results/")
    assert response.status_code == 200
    model_entries = [row for row in response.context["object_list"] if isinstance(row, ModelLogEntry)]
    assert len(model_entries) == len(audit)  # besides the page entries of the site's setup


@pytest.mark.parametrize(
    ("role", "session", "status"),
    [
        ("own_officer", "session_a", 200),
        ("own_officer", "session_b_listed", 200),
        ("own_officer", "session_b", 404),
        ("other_officer", "session_a", 404),
        ("supervisor", "session_a", 200),
    ],
)
@pytest.mark.parametrize("page", ["history", "usage"])
def test_a_sessions_history_and_usage_pages_only_within_scope(
    client, crossed_duties, audit, role, session, status, page
):
    client.force_login(crossed_duties.user(role))
    shown = crossed_duties.sessions[session]
    response = client.get(f"/admin/events/sessions/{page}/{shown.pk}/")
    assert response.status_code == status
    # The page is about this session; a refusal names nothing.
    assert (shown.title in response.content.decode()) is (status == 200)


@pytest.mark.parametrize(("role", "shown"), [("supervisor", True), ("own_officer", False)])
def test_a_tips_history_shows_identity_reveals_only_to_supervisors(
    client, crossed_duties, audit, role, shown
):
    client.force_login(crossed_duties.user(role))
    response = client.get(f"/admin/laporan/history/{crossed_duties.tips['tip_a'].pk}/")
    assert response.status_code == 200
    actions = {entry.action for entry in response.context["object_list"]}
    assert ("reporting.tip.identity_viewed" in actions) is shown
    assert "wagtail.edit" in actions


def test_a_tips_history_is_not_found_outside_scope(client, crossed_duties, audit):
    client.force_login(crossed_duties.other_officer)
    response = client.get(f"/admin/laporan/history/{crossed_duties.tips['tip_a'].pk}/")
    assert response.status_code == 404
