"""The one writer: any exporter's sheets become an .xlsx, streamed, with flat memory.

openpyxl in write-only mode (lxml underneath) writes each row as it comes, so a million rows cost no
more memory than a hundred. The file is written beside its final name and renamed into place only
once complete: a worker killed halfway leaves a `.part` file that nobody is ever offered.
"""

import datetime
import os
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

# A cell whose text starts with one of these is read as a formula by Excel or LibreOffice (or by
# openpyxl itself, for "="): "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(...)", or one hidden behind a
# tab or line break. Such text is written as a string cell, never as a formula.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n")
# Excel's sheet titles: at most 31 characters, none of these.
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
DEFAULT_DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm"
DEFAULT_DATE_FORMAT = "dd/mm/yyyy"
HEADER_FONT = Font(bold=True)


def part_path(path):
    """Where `path` is written until it is complete."""
    path = Path(path)
    return path.with_name(path.name + ".part")


def write_workbook(sheets, path, *, title, creator, time_zone, progress=None, progress_every=2000):
    """Write `sheets` (reporting.exports.Sheet) to `path` atomically; return the number of data rows.

    `progress(rows_done)` is called every `progress_every` data rows and once at the end. Datetimes
    are shown in `time_zone` (Excel has no time zones: they are converted, then made naive).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = part_path(path)
    workbook = Workbook(write_only=True)
    workbook.properties.creator = creator
    workbook.properties.title = title
    workbook.properties.created = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    counter = _ProgressCounter(progress, progress_every)
    try:
        for sheet in sheets:
            _write_sheet(workbook, sheet, time_zone, counter)
        workbook.save(temporary)
        os.replace(temporary, path)  # atomic on one file system: the whole file or none
    except BaseException:
        _discard(workbook)
        temporary.unlink(missing_ok=True)
        raise
    counter.finish()
    return counter.done


def _discard(workbook):
    """Close a half-written workbook's sheet streams and delete openpyxl's per-sheet temp files."""
    for worksheet in workbook.worksheets:
        writer = worksheet._writer
        if writer is None:
            continue
        if worksheet._rows is not None:
            worksheet._rows.close()
        writer.xf.close()
        if os.path.exists(writer.out):
            writer.cleanup()


class _ProgressCounter:
    def __init__(self, callback, every):
        self.callback = callback
        self.every = max(1, every)
        self.done = 0
        self._next = self.every

    def tick(self):
        self.done += 1
        if self.done >= self._next:
            self._next += self.every
            if self.callback:
                self.callback(self.done)

    def finish(self):
        if self.callback:
            self.callback(self.done)


def _write_sheet(workbook, sheet, time_zone, counter):
    worksheet = workbook.create_sheet(sheet_title(sheet.title))
    columns = sheet.columns
    # Write-only sheets take their layout before the first row.
    for index, column in enumerate(columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    worksheet.freeze_panes = "A2"
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    header = []
    for column in columns:
        cell = _text_cell(worksheet, str(column.header))
        cell.font = HEADER_FONT
        header.append(cell)
    worksheet.append(header)

    cells = _Cells(worksheet, columns, time_zone)
    rows = 0
    for row in sheet.rows():
        worksheet.append(cells.row(row))
        rows += 1
        counter.tick()
    last_column = get_column_letter(max(1, len(columns)))
    worksheet.auto_filter.ref = f"A1:{last_column}{rows + 1}"
    for row in sheet.footer:
        worksheet.append(cells.row(row))
    if sheet.decorate:
        sheet.decorate(worksheet, rows)


class _Cells:
    """Turns a row of values into what openpyxl should write: plain where safe, typed where it must be.

    openpyxl serialises each appended row at once, so one styled cell per column and kind is
    refilled row after row; a fresh, freshly styled cell for every date and phone number would cost
    as much again as the whole bare write.
    """

    def __init__(self, worksheet, columns, time_zone):
        self.worksheet = worksheet
        self.time_zone = time_zone
        self.formats = [column.number_format for column in columns]
        self._typed = {}

    def row(self, values):
        return [self.value(index, value) for index, value in enumerate(values)]

    def value(self, index, value):
        kind = type(value)
        if kind is str:
            if not value:
                return None
            if ILLEGAL_CHARACTERS_RE.search(value):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters Excel cannot store
            if value and value[0] in FORMULA_TRIGGERS:
                return self._fill(index, "text", value)
            return value
        if kind is datetime.datetime:
            if value.tzinfo is not None:
                value = value.astimezone(self.time_zone).replace(tzinfo=None)
            return self._fill(index, "datetime", value)
        if kind is datetime.date:
            return self._fill(index, "date", value)
        return value

    def _fill(self, index, kind, value):
        cell = self._typed.get((index, kind))
        if cell is None:
            cell = self._typed[index, kind] = self._new_cell(index, kind)
        cell._value = value  # type and style are already set; skip openpyxl's guessing
        return cell

    def _new_cell(self, index, kind):
        if kind == "text":
            return _text_cell(self.worksheet, "")
        cell = WriteOnlyCell(self.worksheet)
        cell.data_type = "d"
        number_format = self.formats[index] if index < len(self.formats) else None
        default = DEFAULT_DATE_TIME_FORMAT if kind == "datetime" else DEFAULT_DATE_FORMAT
        cell.number_format = number_format or default
        return cell


def _text_cell(worksheet, text):
    """A cell that holds `text` as text whatever it starts with."""
    cell = WriteOnlyCell(worksheet, text)
    cell.data_type = "s"  # openpyxl would make "=..." a formula element
    cell.quotePrefix = True  # and Excel keeps it text even when someone edits the cell
    return cell


def sheet_title(title):
    cleaned = _SHEET_TITLE_FORBIDDEN.sub(" ", str(title)).strip("' ")
    return cleaned[:31] or "Sheet"
