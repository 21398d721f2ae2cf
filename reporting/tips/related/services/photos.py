"""A perceptual hash of a photo, on Pillow alone: two copies of one flyer (resized, re-compressed,
photographed again by another phone, slightly brighter) have hashes a few bits apart.

This is the difference hash ("dHash", as in the ImageHash library's `dhash`): the picture in grey,
shrunk to 9x8, and one bit per pair of neighbouring pixels, set when the left one is brighter. ImageHash
itself was not added: it needs numpy, scipy and PyWavelets (tens of megabytes of wheels on every web
and worker machine) for one function of twenty lines that Pillow already does.

To find similar photos by equality (an index, not a scan of every photo), the 64 bits are cut into
BANDS bands: two hashes at most BANDS - 1 bits apart share at least one band exactly (pigeonhole), so
every photo within STRONG_DISTANCE is found; photos further apart are found when they happen to share
a band, and compared by their whole hash.
"""

import io

from PIL import Image, ImageOps, UnidentifiedImageError

HASH_SIZE = 8
BITS = HASH_SIZE * HASH_SIZE
BANDS = 4
BAND_BITS = BITS // BANDS
# Up to STRONG_DISTANCE differing bits: the same picture; up to WEAK_DISTANCE: probably the same.
STRONG_DISTANCE = BANDS - 1
WEAK_DISTANCE = 10
# A decompression bomb is not hashed (the evidence cleaner refuses larger ones before this).
MAX_PIXELS = 50_000_000


class Unhashable(ValueError):
    """The file is not a picture Pillow can read."""


def dhash(content):
    """The 64-bit difference hash of an image's bytes, as 16 hex digits. Unhashable if unreadable."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise Unhashable("too large")
            image.draft("L", (HASH_SIZE * 4, HASH_SIZE * 4))  # JPEG: decode small, much faster
            grey = ImageOps.exif_transpose(image).convert("L")
            small = grey.resize((HASH_SIZE + 1, HASH_SIZE), Image.Resampling.LANCZOS)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise Unhashable(str(error)) from error
    pixels = small.tobytes()  # one byte per pixel in mode "L"
    value = 0
    for row in range(HASH_SIZE):
        for column in range(HASH_SIZE):
            left = pixels[row * (HASH_SIZE + 1) + column]
            right = pixels[row * (HASH_SIZE + 1) + column + 1]
            value = (value << 1) | (left > right)
    return f"{value:016x}"


def distance(first, second):
    """How many bits two hashes differ by."""
    return (int(first, 16) ^ int(second, 16)).bit_count()


def bands(hex_hash):
    """The hash's bands, each named by its place: ["0:ab12", "1:...", ...]."""
    width = BAND_BITS // 4
    return [f"{index}:{hex_hash[index * width : (index + 1) * width]}" for index in range(BANDS)]
