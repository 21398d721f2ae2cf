"""Each audit entry about a tip is linked to the tip and its office (TipLogEntryLink): written with the
entry, moved when the tip is handed to another office, made for the entries written before by the
migration, and the audit log's rule through the links shows each reader exactly what matching every
entry's text key against their tips showed."""

import dataclasses

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from pimpasa import audit_scope
from reporting.tips import audit_links
from reporting.tips.models import Tip, TipLogEntryLink
from reporting.tips.services import handoffs
from tests.factories import (
    AreaFactory,
    OfficeFactory,
    SessionFactory,
    TipFactory,
    UserFactory,
)
from tests.offices.test_migrations import latest_schema_after, migrate  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(site_setup):
    """Two offices. In office a: a supervisor; an officer covering area one; an officer listed on a
    session held in area two; an officer covering area two (so the session's area); an officer
    covering nothing; tips of both areas, the session, no area (assigned to the idle officer), and a
    tip of office b. Each tip has two entries (an edit, an identity reveal)."""
    a, b = OfficeFactory(name="Kanim A"), OfficeFactory(name="Kanim B")
    found = {
        "supervisor": UserFactory(role="Supervisor", office=a),
        "area officer": UserFactory(role="Petugas PIMPASA", office=a),
        "session officer": UserFactory(role="Petugas PIMPASA", office=a),
        "second area officer": UserFactory(role="Petugas PIMPASA", office=a),
        "idle officer": UserFactory(role="Petugas PIMPASA", office=a),
        "other supervisor": UserFactory(role="Supervisor", office=b),
        "national": UserFactory(role="Pemantau Nasional"),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "anonymous": AnonymousUser(),
    }
    one = AreaFactory(office=a, officers=[found["area officer"]])
    two = AreaFactory(office=a, officers=[found["second area officer"]])
    session = SessionFactory(area=two, officers=[found["session officer"]])
    tips = [
        TipFactory(area=one),
        TipFactory(area=two),
        TipFactory(area=None, session=session),
        TipFactory(area=None, office=a, assigned_to=found["idle officer"]),
        TipFactory(area=AreaFactory(office=b)),
    ]
    for tip in tips:
        log(tip, "wagtail.edit", user=found["supervisor"])
        log(tip, "reporting.tip.identity_viewed", user=found["supervisor"])
    found["tips"] = tips
    return found


def entries_by_text_key(user):
    """The rule before the links: each entry's object_id matched against the tips `user` sees."""
    kinds = dict(audit_scope._KINDS)
    label = Tip._meta.label
    try:
        audit_scope._KINDS[label] = dataclasses.replace(kinds[label], entry_ids=None)
        return set(
            audit_scope.log_entries_for(user, ModelLogEntry.objects.all()).values_list("pk", flat=True)
        )
    finally:
        audit_scope._KINDS.clear()
        audit_scope._KINDS.update(kinds)


def entries_by_link(user):
    return set(audit_scope.log_entries_for(user, ModelLogEntry.objects.all()).values_list("pk", flat=True))


def test_each_entry_about_a_tip_is_linked_to_the_tip_and_its_office(people):
    for tip in people["tips"]:
        links = TipLogEntryLink.objects.filter(tip=tip)
        assert links.count() == 2
        assert {link.office_id for link in links} == {tip.office_id}
    # An entry about something else, or about a tip no longer there, has none (and raises nothing).
    log(people["tips"][0].area, "wagtail.edit", user=people["supervisor"])
    gone = TipFactory()
    gone_pk = gone.pk
    gone.delete()
    ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Tip),
        object_id=str(gone_pk),
        label="Laporan",
        action="wagtail.delete",
        timestamp=timezone.now(),
    )
    assert TipLogEntryLink.objects.count() == 2 * len(people["tips"])


@pytest.mark.parametrize(
    "who",
    [
        "supervisor",
        "area officer",
        "session officer",
        "second area officer",
        "idle officer",
        "other supervisor",
        "national",
        "superuser",
        "anonymous",
    ],
)
def test_the_links_show_each_reader_exactly_what_the_text_keys_showed(people, who):
    user = people[who]
    assert entries_by_link(user) == entries_by_text_key(user)


