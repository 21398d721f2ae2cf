from dataclasses import dataclass

import pytest

from tests.factories import AreaFactory, SessionFactory, UserFactory


@dataclass(frozen=True)
class SessionInOwnArea:
    """A session in the area of its officer; another officer with an area elsewhere, an editor and a
    supervisor. `user(role)` picks a person by the attribute's name, for tests parametrized by role."""

    session: object
    area: object
    own_officer: object
    other_officer: object
    editor: object
    supervisor: object

    def user(self, role):
        return getattr(self, role)


@pytest.fixture
def session_in_own_area(site_setup):
    own_officer = UserFactory(role="Petugas PIMPASA")
    other_officer = UserFactory(role="Petugas PIMPASA")
    area = AreaFactory(officers=[own_officer])
    AreaFactory(officers=[other_officer])
    return SessionInOwnArea(
        session=SessionFactory(area=area),
        area=area,
        own_officer=own_officer,
        other_officer=other_officer,
        editor=UserFactory(role="Editor"),
        supervisor=UserFactory(role="Supervisor"),
    )
