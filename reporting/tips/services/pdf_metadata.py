"""PDFs without the metadata that names their author or the device that made them.

A PDF says who wrote it in its Info dictionary (Author, Creator, Producer, dates) and again in XMP
streams (the document's and any page's or image's), applications keep private data in PieceInfo,
and a scanning app's photos keep their EXIF (GPS, phone model) inside each JPEG. Earlier versions of
all of this survive in a file's incremental updates. pikepdf (qpdf) rewrites the whole file, so only
objects still in use are written; before that this module removes the Info dictionary, every
/Metadata and /PieceInfo entry, and the EXIF/XMP/comment segments of every embedded JPEG (the
compressed picture itself is copied unchanged). Attached files are refused: they are whole files of
their own, with metadata this module cannot see into.
"""

import io

import pikepdf

# JPEG segments that carry metadata: APP1 (EXIF, XMP), APP2 (ICC, FlashPix), APP3-APP13 (maker data,
# Photoshop IPTC), APP15 and comments. APP0 (JFIF) and APP14 (Adobe colour transform) are needed to
# decode the picture and stay.
JPEG_METADATA_MARKERS = {*range(0xE1, 0xEE), 0xEF, 0xFE}
JPEG_STANDALONE_MARKERS = {0x01, *range(0xD0, 0xD8)}
METADATA_KEYS = ("/Metadata", "/PieceInfo")


class BrokenPdf(ValueError):
    """Not a PDF that can be opened and rewritten (damaged, truncated or disguised)."""


class LockedPdf(ValueError):
    """The PDF needs a password to open."""


class AttachedFiles(ValueError):
    """The PDF carries attached files."""


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


def _is_jpeg(stream):
    filters = stream.get("/Filter")
    if isinstance(filters, pikepdf.Array):
        return len(filters) == 1 and filters[0] == pikepdf.Name.DCTDecode
    return filters == pikepdf.Name.DCTDecode


def strip(content):
    """The PDF rewritten without metadata; BrokenPdf, LockedPdf or AttachedFiles if it cannot be."""
    try:
        pdf = pikepdf.open(io.BytesIO(content))
    except pikepdf.PasswordError:
        raise LockedPdf("password") from None
    except (pikepdf.PdfError, ValueError, OSError) as error:
        raise BrokenPdf(str(error)) from None
    with pdf:
        try:
            if len(pdf.pages) == 0:
                raise BrokenPdf("no pages")
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            for obj in pdf.objects:
                if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                    continue
                if obj.get("/Type") == pikepdf.Name.EmbeddedFile or "/EmbeddedFiles" in obj:
                    raise AttachedFiles("embedded file")
                for key in METADATA_KEYS:
                    if key in obj:
                        del obj[key]
                is_image = isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image
                if is_image and _is_jpeg(obj):
                    stripped = strip_jpeg(obj.read_raw_bytes())
                    obj.write(stripped, filter=pikepdf.Name.DCTDecode, decode_parms=obj.get("/DecodeParms"))
            output = io.BytesIO()
            # A fresh /ID: the original one can tie this copy to the reporter's own file.
            pdf.save(output, preserve_pdfa=False, fix_metadata_version=False, deterministic_id=True)
        except (pikepdf.PdfError, ValueError, OSError, RuntimeError) as error:
            if isinstance(error, BrokenPdf | AttachedFiles):
                raise
            raise BrokenPdf(str(error)) from None
    return output.getvalue()
