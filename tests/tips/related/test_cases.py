"""Cases: an officer groups related tips into a case (one status and officer for the case, each tip
keeping its own status, history and conversation), adds and takes out tips, splits a case; every step
in each tip's history and in the audit log; the tips export and the dashboard count cases."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import ModelLogEntry

from reporting.dashboard import figures
from reporting.exports.tips import tip_rows
from reporting.tips.models import Tip, TipHistory
from reporting.tips.related.models import Case
from reporting.tips.related.services import cases

pytestmark = pytest.mark.django_db


def test_an_officer_groups_three_related_tips_from_the_panel(neighbourhood, client, assert_page):
    n = neighbourhood
    client.force_login(n.officer)
    response = client.post(
        reverse("kasus:group", args=[n.first.pk]), {"tips": [str(n.second.pk), str(n.fifth.pk)]}
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("kasus:detail", args=[case.pk])
    assert set(case.tips.all()) == {n.first, n.second, n.fifth}
    assert case.officer == n.officer and case.status == Case.Status.OPEN
    # Each tip keeps its own status and gains a history entry naming the case.
    for tip in (n.first, n.second, n.fifth):
        tip.refresh_from_db()
        assert tip.status == Tip.Status.RECEIVED
        entry = tip.history.get(kind=TipHistory.Kind.CASE)
        assert entry.case == case and entry.actor == n.officer
        assert ModelLogEntry.objects.filter(action="reporting.tip.case", object_id=str(tip.pk)).exists()
    assert ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(case.pk)).exists()
    text = assert_page(client.get(reverse("kasus:detail", args=[case.pk])), case.number, n.first.short_id)
    assert n.fifth.short_id in text and n.second.short_id in text
    assert_page(client.get(reverse("laporan:edit", args=[n.second.pk])), case.number)


def test_an_officer_cannot_group_a_tip_outside_their_areas(neighbourhood, client):
    n = neighbourhood
    client.force_login(n.officer)
    client.post(reverse("kasus:group", args=[n.first.pk]), {"tips": [str(n.third.pk)]})
    assert not Case.objects.exists()
    with pytest.raises(PermissionDenied):
        cases.group(n.officer, [n.first.pk, n.third.pk])


def test_the_case_page_lists_the_officers_tips_and_counts_the_others(neighbourhood, client, assert_page):
    n = neighbourhood
    case = cases.group(n.supervisor, [n.first.pk, n.third.pk])
    client.force_login(n.officer)
    text = assert_page(
        client.get(reverse("kasus:detail", args=[case.pk])), n.first.short_id, "1 laporan lagi"
    )
    assert n.third.short_id not in text


def test_a_case_nobody_of_it_is_visible_is_not_found(neighbourhood, client):
    n = neighbourhood
    other = Tip.objects.create(
        category=Tip.Category.TPPO, description="x", area=n.cilincing, tracking_code_hash="h" * 64
    )
    case = cases.group(n.supervisor, [n.third.pk, other.pk])
    client.force_login(n.officer)
    assert client.get(reverse("kasus:detail", args=[case.pk])).status_code == 404


def test_add_take_out_split_and_change_a_case(neighbourhood):
    n = neighbourhood
    case = cases.group(n.officer, [n.first.pk, n.second.pk])
    cases.add(n.officer, case, [n.fourth.pk, n.fifth.pk])
    assert case.tips.count() == 4
    new = cases.split(n.officer, case, [n.fourth.pk, n.fifth.pk])
    assert set(new.tips.all()) == {n.fourth, n.fifth} and set(case.tips.all()) == {n.first, n.second}
    assert new.officer == case.officer
    fourth = list(n.fourth.history.filter(kind=TipHistory.Kind.CASE).order_by("id"))
    assert [entry.case for entry in fourth] == [case, case, new]  # in, out, in the new one
    assert cases.change(n.officer, case, status=Case.Status.INVESTIGATING, officer=n.supervisor) == [
        "status",
        "officer",
    ]
    assert ModelLogEntry.objects.filter(action="reporting.case.status", object_id=str(case.pk)).exists()
    assert cases.remove(n.officer, new, [n.fourth.pk]) == new
    assert cases.remove(n.officer, new, [n.fifth.pk]) is None  # the last tip out: no case left
    assert not Case.objects.filter(pk=new.pk).exists()
    n.fifth.refresh_from_db()
    assert n.fifth.case is None


def test_tips_in_two_cases_are_not_grouped_silently(neighbourhood):
    n = neighbourhood
    cases.group(n.officer, [n.first.pk, n.second.pk])
    cases.group(n.officer, [n.fourth.pk, n.fifth.pk])
    with pytest.raises(cases.CaseError) as refused:
        cases.group(n.officer, [n.first.pk, n.fourth.pk])
    assert refused.value.code == "two_cases"


def test_splitting_off_every_tip_is_refused(neighbourhood):
    n = neighbourhood
    case = cases.group(n.officer, [n.first.pk, n.second.pk])
    with pytest.raises(cases.CaseError):
        cases.split(n.officer, case, [n.first.pk, n.second.pk])


def test_the_tips_export_has_a_case_column_and_the_dashboard_counts_cases(neighbourhood):
    n = neighbourhood
    case = cases.group(n.officer, [n.first.pk, n.second.pk, n.fifth.pk])
    rows = {row[1]: row for row in tip_rows(Tip.objects.all(), with_identity=False)}
    assert rows[n.first.short_id][-1] == case.number
    assert rows[n.fourth.short_id][-1] == ""
    open_tips = figures.open_tips(n.supervisor)
    assert (open_tips["cases"], open_tips["in_cases"]) == (1, 3)


def test_the_case_page_changes_status_and_officer_takes_out_and_splits(neighbourhood, client, assert_page):
    n = neighbourhood
    case = cases.group(n.officer, [n.first.pk, n.second.pk, n.fifth.pk])
    client.force_login(n.officer)
    url = reverse("kasus:detail", args=[case.pk])
    response = client.post(url, {"do": "change", "status": "investigating", "officer": n.officer.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.INVESTIGATING
    response = client.post(url, {"do": "split", "tips": [str(n.fifth.pk)]})
    new = Case.objects.exclude(pk=case.pk).get()
    assert response["Location"] == reverse("kasus:detail", args=[new.pk])
    assert new.status == Case.Status.INVESTIGATING and set(new.tips.all()) == {n.fifth}
    assert client.post(url, {"do": "remove", "tips": [str(n.second.pk)]}).status_code == 302
    assert set(case.tips.all()) == {n.first}
    # Nothing chosen: a clear message in Indonesian, nothing changed.
    assert_page(client.post(url, {"do": "split"}), "Pilih laporan yang menjadi kasus baru.", status=400)
    text = assert_page(client.get(reverse("kasus:index")), case.number, new.number)
    assert "Dalam penyelidikan" in text


def test_grouping_needs_the_permission_that_changes_tips(neighbourhood):
    from reporting.tips.services import tips as tip_service

    assert cases.CHANGE_PERMISSION == tip_service.CHANGE_PERMISSION


def test_grouping_keeps_the_triage_typed_on_the_tips_page(neighbourhood, client, assert_page):
    from reporting.tips import drafts

    n = neighbourhood
    client.force_login(n.officer)
    page = assert_page(client.get(reverse("laporan:edit", args=[n.first.pk])), 'id="related"')
    assert f'form="triage-form" formaction="{reverse("kasus:group", args=[n.first.pk])}"' in page
    client.post(
        reverse("kasus:group", args=[n.first.pk]),
        {
            "tips": [str(n.second.pk)],
            f"{drafts.PREFIX}-status": "received",
            f"{drafts.PREFIX}-seen_status": "received",
            f"{drafts.PREFIX}-note": "Nomor sama dengan laporan tetangga.",
        },
    )
    assert Case.objects.get().tips.count() == 2
    assert_page(
        client.get(reverse("laporan:edit", args=[n.first.pk])),
        "Nomor sama dengan laporan tetangga.",
        "Belum tersimpan",
    )
