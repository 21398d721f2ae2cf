"""Every factory of the test suite, in one place: people, the public site's pages and media, areas,
sessions and attendance, tips and export jobs. Tests build exactly the rows they need with these.
"""

import datetime
import io
import time

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale

from cms.models import MaterialIndexPage, MaterialPage, StandardPage, Topic
from events.models import Area, Attendance, ConsentMethod, Guest, Session
from events.services.people import person_key
from offices.models import Membership, Office, Region
from reporting.exports.models import ExportJob
from reporting.referrals.models import Agency, AgencyContact
from reporting.tips.models import Tip
from reporting.tips.services import codes, fingerprints
from reporting.tips.services.identity import encrypt_identity

DEFAULT_PASSWORD = "a-Long-test-passw0rd"
OFFICE_ROLES = ["Petugas PIMPASA", "Supervisor"]


# --- people ----------------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if extracted:
            user.groups.add(Group.objects.get(name=extracted))
        if create:
            user.save()

    @factory.post_generation
    def office(user, create, extracted, **kwargs):
        """Officers and supervisors work in an office: `office=` names it, else the default office
        (Office.default(), where areas go by default); office=False leaves them without one. A
        `region=` (a Region) makes the membership a regional one."""
        region = kwargs.get("region")
        if not create or extracted is False:
            return
        if region is not None:
            Membership.objects.update_or_create(user=user, defaults={"office": None, "region": region})
            return
        if extracted is None and not user.groups.filter(name__in=OFFICE_ROLES).exists():
            return
        Membership.objects.update_or_create(
            user=user, defaults={"office": extracted or Office.default(), "region": None}
        )

    @factory.post_generation
    def second_factor(user, create, extracted, **kwargs):
        """Staff sign in with a second factor (pimpasa.two_factor): every factory user has a confirmed
        authenticator, so the test client's logins (tests/conftest.py) and the browser journeys'
        (tests/browser/conftest.py) pass it with a real code. second_factor=False makes an account
        that has not enrolled yet: its first sign-in goes to enrolment."""
        if create and extracted is not False:
            TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Authenticator"})


def totp_code(device, *, fresh=True):
    """The code an authenticator app shows now for `device` (a TOTPDevice), as a string.

    django-otp refuses a code of a time step it has already accepted (no replay); with fresh=True a
    step after the last accepted one is chosen (the device accepts one step ahead), waiting for the
    clock when even that was used."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if fresh and totp.t() <= device.last_t:
        if device.last_t > totp.t():  # the step ahead is used too: wait for the next one
            time.sleep(device.t0 + (totp.t() + 1) * device.step - totp.time + 0.05)
            totp.time = time.time()
        if totp.t() <= device.last_t:
            totp.time = device.t0 + (device.last_t + 1) * device.step
    return f"{totp.token():0{device.digits}d}"


def authenticator_of(user):
    return TOTPDevice.objects.get(user=user, confirmed=True)


# --- the public site -----------------------------------------------------------------------------


def png_bytes(size=(800, 450), colour="#0b3c6d"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"Gambar {n}")
    file = factory.LazyFunction(lambda: ImageFile(io.BytesIO(png_bytes()), name="gambar.png"))


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_document_model()
        skip_postgeneration_save = True  # metadata() saves once it has measured the file

    title = factory.Sequence(lambda n: f"Leaflet {n}")
    file = factory.django.FileField(filename="leaflet.pdf", data=b"%PDF-1.4\n" + b"x" * 2040)

    @factory.post_generation
    def metadata(document, create, extracted, **kwargs):
        document._set_document_file_metadata()
        if create:
            document.save()


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topik {n}")
    slug = factory.Sequence(lambda n: f"topik-{n}")
    locale = factory.LazyFunction(Locale.get_default)


class PageFactory(factory.django.DjangoModelFactory):
    """Adds the page under `parent` and publishes it, like an editor would."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Halaman {n}")

    @classmethod
    def _create(cls, model_class, *args, parent, topics=(), **kwargs):
        from django.utils.text import slugify

        kwargs["slug"] = kwargs.get("slug") or slugify(kwargs["title"])
        kwargs.setdefault("locale", parent.locale)
        page = model_class(**kwargs)
        if topics:
            page.topics.set(topics)
        parent.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page


class MaterialIndexPageFactory(PageFactory):
    class Meta:
        model = MaterialIndexPage

    title = "Materi"
    slug = "materi"


