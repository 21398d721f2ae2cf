"""MP4 and QuickTime (MOV) videos without the metadata that identifies who filmed them and where.

Phones write the place and the device into the movie header, not into the pictures: Android's `©xyz`
and `loci` in `moov/udta`, Apple's `com.apple.quicktime.location.ISO6709`, `make`, `model` and
`software` keys in `moov/meta`, XMP in `uuid` or `udta/XMP_` boxes, and sometimes a whole timed
metadata track (a GPS trace, Apple's `mebx`, GoPro's `gpmd`). No well-kept Python library removes all
of these (mutagen deletes only the iTunes-style `ilst` tags), so this module rewrites the boxes itself:

- every `udta`, `meta`, `uuid`, `free`/`skip` box, and any top-level box that is not part of the
  movie, becomes a `free` box of the same size filled with zeros;
- a track that is neither picture nor sound becomes `free` too, and its samples in `mdat` are zeroed;
- the creation and modification times in `mvhd`, `tkhd` and `mdhd` are zeroed.

Nothing changes size, so the sample offsets the player follows stay right whatever the box order
(`moov` before or after `mdat`), and the pictures and sound are the reporter's bytes, untouched.
"""

HEADER_SIZES = (8, 16)
# Boxes that only hold other boxes, on the way to the tracks and the metadata inside them.
CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex", b"moof", b"traf"}
# Metadata or free space (which may still hold old metadata), wherever they are.
BLANKED = {b"udta", b"meta", b"uuid", b"free", b"skip", b"XMP_", b"ID32", b"xml "}
# What a movie file is made of at its top level; anything else there is blanked.
TOP_LEVEL = {
    b"ftyp",
    b"moov",
    b"mdat",
    b"moof",
    b"mfra",
    b"sidx",
    b"styp",
    b"ssix",
    b"prft",
    b"pdin",
    b"wide",
}
TIMED_HEADERS = {b"mvhd", b"tkhd", b"mdhd"}
KEPT_TRACKS = {b"vide", b"soun"}


class BrokenVideo(ValueError):
    """The file is not a movie this module can read box by box (damaged, truncated or disguised)."""


class UnremovableMetadata(ValueError):
    """The movie carries metadata this module cannot take out without breaking it."""


class Box:
    __slots__ = ("header", "kind", "size", "start")

    def __init__(self, kind, start, header, size):
        self.kind, self.start, self.header, self.size = kind, start, header, size

    @property
    def payload_start(self):
        return self.start + self.header

    @property
    def end(self):
        return self.start + self.size


def boxes(data, start, end):
    """The boxes between `start` and `end`, each checked to lie inside them."""
    position, found = start, []
    while position < end:
        if end - position < 8:
            raise BrokenVideo(f"{end - position} stray bytes at {position}")
        size = int.from_bytes(data[position : position + 4], "big")
        kind = bytes(data[position + 4 : position + 8])
        header = 8
        if size == 1:
            if end - position < 16:
                raise BrokenVideo(f"truncated large box at {position}")
            size = int.from_bytes(data[position + 8 : position + 16], "big")
            header = 16
        elif size == 0:  # "to the end of the file"
            size = end - position
        if size < header or position + size > end:
            raise BrokenVideo(f"box {kind!r} at {position} claims {size} bytes")
        found.append(Box(kind, position, header, size))
        position += size
    return found


def children(data, box):
    return boxes(data, box.payload_start, box.end)


def child(data, box, kind):
    return next((found for found in children(data, box) if found.kind == kind), None)


def blank(data, box):
    """Turn a box into a `free` box of the same size holding only zeros."""
    data[box.start + 4 : box.start + 8] = b"free"
    data[box.payload_start : box.end] = bytes(box.size - box.header)


def zero_times(data, box):
    """Zero the creation and modification times of an mvhd/tkhd/mdhd box (version 0 or 1)."""
    payload = box.payload_start
    width = 8 if data[payload] == 1 else 4
    if box.size - box.header < 4 + 2 * width:
        raise BrokenVideo(f"short {box.kind!r} box")
    data[payload + 4 : payload + 4 + 2 * width] = bytes(2 * width)


def handler(data, trak):
    mdia = child(data, trak, b"mdia")
    hdlr = mdia and child(data, mdia, b"hdlr")
    if hdlr is None or hdlr.size - hdlr.header < 12:
        return None
    return bytes(data[hdlr.payload_start + 8 : hdlr.payload_start + 12])


