"""QR images of check-in URLs and tickets: PNG for sharing and download, SVG for print and screens."""

import io

import qrcode
import qrcode.image.svg
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont


def _qr(data, box_size=10, border=4):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_png(data, box_size=10):
    image = _qr(data, box_size).make_image(fill_color="black", back_color="white").get_image()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def qr_svg(data):
    """A standalone SVG document (scales to any size without blur)."""
    image = _qr(data, box_size=10).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def share_png(session, url):
    """A portrait card for the village WhatsApp group: title, when, where, and the QR."""
    width, height = 1080, 1440
    card = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(card)
    draw.rectangle([0, 0, width, 200], fill="#0b3c6d")
    draw.text((60, 60), _("Ngopi Pimpasa"), fill="white", font=ImageFont.load_default(size=72))
    body = ImageFont.load_default(size=44)
    lines = [
        session.title,
        session.local_starts_at.strftime("%d-%m-%Y %H:%M") + f" {session.area.zone_abbreviation}",
        session.venue,
        _("Scan to check in"),
    ]
    y = 240
    for line in lines:
        draw.text((60, y), line[:42], fill="#1b1f24", font=body)
        y += 64
    qr = _qr(url, box_size=20, border=2).make_image(fill_color="black", back_color="white").get_image()
    qr = qr.convert("RGB").resize((820, 820), Image.NEAREST)
    card.paste(qr, ((width - 820) // 2, height - 820 - 60))
    buffer = io.BytesIO()
    card.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
