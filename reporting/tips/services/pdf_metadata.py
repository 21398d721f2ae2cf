"""PDFs made inert and anonymous: no active content, no metadata, no decompression bomb.

Metadata. A PDF says who wrote it in its Info dictionary (Author, Creator, Producer, dates) and again
in XMP streams (the document's and any page's or image's), applications keep private data in
PieceInfo, and a scanning app's photos keep their EXIF (GPS, phone model) inside each JPEG. Earlier
versions of all of this survive in a file's incremental updates. pikepdf (qpdf) rewrites the whole
file, so only objects still in use are written; before that this module removes the Info dictionary,
every /Metadata and /PieceInfo entry, and the EXIF/XMP/ICC/comment segments of every embedded JPEG
(the compressed picture itself is copied unchanged).

Active content. A PDF can run JavaScript or reach out when an officer or an agency opens it: the
document's open action, additional actions (/AA) on the catalog, pages, annotations and form fields,
document-level scripts (/Names /JavaScript), link and bookmark actions (URI, Launch, GoToR, GoToE,
SubmitForm, ImportData, JavaScript...), multimedia annotations and XFA forms. All of it is removed:
every action except a jump to a page of the same document (GoTo, without a chained /Next) is taken
out, so a link stays a visible rectangle that leads nowhere. The rewritten file is opened again and
walked; if anything active is still there, the file is refused (InertFailed), never stored.

Attached files are refused: they are whole files of their own, with metadata and content this module
cannot see into; the reporter is asked to send them on their own.

Bombs. Every stream is decoded once, under a running budget: no stream may decode to more than
MAX_STREAM_DECODED and all of them together to more than MAX_DECODED; qpdf's own per-stream limits
are set to the same figure so that nothing, not even reading the cross-reference streams on opening,
can expand without bound. Pictures kept compressed (JPEG, JPEG 2000, JBIG2, fax) count by the pixels
their dictionary declares. A file over budget is refused (Bomb).
"""

import io

import pikepdf
from pikepdf import settings as qpdf_settings

# JPEG segments that carry metadata: APP1 (EXIF, XMP), APP2 (ICC, FlashPix), APP3-APP13 (maker data,
# Photoshop IPTC), APP15 and comments. APP0 (JFIF) and APP14 (Adobe colour transform) are needed to
# decode the picture and stay. A PDF image declares its colour space in its own dictionary, so
# dropping the JPEG's ICC segment does not change how it is drawn.
JPEG_METADATA_MARKERS = {*range(0xE1, 0xEE), 0xEF, 0xFE}
JPEG_STANDALONE_MARKERS = {0x01, *range(0xD0, 0xD8)}
METADATA_KEYS = ("/Metadata", "/PieceInfo")