class MaterialPageFactory(PageFactory):
    class Meta:
        model = MaterialPage

    title = factory.Sequence(lambda n: f"Materi nomor {n}")
    slug = None
    intro = "Ringkasan singkat materi ini untuk warga."
    body = factory.LazyFunction(lambda: [{"type": "paragraph", "value": "<p>Isi materi.</p>"}])


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Halaman biasa {n}")
    slug = None
    intro = "Pengantar halaman."


# --- offices ----------------------------------------------------------------------------------------


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Kantor Wilayah Uji {n}")


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Kantor Imigrasi Uji {n}")
    region = factory.SubFactory(RegionFactory)
    hotline = "021-5507-0000"
    whatsapp = "+6281100000000"


# --- areas, sessions and attendance ---------------------------------------------------------------


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Desa Uji {n}")
    kecamatan = "Cengkareng"
    city = "Kota Jakarta Barat"
    province = "DKI Jakarta"

    @factory.post_generation
    def officers(area, create, extracted, **kwargs):
        if create and extracted:
            area.officers.add(*extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    """By default a scheduled, public Ngopi Pimpasa that started ten minutes ago: check-in is open."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Ngopi Pimpasa {n}")
    area = factory.SubFactory(AreaFactory)
    venue = "Balai Warga RW 17"
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=10))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + datetime.timedelta(hours=2))
    status = Session.Status.SCHEDULED

    @factory.post_generation
    def officers(session, create, extracted, **kwargs):
        if create and extracted:
            session.officers.add(*extracted)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    name = factory.Faker("name", locale="id_ID")
    name_key = factory.LazyAttribute(lambda attendance: person_key(attendance.name))
    phone = factory.Sequence(lambda n: f"+62812{n:08d}")
    gender = Attendance.Gender.FEMALE
    age_group = Attendance.AgeGroup.AGE_26_35
    rw = "17"
    source = Attendance.Source.SELF_SCAN
    checked_in_at = factory.LazyFunction(timezone.now)
    consent_at = factory.LazyFunction(timezone.now)
    consent_method = ConsentMethod.FORM


class GuestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guest

    session = factory.SubFactory(SessionFactory, kind=Session.Kind.TIMPORA, is_public=False)
    name = factory.Faker("name", locale="id_ID")
    institution = "Dinas Tenaga Kerja"
    gender = Attendance.Gender.MALE
    age_group = Attendance.AgeGroup.AGE_36_45
    consent_at = factory.LazyFunction(timezone.now)
    consent_method = ConsentMethod.OFFICER


class HeldSessionFactory(SessionFactory):
    """A session held yesterday and finished: what exports and reports read."""

    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    status = Session.Status.FINISHED


class HeldAttendanceFactory(AttendanceFactory):
    """Attendees of a held session, spread over genders, age groups and RWs, checked in (and
    consenting) just after the start."""

    session = factory.SubFactory(HeldSessionFactory)
    gender = factory.Iterator([Attendance.Gender.FEMALE, Attendance.Gender.MALE])
    age_group = factory.Iterator([code for code, _label in Attendance.AgeGroup.choices])
    rw = factory.Iterator(["01", "02", "03"])
    address = "Jl. Melati 5"
    checked_in_at = factory.LazyAttribute(
        lambda attendance: attendance.session.starts_at + datetime.timedelta(minutes=5)
    )
    consent_at = factory.LazyAttribute(lambda attendance: attendance.checked_in_at)


# --- tips and exports ------------------------------------------------------------------------------


class TipFactory(factory.django.DjangoModelFactory):
    """An anonymous tip by default; `identity=(name, contact)` stores one encrypted as the tip form
    does, and `received_at=` sets when it came in (overriding auto_now_add after saving)."""

    class Meta:
        model = Tip
        skip_postgeneration_save = True

    class Params:
        identity = None

    category = Tip.Category.TPPO
    description = "Ada perekrut yang menawarkan kerja di luar negeri tanpa dokumen resmi."
    area = factory.SubFactory(AreaFactory)
    tracking_code_hash = factory.LazyFunction(lambda: codes.hash_code(codes.new_code()))
    text_fingerprint = factory.LazyAttribute(lambda tip: fingerprints.fingerprint(tip.description))
    is_anonymous = factory.LazyAttribute(lambda tip: tip.identity is None)
    reporter_identity = factory.LazyAttribute(
        lambda tip: encrypt_identity(*tip.identity) if tip.identity else ""
    )
    identity_consent_at = factory.LazyAttribute(lambda tip: timezone.now() if tip.identity else None)

    @factory.post_generation
    def received_at(tip, create, extracted, **kwargs):
        if not (create and extracted):
            return
        consent_at = extracted if tip.identity_consent_at else None
        Tip.objects.filter(pk=tip.pk).update(created_at=extracted, identity_consent_at=consent_at)
        tip.created_at, tip.identity_consent_at = extracted, consent_at


class AgencyFactory(factory.django.DjangoModelFactory):
    """An agency tips are referred to, with one contact address unless `contacts=[...]` names them."""

    class Meta:
        model = Agency
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"BP3MI Uji {n}")
    kind = Agency.Kind.BP3MI

    @factory.post_generation
    def contacts(agency, create, extracted, **kwargs):
        if not create:
            return
        for order, email in enumerate(
            extracted if extracted is not None else [f"desk{agency.pk}@agency.test"]
        ):
            AgencyContact.objects.create(agency=agency, email=email, sort_order=order)


class ExportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportJob

    exporter = "attendance"
    requested_by = factory.SubFactory(UserFactory, role="Petugas PIMPASA")
    # The requester's office, as reporting.exports.jobs.request_export records it.
    office = factory.LazyAttribute(
        lambda job: getattr(getattr(job.requested_by, "office_membership", None), "office", None)
    )


# --- files ----------------------------------------------------------------------------------------


def image_bytes(image_format="JPEG", size=(64, 48), exif=None, color=(200, 30, 30)):
    output = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, color).save(output, format=image_format, **options)
    return output.getvalue()


def gps_exif():
    """EXIF with a camera model and a GPS position in Jakarta, as a phone would write."""
    exif = Image.Exif()
    exif[0x0110] = "PhoneModel X"  # Model
    gps = {1: "S", 2: (6.0, 7.0, 30.0), 3: "E", 4: (106.0, 52.0, 10.0)}
    exif[0x8825] = gps  # GPSInfo IFD
    return exif


def pdf_bytes(author=None, photo=None, incremental_author=None):
    """A one-page PDF as an office app or a scanning app writes it: `author` in the Info dictionary and
    in XMP, `photo` (JPEG bytes) drawn on the page; `incremental_author` adds an update that replaces
    the Info dictionary, leaving the first one in the file's earlier revision."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    if photo is not None:
        with Image.open(io.BytesIO(photo)) as picture:
            width, height = picture.size
        image = pikepdf.Stream(pdf, photo)
        image.Type, image.Subtype, image.Filter = (
            pikepdf.Name.XObject,
            pikepdf.Name.Image,
            pikepdf.Name.DCTDecode,
        )
        image.Width, image.Height, image.BitsPerComponent = width, height, 8
        image.ColorSpace = pikepdf.Name.DeviceRGB
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.Contents = pikepdf.Stream(pdf, f"q {width} 0 0 {height} 10 10 cm /Im0 Do Q".encode())
    if author:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
            xmp["dc:creator"] = [author]
            xmp["xmp:CreatorTool"] = "Samsung Notes 4.4"
        pdf.docinfo["/Author"] = author
        pdf.docinfo["/Creator"] = "Microsoft Word for SM-A145F"
        pdf.docinfo["/Producer"] = "Samsung Notes 4.4"
    output = io.BytesIO()
    pdf.save(output, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    content = output.getvalue()
    if incremental_author:
        with pikepdf.open(io.BytesIO(content)) as written:
            size, root = int(written.trailer.Size), written.Root.objgen[0]
        previous = int(content.rsplit(b"startxref", 1)[1].split()[0])
        info_at = len(content) + 1
        update = f"\n{size} 0 obj\n<< /Author ({incremental_author}) >>\nendobj\n".encode()
        xref_at = len(content) + len(update)
        update += (
            f"xref\n0 1\n0000000000 65535 f \n{size} 1\n{info_at:010d} 00000 n \n"
            f"trailer\n<< /Size {size + 1} /Root {root} 0 R /Info {size} 0 R /Prev {previous} >>\n"
            f"startxref\n{xref_at}\n%%EOF\n"
        ).encode()
        content += update
    return content
