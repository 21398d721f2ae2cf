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


def wrap_text(draw, text, font, max_width, max_lines):
    """`text` in lines no wider than `max_width` pixels, broken between words (a word too long for a
    line is broken inside); past `max_lines` the last line ends with an ellipsis."""
    lines = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= max_width:
            lines[-1] = candidate
            continue
        while draw.textlength(word, font=font) > max_width:
            cut = len(word)
            while cut > 1 and draw.textlength(word[:cut], font=font) > max_width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and draw.textlength(last + "…", font=font) > max_width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return lines


SHARE_TITLE_LINES = 3


def share_png(session, url):
    """A portrait card for the village WhatsApp group: title (wrapped, never cut mid-sentence unless
    it runs past three lines), when, where, and the QR."""
    width, height, margin = 1080, 1440, 60
    card = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(card)
    draw.rectangle([0, 0, width, 200], fill="#0b3c6d")
    draw.text((margin, 60), _("Ngopi Pimpasa"), fill="white", font=ImageFont.load_default(size=72))
    title_font = ImageFont.load_default(size=48)
    body = ImageFont.load_default(size=40)
    text_width = width - 2 * margin
    y = 230
    for line in wrap_text(draw, session.title, title_font, text_width, SHARE_TITLE_LINES):
        draw.text((margin, y), line, fill="#072a4d", font=title_font)
        y += 60
    details = [
        session.local_starts_at.strftime("%d-%m-%Y %H:%M") + f" {session.area.zone_abbreviation}",
        *wrap_text(draw, session.venue, body, text_width, 1),
        _("Scan to check in"),
    ]
    for line in details:
        draw.text((margin, y), line, fill="#1b1f24", font=body)
        y += 54
    qr_size = 720
    qr = _qr(url, box_size=20, border=2).make_image(fill_color="black", back_color="white").get_image()
    qr = qr.convert("RGB").resize((qr_size, qr_size), Image.NEAREST)
    card.paste(qr, ((width - qr_size) // 2, height - qr_size - 40))
    buffer = io.BytesIO()
    card.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