@pytest.mark.parametrize(
    "who", ["supervisor", "area officer", "second area officer", "national", "superuser"]
)
def test_the_visible_parts_share_no_entry_and_together_are_what_the_reader_sees(people, who):
    user = people[who]
    log(people["tips"][0].area, "wagtail.edit", user=people["supervisor"])  # an entry of another kind
    parts = audit_scope.visible_parts(user, ModelLogEntry.objects.all())
    assert len(parts) == 2
    found = [set(part.values_list("pk", flat=True)) for part in parts]
    assert not found[0] & found[1]
    assert found[0] | found[1] == entries_by_link(user) == entries_by_text_key(user)


def test_what_each_reader_sees(people):
    tips = people["tips"]

    def about(user):
        shown = ModelLogEntry.objects.filter(pk__in=entries_by_link(user))
        return {(tips.index(Tip.objects.get(pk=entry.object_id)), entry.action) for entry in shown}

    edits = lambda *indexes: {(index, "wagtail.edit") for index in indexes}  # noqa: E731
    reveals = lambda *indexes: {(index, "reporting.tip.identity_viewed") for index in indexes}  # noqa: E731
    assert about(people["supervisor"]) == edits(0, 1, 2, 3) | reveals(0, 1, 2, 3)
    assert about(people["area officer"]) == edits(0)
    assert about(people["session officer"]) == edits(2)
    assert about(people["second area officer"]) == edits(1, 2)
    assert about(people["idle officer"]) == edits(3)
    assert about(people["other supervisor"]) == edits(4) | reveals(4)
    assert about(people["national"]) == set()


def test_a_handed_over_tips_entries_go_with_it_to_the_new_office(people):
    tip = people["tips"][0]
    receiving = people["other supervisor"]
    handoffs.hand_over(tip, people["supervisor"], OfficeFactory.create(name="Kanim C"), "Wilayah C.")
    handed = Tip.objects.get(pk=tip.pk)
    assert set(TipLogEntryLink.objects.filter(tip=tip).values_list("office_id", flat=True)) == {
        handed.office_id
    }
    # Its entries (those before the hand-off and the hand-off's own) left office a's supervisor.
    about_tip = set(ModelLogEntry.objects.filter(object_id=str(tip.pk)).values_list("pk", flat=True))
    assert not about_tip & entries_by_link(people["supervisor"])
    assert entries_by_link(people["supervisor"]) == entries_by_text_key(people["supervisor"])
    # Moved by hand, the office still takes the links with it.
    handed.office = people["tips"][4].office  # office b, the other supervisor's
    handed.save()
    assert about_tip <= entries_by_link(receiving)
    assert entries_by_link(receiving) == entries_by_text_key(receiving)


def test_entries_written_in_bulk_are_linked_by_link_entries(people):
    tip = people["tips"][1]
    entry = ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=ContentType.objects.get_for_model(Tip),
                object_id=str(tip.pk),
                label="Laporan",
                action="wagtail.edit",
                timestamp=tip.created_at,
            )
        ]
    )[0]
    assert not TipLogEntryLink.objects.filter(entry_id=entry.pk).exists()
    assert audit_links.link_entries(ModelLogEntry.objects.all()) == 1
    assert TipLogEntryLink.objects.get(entry_id=entry.pk).office_id == tip.office_id
    assert audit_links.link_entries(ModelLogEntry.objects.all()) == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_the_migration_links_the_entries_written_before(site_setup):
    tips = [TipFactory(), TipFactory(area=AreaFactory(office=OfficeFactory()))]
    for tip in tips:
        log(tip, "wagtail.edit")
        log(tip, "wagtail.edit")
    entries = set(
        ModelLogEntry.objects.filter(object_id__in=[str(tip.pk) for tip in tips]).values_list("pk", flat=True)
    )

    migrate([("reporting", "0023_tips_in_office_scope")])
    migrate([("reporting", "0024_tip_log_entry_links")])

    links = TipLogEntryLink.objects.filter(entry_id__in=entries)
    assert set(links.values_list("entry_id", flat=True)) == entries
    for tip in tips:
        assert set(links.filter(tip=tip).values_list("office_id", flat=True)) == {tip.office_id}
