"""Pictures of the "Where" page, drawn on the server as SVG: a small bar chart per area (small
multiples) and a choropleth of the areas' uploaded outlines. No script, no tile server, no third
party; colours come from classes in static/css/admin.css. A hidden (suppressed) count is never drawn
to scale: it gets a hatched mark and its "< 5" in the title.
"""

import math

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

LEVELS = 5  # shades 0..4; 0 is an empty cell
MAP_WIDTH = 360
MAP_MAX_HEIGHT = 420


def joined(fragments):
    """SVG fragments already escaped by format_html, as one."""
    return format_html_join("", "{}", ((fragment,) for fragment in fragments))


def level(cell, top):
    """The shade of a shown count (0 for none, 1..4 by its share of the largest), or "hidden"."""
    if cell.hidden:
        return "hidden"
    if cell.value <= 0 or top <= 0:
        return "0"
    step = top / (LEVELS - 1)
    return str(max(1, min(LEVELS - 1, math.ceil(cell.value / step))))


def legend(top, limit=None):
    """The shades as (class, words) pairs, lightest first: the counts each shade stands for, by the
    same rule as `level` (a shade no whole count falls in is left out)."""
    items = [("0", "0")]
    step = top / (LEVELS - 1) if top else 0
    for index in range(1, LEVELS):
        low, high = math.floor(step * (index - 1)) + 1, math.floor(step * index)
        if low <= high:
            items.append((str(index), f"{low}–{high}" if high > low else str(low)))
    if limit:
        items.append(("hidden", _("hidden (< %(limit)s or *)") % {"limit": limit}))
    return items


def small_multiple(title, cells, labels, top):
    """One row's counts as tiny bars, 12 across, on the scale every row shares (`top`, the largest
    shown count of the table), so that rows compare at a glance; hidden counts as a grey mark at the
    baseline."""
    width, height, gap = 132, 36, 2
    top = top or 1
    slot = width / max(1, len(cells))
    parts = [
        format_html('<line class="chart__axis" x1="0" y1="{}" x2="{}" y2="{}"></line>', height, width, height)
    ]
    for index, (cell, label) in enumerate(zip(cells, labels, strict=True)):
        x = round(index * slot + gap / 2, 1)
        if cell.hidden:
            parts.append(
                format_html(
                    '<rect class="spark__hidden" x="{}" y="{}" width="{}" height="4"><title>{}: {}</title></rect>',
                    x,
                    height - 4,
                    round(slot - gap, 1),
                    label,
                    cell.text,
                )
            )
            continue
        bar = round((height - 2) * cell.value / top, 1)
        parts.append(
            format_html(
                '<rect class="spark__bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
                x,
                round(height - bar, 1),
                round(slot - gap, 1),
                bar,
                label,
                cell.text,
            )
        )
    return format_html(
        '<svg class="spark" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>{}</svg>',
        width,
        height,
        title,
        title,
        joined(parts),
    )


def projector(outlines):
    """An equirectangular projection of the outlines' bounding box onto MAP_WIDTH: x grows with
    longitude (shrunk by the cosine of the middle latitude, so a kelurahan keeps its shape), y falls
    with latitude. Returns (project(lon, lat) -> (x, y), height)."""
    points = [point for polygons in outlines for polygon in polygons for ring in polygon for point in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    shrink = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * shrink, 1e-9)
    span_y = max(north - south, 1e-9)
    margin = 4
    scale = min((MAP_WIDTH - 2 * margin) / span_x, (MAP_MAX_HEIGHT - 2 * margin) / span_y)
    height = round(span_y * scale + 2 * margin)

    def project(lon, lat):
        return round(margin + (lon - west) * shrink * scale, 1), round(margin + (north - lat) * scale, 1)

    return project, height


def path_data(polygons, project):
    rings = []
    for polygon in polygons:
        for ring in polygon:
            points = [project(lon, lat) for lon, lat in ring]
            rings.append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
    return "".join(rings)


def choropleth(title, areas, top):
    """`areas`: (name, polygons, Shown, drill-down url) for each area with an outline. Each area is a
    link to its drill-down with a <title> naming it and its count."""
    project, height = projector([polygons for _name, polygons, _cell, _url in areas])
    paths = [
        format_html(
            '<a href="{}"><path class="map__area heat--{}" d="{}" fill-rule="evenodd">'
            "<title>{}: {}</title></path></a>",
            url,
            level(cell, top),
            path_data(polygons, project),
            name,
            cell.text,
        )
        for name, polygons, cell, url in areas
    ]
    return format_html(
        '<svg class="map" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>{}</svg>',
        MAP_WIDTH,
        height,
        title,
        title,
        joined(paths),
    )
