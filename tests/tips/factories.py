import io
from datetime import timedelta

import factory
from django.utils import timezone
from PIL import Image

from events.models import Area, Session
from reporting.tips.models import Tip
from reporting.tips.services import codes


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("name", "kecamatan", "city")

    name = factory.Sequence(lambda n: f"Kelurahan Uji {n}")
    kecamatan = "Cilincing"
    city = "Jakarta Utara"
    province = "DKI Jakarta"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    title = factory.Sequence(lambda n: f"Ngopi Pimpasa RW {n:02d}")
    area = factory.SubFactory(AreaFactory)
    venue = "Balai warga"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
    status = Session.Status.ONGOING


class TipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tip

    category = Tip.Category.TPPO
    description = "Ada perekrut yang menawarkan kerja di luar negeri tanpa dokumen resmi."
    area = factory.SubFactory(AreaFactory)
    tracking_code_hash = factory.LazyFunction(lambda: codes.hash_code(codes.new_code()))


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
