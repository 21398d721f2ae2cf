"""Within an office: a tip is assigned only to its office's staff, referred only to agencies working
with its office (or with every office), and a supervisor's new area is their office's."""

import pytest

from events.models import Area
from reporting.referrals.services.referrals import referable_agencies
from reporting.tips.services import tips as tip_service
from tests.factories import AgencyFactory, AreaFactory, OfficeFactory, TipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(site_setup):
    a, b = OfficeFactory(name="Kanim A"), OfficeFactory(name="Kanim B")
    return {
        "a": a,
        "b": b,
        "supervisor_a": UserFactory(role="Supervisor", office=a),
        "officer_a": UserFactory(role="Petugas PIMPASA", office=a),
        "officer_b": UserFactory(role="Petugas PIMPASA", office=b),
        "tip": TipFactory(area=AreaFactory(office=a)),
    }


def test_a_tip_is_assigned_only_within_its_office(two):
    assert two["officer_a"] in tip_service.assignable_officers(two["a"].pk)
    assert two["officer_b"] not in tip_service.assignable_officers(two["a"].pk)
    with pytest.raises(tip_service.TipError):
        tip_service.assign(two["tip"], two["supervisor_a"], two["officer_b"])
    tip_service.assign(two["tip"], two["supervisor_a"], two["officer_a"])


def test_a_tip_is_referred_to_the_agencies_of_its_office_or_of_every_office(two):
    everyone = AgencyFactory(name="BP3MI nasional")
    ours = AgencyFactory(name="Polres A")
    ours.offices.add(two["a"])
    theirs = AgencyFactory(name="Polres B")
    theirs.offices.add(two["b"])
    assert set(referable_agencies(two["tip"])) == {everyone, ours}


def test_a_supervisors_new_area_is_their_offices(client, two):
    client.force_login(two["supervisor_a"])
    response = client.post(
        "/admin/events/areas/new/",
        {
            "name": "Kapuk",
            "kind": "kelurahan",
            "kecamatan": "Cengkareng",
            "city": "Kota Jakarta Barat",
            "province": "DKI Jakarta",
            "time_zone": "Asia/Jakarta",
            "office": two["b"].pk,  # not offered to them: ignored
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Area.objects.get(name="Kapuk").office == two["a"]


def test_a_malformed_area_address_is_not_found(client, two):
    client.force_login(two["supervisor_a"])
    assert client.get("/admin/events/areas/edit/bukan-angka/").status_code == 404