def _table(data, box, entry_size, skip=0):
    """The entries of a sample table box: version/flags, `skip` bytes, a count, then the entries."""
    start = box.payload_start + 4 + skip
    count = int.from_bytes(data[start : start + 4], "big")
    start += 4
    if start + count * entry_size > box.end:
        raise BrokenVideo(f"{box.kind!r} lists more entries than it holds")
    return [data[start + n * entry_size : start + (n + 1) * entry_size] for n in range(count)]


def sample_ranges(data, trak):
    """(offset, length) of every chunk of a track's samples, from its sample tables."""
    path = [b"mdia", b"minf", b"stbl"]
    stbl = trak
    for kind in path:
        stbl = child(data, stbl, kind)
        if stbl is None:
            return []
    tables = {found.kind: found for found in children(data, stbl)}
    if b"stz2" in tables:
        raise UnremovableMetadata("compact sample sizes")
    if b"stsz" not in tables or b"stsc" not in tables or not ({b"stco", b"co64"} & tables.keys()):
        return []
    stsz = tables[b"stsz"]
    fixed_size = int.from_bytes(data[stsz.payload_start + 4 : stsz.payload_start + 8], "big")
    sizes = [] if fixed_size else [int.from_bytes(entry, "big") for entry in _table(data, stsz, 4, skip=4)]
    runs = [
        (int.from_bytes(entry[:4], "big"), int.from_bytes(entry[4:8], "big"))
        for entry in _table(data, tables[b"stsc"], 12)
    ]
    if b"co64" in tables:
        offsets = [int.from_bytes(entry, "big") for entry in _table(data, tables[b"co64"], 8)]
    else:
        offsets = [int.from_bytes(entry, "big") for entry in _table(data, tables[b"stco"], 4)]
    ranges, sample = [], 0
    for chunk_number, offset in enumerate(offsets, start=1):
        per_chunk = next((count for first, count in reversed(runs) if first <= chunk_number), 0)
        length = fixed_size * per_chunk if fixed_size else sum(sizes[sample : sample + per_chunk])
        sample += per_chunk
        ranges.append((offset, length))
    return ranges


def strip_track(data, trak, media):
    """Blank a track that is neither picture nor sound, zeroing its samples first."""
    for offset, length in sample_ranges(data, trak):
        if not any(start <= offset and offset + length <= end for start, end in media):
            raise BrokenVideo("a track's samples lie outside the media data")
        data[offset : offset + length] = bytes(length)
    blank(data, trak)


def clean(data, box, media):
    """Blank the metadata under `box`, recursively through the containers."""
    for found in children(data, box):
        if found.kind in BLANKED:
            blank(data, found)
        elif found.kind in TIMED_HEADERS:
            zero_times(data, found)
        elif found.kind == b"trak" and handler(data, found) not in KEPT_TRACKS:
            strip_track(data, found, media)
        elif found.kind in CONTAINERS:
            clean(data, found, media)


def movie_tracks(data):
    """The handlers of the tracks the movie still has: a check that it is still a movie."""
    top = boxes(data, 0, len(data))
    moov = [found for found in top if found.kind == b"moov"]
    if not top or top[0].kind != b"ftyp" or len(moov) != 1 or child(data, moov[0], b"mvhd") is None:
        raise BrokenVideo("no single movie header")
    return [handler(data, found) for found in children(data, moov[0]) if found.kind == b"trak"]


def strip(content):
    """The movie's bytes with its metadata gone; BrokenVideo or UnremovableMetadata if impossible."""
    data = bytearray(content)
    if not KEPT_TRACKS & set(movie_tracks(data)):
        raise BrokenVideo("no picture or sound track")
    top = boxes(data, 0, len(data))
    media = [(found.payload_start, found.end) for found in top if found.kind == b"mdat"]
    fragmented = any(found.kind in {b"moof", b"mfra"} for found in top)
    for found in top:
        if found.kind == b"wide" and found.size == found.header:
            continue
        if found.kind not in TOP_LEVEL:
            blank(data, found)
        elif found.kind in CONTAINERS:
            if fragmented and found.kind == b"moov" and set(movie_tracks(data)) - KEPT_TRACKS:
                # A fragmented movie spreads each track over many fragments: refuse rather than guess.
                raise UnremovableMetadata("metadata track in a fragmented movie")
            clean(data, found, media)
    if not KEPT_TRACKS & set(movie_tracks(data)):
        raise BrokenVideo("no picture or sound track left")
    return bytes(data)
