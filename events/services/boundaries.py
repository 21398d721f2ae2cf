"""Areas' outlines from a GeoJSON file a supervisor uploads, for the "Where" page's map.

The file is a FeatureCollection; each feature is a Polygon or MultiPolygon in longitude/latitude
(WGS 84, as every GIS exports GeoJSON) whose properties name the area (`name`, `nama`, `kelurahan`,
`desa`, or BIG's `NAMOBJ` / `WADMKD`; `kecamatan` or `WADMKC` tells apart two areas of one name). A
file that cannot be read, is too large, or holds coordinates off the globe is refused whole, with the
reason; features naming no known area are listed and skipped. Large outlines are simplified (rounded
to about a metre, then thinned to at most MAX_RING_POINTS points a ring) before they are stored.
"""

import json
import math
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from events.models import Area, AreaBoundary

NAME_KEYS = ("name", "nama", "kelurahan", "desa", "namobj", "wadmkd", "area", "nama_desa", "nama_kel")
KECAMATAN_KEYS = ("kecamatan", "wadmkc", "nama_kec")
UPLOADED = "events.boundary_uploaded"
MAX_FEATURES = 2000
MAX_POINTS = 500_000
MAX_RING_POINTS = 300
DECIMALS = 5


class BoundaryError(Exception):
    """The file is refused whole; the message says why, in the user's language."""


@dataclass
class Parsed:
    """What a file holds: the outlines found per area, and the features that were skipped (with why)."""

    outlines: dict = field(default_factory=dict)  # Area -> polygons
    skipped: list = field(default_factory=list)  # (feature's name or number, reason)


def max_bytes():
    return settings.PIMPASA_BOUNDARY_MAX_BYTES


def normalise(name):
    """A name as compared: lower case, no 'kelurahan'/'desa'/'kel.' prefix, single spaces."""
    name = re.sub(r"[^\w\s]", " ", str(name).lower())
    name = re.sub(r"^\s*(kelurahan|desa|kel|ds)\s+", "", name)
    return " ".join(name.split())


def property_of(properties, keys):
    lowered = {str(key).lower(): value for key, value in properties.items()}
    for key in keys:
        value = lowered.get(key)
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    return None


def parse(data, areas=None):
    """Read a GeoJSON file's bytes against `areas` (a queryset; every area by default).

    Raises BoundaryError when the file is refused whole; returns Parsed otherwise.
    """
    if len(data) > max_bytes():
        raise BoundaryError(
            _("The file is larger than %(size)s MB: simplify the outlines in your GIS and upload again.")
            % {"size": round(max_bytes() / 1024 / 1024, 1)}
        )
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BoundaryError(_("The file is not GeoJSON (JSON text could not be read).")) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise BoundaryError(_("The file is not a GeoJSON FeatureCollection."))
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryError(_("The FeatureCollection holds no features."))
    if len(features) > MAX_FEATURES:
        raise BoundaryError(
            _("The file holds more than %(count)s features: upload your office's areas only.")
            % {"count": MAX_FEATURES}
        )
    by_name = {}
    for area in Area.objects.all() if areas is None else areas:
        by_name.setdefault(normalise(area.name), []).append(area)
    parsed, points = Parsed(), 0
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            raise BoundaryError(_("Feature %(number)s is not a GeoJSON feature.") % {"number": number})
        properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        name = property_of(properties, NAME_KEYS)
        label = name or _("feature %(number)s") % {"number": number}
        polygons = read_geometry(feature.get("geometry"), label)
        if polygons is None:
            parsed.skipped.append((label, _("not a Polygon or MultiPolygon")))
            continue
        points += sum(len(ring) for polygon in polygons for ring in polygon)
        if points > MAX_POINTS:
            raise BoundaryError(
                _("The outlines have more than %(count)s points: simplify them in your GIS first.")
                % {"count": f"{MAX_POINTS:,}".replace(",", ".")}
            )
        if name is None:
            parsed.skipped.append((label, _("no property names the area (name, nama, kelurahan, desa)")))
            continue
        area = match(by_name.get(normalise(name), []), property_of(properties, KECAMATAN_KEYS))
        if area is None:
            parsed.skipped.append((label, _("no area of this office has this name")))
            continue
        parsed.outlines.setdefault(area, []).extend(simplify(polygons))
    return parsed


def match(candidates, kecamatan):
    if len(candidates) == 1:
        return candidates[0]
    if kecamatan:
        named = [area for area in candidates if normalise(area.kecamatan) == normalise(kecamatan)]
        if len(named) == 1:
            return named[0]
    return None


def read_geometry(geometry, label):
    """The polygons of a Polygon or MultiPolygon, or None for another kind; BoundaryError when its
    coordinates are not longitude/latitude pairs."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return None
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise BoundaryError(_("“%(name)s” has no coordinates.") % {"name": label})
    checked = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise BoundaryError(_("“%(name)s” has a polygon without rings.") % {"name": label})
        checked.append([read_ring(ring, label) for ring in polygon])
    return checked


def read_ring(ring, label):
    if not isinstance(ring, list) or len(ring) < 4:
        raise BoundaryError(_("“%(name)s” has a ring of fewer than four points.") % {"name": label})
    points = []
    for point in ring:
        if (
            not isinstance(point, list)
            or len(point) < 2
            or not all(isinstance(value, int | float) and not isinstance(value, bool) for value in point[:2])
            or not all(math.isfinite(value) for value in point[:2])
        ):
            raise BoundaryError(_("“%(name)s” has a point that is not two numbers.") % {"name": label})
        lon, lat = point[0], point[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise BoundaryError(
                _(
                    "“%(name)s” has a point outside longitude −180…180 / latitude −90…90 (%(lon)s, %(lat)s): "
                    "export the file in WGS 84 (EPSG:4326)."
                )
                % {"name": label, "lon": lon, "lat": lat}
            )
        points.append((lon, lat))
    return points


def simplify(polygons):
    """Round to about a metre, drop repeated points, and thin each ring to MAX_RING_POINTS."""
    simplified = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            rounded = []
            for lon, lat in ring:
                point = [round(lon, DECIMALS), round(lat, DECIMALS)]
                if not rounded or rounded[-1] != point:
                    rounded.append(point)
            if len(rounded) > MAX_RING_POINTS:
                step = math.ceil(len(rounded) / MAX_RING_POINTS)
                rounded = rounded[::step] + [rounded[0]]
            if len(rounded) >= 4:
                rings.append(rounded)
        if rings:
            simplified.append(rings)
    return simplified


@transaction.atomic
def store(parsed, user):
    """Keep the outlines found: each named area's outline is replaced; others are left as they were."""
    for area, polygons in parsed.outlines.items():
        AreaBoundary.objects.update_or_create(area=area, defaults={"polygons": polygons, "uploaded_by": user})
        # In the area's history (the audit log): who changed its outline, and when.
        log(
            area,
            UPLOADED,
            user=user,
            data={"points": sum(len(ring) for polygon in polygons for ring in polygon)},
        )
    return len(parsed.outlines)


def load(data, user, areas=None):
    """Parse a file and store what it outlines (BoundaryError when refused whole); returns Parsed,
    whose `skipped` features the page lists (nothing is stored when no feature names an area)."""
    parsed = parse(data, areas)
    if parsed.outlines:
        store(parsed, user)
    return parsed