# Budgets for decoding (bytes). A scanned A4 page at 300 dpi in colour is 26 MB decoded; a genuine
# evidence PDF of 10 MB rarely decodes to more than a few hundred MB in all.
MAX_STREAM_DECODED = 128 * 1024 * 1024
MAX_DECODED = 512 * 1024 * 1024
# A picture inside a PDF may not declare more pixels than this (a 600 dpi A3 scan is 70 MP).
MAX_IMAGE_PIXELS = 150_000_000
# One LZW code (9 to 12 bits) stands for at most about 4000 bytes.
LZW_MAX_RATIO = 3600
IMAGE_FILTERS = {"/DCTDecode", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode"}

# Actions (PDF 2.0, 12.6.4): only a jump inside the document is harmless. Other dictionaries have an
# /S too (page labels, groups, structure elements, border styles), so an action is known by its type.
SAFE_ACTIONS = {"/GoTo"}
ACTION_TYPES = {
    "/GoTo",
    "/GoToR",
    "/GoToE",
    "/GoToDp",
    "/Launch",
    "/Thread",
    "/URI",
    "/Sound",
    "/Movie",
    "/Hide",
    "/Named",
    "/SubmitForm",
    "/ResetForm",
    "/ImportData",
    "/JavaScript",
    "/SetOCGState",
    "/Rendition",
    "/Trans",
    "/GoTo3DView",
    "/RichMediaExecute",
}
# Annotations that play media or carry files; they are dropped from their page.
ACTIVE_ANNOTATIONS = {"/Screen", "/Movie", "/Sound", "/RichMedia", "/3D", "/FileAttachment"}
# Keys that hold or trigger active content wherever they appear.
ACTIVE_KEYS = ("/AA", "/JS", "/JavaScript", "/XFA", "/RichMediaContent", "/RichMediaSettings")

# qpdf decodes Flate, RunLength and predictor output within these limits, including while opening.
qpdf_settings.set_qpdf_limits(
    flate_max_memory=MAX_STREAM_DECODED,
    run_length_max_memory=MAX_STREAM_DECODED,
    png_max_memory=MAX_STREAM_DECODED,
    tiff_max_memory=MAX_STREAM_DECODED,
    dct_max_memory=MAX_STREAM_DECODED,
)


class BrokenPdf(ValueError):
    """Not a PDF that can be opened and rewritten (damaged, truncated or disguised)."""


class LockedPdf(ValueError):
    """The PDF needs a password to open."""


class AttachedFiles(ValueError):
    """The PDF carries attached files."""


class Bomb(ValueError):
    """The PDF's streams decode to far more than any real document (a decompression bomb)."""


class InertFailed(ValueError):
    """Active content was still found after rewriting; the file cannot be made inert."""


def strip_jpeg(data):
    """A JPEG's bytes without its metadata segments, everything from the picture data on unchanged."""
    if data[:2] != b"\xff\xd8":
        raise BrokenPdf("an embedded JPEG does not start like one")
    kept, position = [b"\xff\xd8"], 2
    while True:
        if position + 4 > len(data) or data[position] != 0xFF:
            raise BrokenPdf("an embedded JPEG ends before its picture data")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in JPEG_STANDALONE_MARKERS:
            kept.append(data[position : position + 2])
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        end = position + 2 + length
        if length < 2 or end > len(data):
            raise BrokenPdf("an embedded JPEG segment runs past its end")
        if marker == 0xDA:  # start of scan: the picture data follows, kept as it is
            kept.append(data[position:])
            return b"".join(kept)
        if marker not in JPEG_METADATA_MARKERS:
            kept.append(data[position:end])
        position = end


def _filters(stream):
    filters = stream.get("/Filter")
    if filters is None:
        return []
    if isinstance(filters, pikepdf.Array):
        return [str(item) for item in filters]
    return [str(filters)]


def _is_jpeg(stream):
    return _filters(stream) == ["/DCTDecode"]


def _lzw_decoded_length(data, limit, early_change=1):
    """How many bytes an LZW stream decodes to, counted from the code lengths alone (no output is
    built), stopping as soon as it passes `limit`. qpdf has no memory limit of its own for LZW."""
    lengths = [1] * 256 + [0, 0]  # 256 clear, 257 end of data
    total, previous, width, bits, count = 0, None, 9, 0, 0
    for byte in data:
        bits = (bits << 8) | byte
        count += 8
        while count >= width:
            count -= width
            code = (bits >> count) & ((1 << width) - 1)
            bits &= (1 << count) - 1
            if code == 256:
                del lengths[258:]
                previous, width = None, 9
                continue
            if code == 257:
                return total
            if code < len(lengths):
                length = lengths[code]
            elif code == len(lengths) and previous is not None:
                length = lengths[previous] + 1
            else:
                raise BrokenPdf("an LZW stream is damaged")
            if previous is not None and len(lengths) < 4096:
                lengths.append(lengths[previous] + 1)
            previous = code
            total += length
            if total > limit:
                return total
            if len(lengths) + early_change >= (1 << width) and width < 12:
                width += 1
    return total


class _Budget:
    def __init__(self):
        self.spent = 0

    def spend(self, amount):
        if amount > MAX_STREAM_DECODED:
            raise Bomb(f"a stream decodes to more than {MAX_STREAM_DECODED} bytes")
        self.spent += amount
        if self.spent > MAX_DECODED:
            raise Bomb(f"the streams decode to more than {MAX_DECODED} bytes")


def _declared_pixels(stream):
    try:
        width, height = int(stream.get("/Width", 0)), int(stream.get("/Height", 0))
    except (TypeError, ValueError):
        raise BrokenPdf("an image's size is not a number") from None
    if width < 0 or height < 0:
        raise BrokenPdf("an image has a negative size")
    return width * height


def _check_stream(stream, budget):
    """Count what one stream decodes to against the budget, refusing a bomb before it expands."""
    filters = _filters(stream)
    pixels = _declared_pixels(stream) if stream.get("/Subtype") == pikepdf.Name.Image else 0
    if pixels > MAX_IMAGE_PIXELS:
        raise Bomb(f"a picture declares {pixels} pixels")
    if IMAGE_FILTERS.intersection(filters):
        # Kept compressed: a viewer decodes it to its pixels (at most 4 bytes each).
        budget.spend(pixels * 4)
        return
    if "/LZWDecode" in filters:
        # Only the first filter's output is bounded here; qpdf limits what Flate makes of it after.
        raw = stream.read_raw_bytes()
        parms = stream.get("/DecodeParms")
        early = 1
        if isinstance(parms, pikepdf.Dictionary):
            early = int(parms.get("/EarlyChange", 1))
        if filters[0] == "/LZWDecode":
            budget.spend(_lzw_decoded_length(raw, MAX_STREAM_DECODED, early))
        elif len(raw) * LZW_MAX_RATIO > MAX_STREAM_DECODED:
            # Behind another filter the LZW input is not at hand to count: bounded by its ratio.
            raise Bomb("an LZW stream behind another filter could expand without bound")
    try:
        budget.spend(len(stream.read_bytes()))
    except pikepdf.DataDecodingError as error:
        if "limit" in str(error):
            raise Bomb(str(error)) from None
        raise BrokenPdf(str(error)) from None


def _name(value):
    return str(value) if isinstance(value, pikepdf.Name) else None


def _is_action(value):
    if not isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
        return False
    kind = _name(value.get("/Type"))
    if kind == "/Action":
        return True
    return kind is None and _name(value.get("/S")) in ACTION_TYPES


def _action_is_safe(action):
    return _name(action.get("/S")) in SAFE_ACTIONS and "/Next" not in action


def _clean_dictionary(obj):
    """Take active keys and unsafe actions out of one dictionary (or stream dictionary)."""
    for key in ACTIVE_KEYS:
        if key in obj:
            del obj[key]
    action = obj.get("/A")
    if action is not None and _is_action(action) and not _action_is_safe(action):
        del obj["/A"]
    if _is_action(obj) and not _action_is_safe(obj):
        # An action object reached from elsewhere (an outline, a name tree): empty it.
        for key in list(obj.keys()):
            if key != "/Type":
                del obj[key]
    if "/URI" in obj and obj.get("/S") is None:  # the catalog's base URI
        del obj["/URI"]
    if "/Annots" in obj and isinstance(obj.Annots, pikepdf.Array):
        kept = [
            annotation
            for annotation in obj.Annots
            if not (
                isinstance(annotation, pikepdf.Dictionary)
                and _name(annotation.get("/Subtype")) in ACTIVE_ANNOTATIONS
            )
        ]
        if len(kept) != len(obj.Annots):
            obj.Annots = pikepdf.Array(kept)


def _children(obj):
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        return [value for _key, value in obj.items()]
    if isinstance(obj, pikepdf.Array):
        return list(obj)
    return []


def walk(pdf):
    """Every dictionary, stream and array of the file: each indirect object and everything written
    directly inside it (an annotation's action is often not an object of its own)."""
    for top in pdf.objects:
        pending = [top]
        while pending:
            obj = pending.pop()
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array):
                yield obj
                pending.extend(
                    child
                    for child in _children(obj)
                    if isinstance(child, pikepdf.Object) and not child.is_indirect
                )


