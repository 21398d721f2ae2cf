from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reporting.models import Tip
from reporting.referrals.services import referrals as services
from reporting.tips.services import evidence as evidence_service
from reporting.tips.services.tips import Submission, submit_tip
from tests.factories import AgencyFactory, AreaFactory, UserFactory, image_bytes, pdf_bytes


@dataclass(frozen=True)
class TipToRefer:
    """A tip in Kalibaru with a photo and a PDF from an identified reporter who consented (`code` is
    the reporter's status code), the area's officer, an officer of another area, a supervisor, and
    BP3MI with two addresses."""

    tip: Tip
    code: str
    area: object
    officer: object
    elsewhere: object
    supervisor: object
    bp3mi: object


@pytest.fixture
def tip_to_refer(site_setup):
    area = AreaFactory(name="Kalibaru")
    prepared = [
        evidence_service.prepare(SimpleUploadedFile("foto.jpg", image_bytes("JPEG"))),
        evidence_service.prepare(SimpleUploadedFile("surat.pdf", pdf_bytes())),
    ]
    tip, code = submit_tip(
        Submission(
            category=Tip.Category.TPPO,
            description="Calo di pangkalan ojek menawarkan kerja ke Malaysia.",
            area=area,
            rw="07",
            people_involved="Bang Jek, motor hitam",
            reporter_name="Siti Contoh",
            reporter_contact="0812-0000-1111",
            consent=True,
        ),
        prepared,
    )
    officer = UserFactory(role="Petugas PIMPASA")
    area.officers.add(officer)
    elsewhere = UserFactory(role="Petugas PIMPASA")
    AreaFactory(name="Marunda").officers.add(elsewhere)
    return TipToRefer(
        tip=tip,
        code=code,
        area=area,
        officer=officer,
        elsewhere=elsewhere,
        supervisor=UserFactory(role="Supervisor"),
        bp3mi=AgencyFactory(name="BP3MI Jakarta", contacts=["pengaduan@bp3mi.test", "kepala@bp3mi.test"]),
    )


def refer(tip_to_refer, *, agency=None, user=None, **sharing):
    """Refer the scenario's tip (a TipToRefer); returns (referral, link, signed token)."""
    options = {"summary": "Calo menawarkan kerja ke Malaysia lewat Batam.", **sharing}
    referral, link = services.refer(
        tip_to_refer.tip,
        user or tip_to_refer.officer,
        agency or tip_to_refer.bp3mi,
        services.Sharing(**options),
    )
    token = link.rstrip("/").rsplit("/", 1)[1]
    return referral, link, token
