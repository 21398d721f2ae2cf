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
    worksheet.append([_header_cell(worksheet, column.header) for column in columns])

    formats = [column.number_format for column in columns]
    rows = 0
    for row in sheet.rows():
        worksheet.append([_cell(worksheet, value, time_zone, formats[i]) for i, value in enumerate(row)])
        rows += 1
        counter.tick()
    last_column = get_column_letter(max(1, len(columns)))
    worksheet.auto_filter.ref = f"A1:{last_column}{rows + 1}"
    for row in sheet.footer:
        worksheet.append([_cell(worksheet, value, time_zone, formats[i]) for i, value in enumerate(row)])
    if sheet.decorate:
        sheet.decorate(worksheet, rows)


def _header_cell(worksheet, header):
    cell = _text_cell(worksheet, str(header))
    cell.font = HEADER_FONT
    return cell


def _cell(worksheet, value, time_zone, number_format):
    """A value as openpyxl should write it: plain where safe, a typed cell where it must be."""
    kind = type(value)
    if kind is str:
        if not value:
            return None
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters Excel cannot store
        if value and value[0] in FORMULA_TRIGGERS:
            return _text_cell(worksheet, value)
        return value
    if kind is datetime.datetime:
        if value.tzinfo is not None:
            value = value.astimezone(time_zone).replace(tzinfo=None)
        cell = WriteOnlyCell(worksheet, value)
        cell.number_format = number_format or DEFAULT_DATE_TIME_FORMAT
        return cell
    if kind is datetime.date:
        cell = WriteOnlyCell(worksheet, value)
        cell.number_format = number_format or DEFAULT_DATE_FORMAT
        return cell
    return value


def _text_cell(worksheet, text):
    """A cell that holds `text` as text whatever it starts with."""
    cell = WriteOnlyCell(worksheet, text)
    cell.data_type = "s"  # openpyxl would make "=..." a formula element
    if text and text[0] in FORMULA_TRIGGERS:
        cell.quotePrefix = True  # and Excel keeps it text even when someone edits the cell
    return cell


def sheet_title(title):
    cleaned = _SHEET_TITLE_FORBIDDEN.sub(" ", str(title)).strip("' ")
    return cleaned[:31] or "Sheet"