def _is_embedded_file(obj):
    if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        return False
    return obj.get("/Type") == pikepdf.Name.EmbeddedFile or "/EmbeddedFiles" in obj or "/EF" in obj


def active_content(pdf):
    """What is still active in an opened PDF (names of what was found; empty when inert)."""
    found = []
    root = pdf.Root
    open_action = root.get("/OpenAction")
    if isinstance(open_action, pikepdf.Dictionary) and not _action_is_safe(open_action):
        found.append("/OpenAction")
    for obj in walk(pdf):
        if isinstance(obj, pikepdf.Array):
            continue
        if _is_embedded_file(obj):
            found.append("embedded file")
        found.extend(key for key in ACTIVE_KEYS if key in obj)
        if _is_action(obj) and not _action_is_safe(obj):
            found.append(str(obj.get("/S")))
        if _name(obj.get("/Subtype")) in ACTIVE_ANNOTATIONS:
            found.append(str(obj.get("/Subtype")))
    return found


def _make_inert(pdf):
    root = pdf.Root
    open_action = root.get("/OpenAction")
    # A destination array only says which page to show first; a dictionary is an action.
    if isinstance(open_action, pikepdf.Dictionary) and not _action_is_safe(open_action):
        del root["/OpenAction"]
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key in ("/JavaScript", "/URLS", "/AlternatePresentations", "/Renditions"):
            if key in names:
                del names[key]
    form = root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary) and "/XFA" in form:
        del form["/XFA"]
    for obj in list(walk(pdf)):
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            _clean_dictionary(obj)


