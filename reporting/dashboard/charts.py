"""Charts drawn on the server as SVG: no script, no CDN, sharp on any screen, readable on a phone.

Each chart is an <svg role="img"> with a title naming what it shows; the panel puts the same figures
in a table beside it. Colours come from classes (static/css/admin.css), never inline styles.
"""

from dataclasses import dataclass

from django.utils import formats
from django.utils.html import format_html, format_html_join

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 130
CHART_WIDTH = 360
VALUE_WIDTH = 50


def number(value):
    return formats.number_format(value, force_grouping=True)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    # What to write at the bar's end instead of the value: "< 5" for a hidden count of tips
    # (pimpasa.suppression), drawn as a bar of no length.
    text: str | None = None

    @property
    def shown(self):
        return number(self.value) if self.text is None else self.text


def bar_chart(title, bars):
    """Horizontal bars, one per row, the label on the left and the value at the bar's end."""
    bars = list(bars)
    top = max((bar.value for bar in bars), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = len(bars) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    rows = []
    for index, bar in enumerate(bars):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        width = round(span * bar.value / top, 1)
        rows.append(
            format_html(
                '<text class="chart__label" x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect class="chart__bar" x="{}" y="{}" width="{}" height="{}" rx="3"></rect>'
                '<text class="chart__value" x="{}" y="{}">{}</text>',
                LABEL_WIDTH - 6,
                y + BAR_HEIGHT * 0.7,
                _shorten(bar.label, 18),
                LABEL_WIDTH,
                y,
                width,
                BAR_HEIGHT,
                LABEL_WIDTH + width + 4,
                y + BAR_HEIGHT * 0.7,
                bar.shown,
            )
        )
    return _svg(title, CHART_WIDTH, height, _joined(rows))


def column_chart(title, columns, *, caption_of=str):
    """Vertical columns over time (the 12-month trend), the month under each and the value above."""
    columns = list(columns)
    top = max((column.value for column in columns), default=0) or 1
    plot_height, label_room, value_room = 120, 20, 16
    slot = CHART_WIDTH / max(1, len(columns))
    width = slot * 0.64
    parts = [
        format_html(
            '<line class="chart__axis" x1="0" y1="{}" x2="{}" y2="{}"></line>',
            value_room + plot_height,
            CHART_WIDTH,
            value_room + plot_height,
        )
    ]
    for index, column in enumerate(columns):
        height = round(plot_height * column.value / top, 1)
        x = round(index * slot + (slot - width) / 2, 1)
        y = value_room + plot_height - height
        middle = round(index * slot + slot / 2, 1)
        parts.append(
            format_html(
                '<rect class="chart__bar" x="{}" y="{}" width="{}" height="{}" rx="2"></rect>'
                '<text class="chart__value" x="{}" y="{}" text-anchor="middle">{}</text>'
                '<text class="chart__label" x="{}" y="{}" text-anchor="middle">{}</text>',
                x,
                y,
                round(width, 1),
                height,
                middle,
                y - 3,
                column.shown,
                middle,
                value_room + plot_height + label_room - 5,
                caption_of(column.label),
            )
        )
    return _svg(title, CHART_WIDTH, value_room + plot_height + label_room, _joined(parts))


def _svg(title, width, height, body):
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" preserveAspectRatio="xMinYMin meet">'
        "<title>{}</title>{}</svg>",
        width,
        round(height),
        title,
        title,
        body,
    )


def _joined(fragments):
    """SVG fragments already escaped by format_html, as one."""
    return format_html_join("", "{}", ((fragment,) for fragment in fragments))


def _shorten(label, length):
    label = str(label)
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"
