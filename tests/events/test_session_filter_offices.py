"""The sessions list's area filter offers the areas of the viewer's office only (issue 25).

Found by bench/backoffice at 100 offices: the filter listed every office's areas (1,000 options,
162 KB) to a supervisor of one office, while the tips list's filter offered their own ten."""

import pytest
from django.urls import reverse

from tests.factories import AreaFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["Supervisor", "Petugas PIMPASA"])
def test_the_area_filter_lists_only_the_areas_of_ones_office(client, site_setup, role):
    mine, other = OfficeFactory(name="Kanim Bench A"), OfficeFactory(name="Kanim Bench B")
    user = UserFactory(role=role, office=mine)
    AreaFactory(name="Desa Milik Kami", office=mine, officers=[user])
    AreaFactory(name="Desa Kantor Lain", office=other)
    client.force_login(user)

    response = client.get(reverse("events_session:index"))

    assert response.status_code == 200
    form = response.context["filters"].form
    assert [area.name for area in form.fields["area"].queryset] == ["Desa Milik Kami"]
    assert "Desa Kantor Lain" not in response.content.decode()