def _open(content):
    try:
        return pikepdf.open(io.BytesIO(content))
    except pikepdf.PasswordError:
        raise LockedPdf("password") from None
    except pikepdf.DataDecodingError as error:
        raise (Bomb if "limit" in str(error) else BrokenPdf)(str(error)) from None
    except (pikepdf.PdfError, ValueError, OSError) as error:
        raise BrokenPdf(str(error)) from None


def check_opens(content):
    """What can be told quickly, without decoding the streams: the file opens, needs no password and
    has pages. BrokenPdf or LockedPdf otherwise."""
    with _open(content) as pdf:
        try:
            if len(pdf.pages) == 0:
                raise BrokenPdf("no pages")
        except (pikepdf.PdfError, RuntimeError) as error:
            raise BrokenPdf(str(error)) from None


def strip(content):
    """The PDF rewritten inert and without metadata; BrokenPdf, LockedPdf, AttachedFiles, Bomb or
    InertFailed if it cannot be."""
    pdf = _open(content)
    with pdf:
        try:
            if len(pdf.pages) == 0:
                raise BrokenPdf("no pages")
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            budget = _Budget()
            for obj in pdf.objects:
                if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                    continue
                if _is_embedded_file(obj):
                    raise AttachedFiles("embedded file")
                for key in METADATA_KEYS:
                    if key in obj:
                        del obj[key]
                if isinstance(obj, pikepdf.Stream):
                    _check_stream(obj, budget)
                    is_image = obj.get("/Subtype") == pikepdf.Name.Image
                    if is_image and _is_jpeg(obj):
                        stripped = strip_jpeg(obj.read_raw_bytes())
                        obj.write(
                            stripped, filter=pikepdf.Name.DCTDecode, decode_parms=obj.get("/DecodeParms")
                        )
            _make_inert(pdf)
            output = io.BytesIO()
            # A fresh /ID: the original one can tie this copy to the reporter's own file.
            pdf.save(output, preserve_pdfa=False, fix_metadata_version=False, deterministic_id=True)
        except (pikepdf.PdfError, ValueError, OSError, RuntimeError) as error:
            if isinstance(error, BrokenPdf | AttachedFiles | Bomb):
                raise
            if isinstance(error, pikepdf.DataDecodingError) and "limit" in str(error):
                raise Bomb(str(error)) from None
            raise BrokenPdf(str(error)) from None
    cleaned = output.getvalue()
    with pikepdf.open(io.BytesIO(cleaned)) as written:
        if remaining := active_content(written):
            raise InertFailed(", ".join(sorted(set(remaining))))
    return cleaned
