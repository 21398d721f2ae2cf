"""Small counts of tips hidden wherever counts leave the tip's own scope (docs/data-protection.md).

A count of 1 to `threshold - 1` tips (PIMPASA_SMALL_COUNT_THRESHOLD, 5) is shown as "< 5": in a small
village, "2 TPPO tips from RW 03 in March" can point at a family. Zero is shown: it names no one.

Hiding one cell is not enough when a total is shown beside it: total minus the others gives it back.
So every line (a row or column with its shown total) that hides exactly one part also hides its
smallest other part that is not zero (a *complementary* cell, shown as "*"); when no such part is left,
the line's total is hidden instead. A total hidden as a complement whose parts are all shown would be
given back by adding them up: one of its parts is hidden too. Hiding a complement can open another line (its column, the totals
row), so the rule runs again until no line hides exactly one part. A complementary cell is never a
small count (small counts are already hidden), so "*" always stands for a count of at least the
threshold, hidden to protect a small one.

The module is plain: it takes counts and returns what to show; every view, picture and export that
shows counts of tips outside their scope asks here (the heat table, the choropleth, the dashboard's
tip figures, the monthly report's summaries). It imports no app (pimpasa/ is the ground).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

SHOWN = "shown"
SMALL = "small"  # fewer than the threshold: "< 5"
COMPLEMENT = "complement"  # hidden so that a small count cannot be worked out by subtraction: "*"


def threshold():
    """The smallest count of tips shown as it is (PIMPASA_SMALL_COUNT_THRESHOLD, 5 by default)."""
    return getattr(settings, "PIMPASA_SMALL_COUNT_THRESHOLD", 5)


@dataclass(frozen=True)
class Shown:
    """What to show for one count: the count itself, "< 5" or "*"."""

    value: int
    state: str = SHOWN
    limit: int = 5

    @property
    def hidden(self):
        return self.state != SHOWN

    @property
    def shown_value(self):
        """The count, or None when it is hidden (for a workbook cell or a picture's size)."""
        return None if self.hidden else self.value

    @property
    def text(self):
        if self.state == SMALL:
            return f"< {self.limit}"
        if self.state == COMPLEMENT:
            return "*"
        return formats.number_format(self.value, force_grouping=True)

    @property
    def note(self):
        """Why a count is hidden (a tooltip, a footnote), empty when it is shown."""
        if self.state == SMALL:
            return _("Fewer than %(limit)s tips: hidden to protect who reported") % {"limit": self.limit}
        if self.state == COMPLEMENT:
            return _("Hidden so that a small count cannot be worked out from the total")
        return ""

    def __str__(self):
        return self.text


def suppress(values, lines, limit=None):
    """Decide what to show of `values` ({key: count}).

    `lines` are the sums a reader could subtract along: (parts, total) pairs of keys, where the counts
    of `parts` add up to the count of `total` (a row and its row total, a column and its column total,
    the totals row and the grand total). Returns {key: Shown} for every key of `values`.
    """
    limit = threshold() if limit is None else limit
    hidden = {key: SMALL for key, value in values.items() if 0 < value < limit}
    order = {key: index for index, key in enumerate(values)}
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            # A line gives a hidden cell back when it is the only one hidden in the line: a part by
            # subtraction from a shown total, a hidden total (a complement) by adding up its parts.
            hidden_parts = sum(1 for part in parts if part in hidden)
            if hidden_parts + (total in hidden) != 1:
                continue
            candidates = [part for part in parts if part not in hidden and values[part] > 0]
            if candidates:
                hidden[min(candidates, key=lambda part: (values[part], order[part]))] = COMPLEMENT
            elif total not in hidden:
                hidden[total] = COMPLEMENT
            else:
                continue  # a hidden total of zeros only: a zero is never hidden, so this cannot be
            changed = True
    return {key: Shown(value, hidden.get(key, SHOWN), limit) for key, value in values.items()}


@dataclass(frozen=True)
class Table:
    """A table of counts as it may be shown: its cells, the row totals, the column totals and the grand
    total (each a Shown, or None when the table was asked without them)."""

    cells: list
    row_totals: list | None
    column_totals: list | None
    grand_total: Shown | None

    @property
    def any_hidden(self):
        shown = [cell for row in self.cells for cell in row]
        shown += [*(self.row_totals or []), *(self.column_totals or []), self.grand_total]
        return any(cell is not None and cell.hidden for cell in shown)


def suppress_table(counts, *, row_totals=True, column_totals=True, limit=None):
    """What to show of a table of counts (a list of rows of ints), with its row totals, column totals
    and grand total when asked for (the grand total comes with either)."""
    counts = [list(row) for row in counts]
    width = max((len(row) for row in counts), default=0)
    values = {}
    for r, row in enumerate(counts):
        for c in range(width):
            values[(r, c)] = row[c] if c < len(row) else 0
    rows, lines = range(len(counts)), []
    if row_totals:
        for r in rows:
            values[(r, "total")] = sum(values[(r, c)] for c in range(width))
            lines.append(([(r, c) for c in range(width)], (r, "total")))
    if column_totals:
        for c in range(width):
            values[("total", c)] = sum(values[(r, c)] for r in rows)
            lines.append(([(r, c) for r in rows], ("total", c)))
    if row_totals or column_totals:
        values[("total", "total")] = sum(values[(r, c)] for r in rows for c in range(width))
    if row_totals and column_totals:
        lines.append(([(r, "total") for r in rows], ("total", "total")))
        lines.append(([("total", c) for c in range(width)], ("total", "total")))
    elif row_totals:
        lines.append(([(r, "total") for r in rows], ("total", "total")))
    elif column_totals:
        lines.append(([("total", c) for c in range(width)], ("total", "total")))
    shown = suppress(values, lines, limit)
    return Table(
        cells=[[shown[(r, c)] for c in range(width)] for r in rows],
        row_totals=[shown[(r, "total")] for r in rows] if row_totals else None,
        column_totals=[shown[("total", c)] for c in range(width)] if column_totals else None,
        grand_total=shown.get(("total", "total")),
    )


def suppress_list(counts, *, total=True, limit=None):
    """What to show of a list of counts (one per area, say) and, when `total`, of their sum:
    (the list of Shown, the total's Shown or None)."""
    table = suppress_table([[count] for count in counts], row_totals=False, column_totals=total, limit=limit)
    return [row[0] for row in table.cells], table.grand_total
