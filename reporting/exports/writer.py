"""The one writer: any exporter's sheets become an .xlsx, streamed, with flat memory.

openpyxl in write-only mode (lxml underneath) writes each row as it comes, so a million rows cost no
more memory than a hundred. The file is written beside its final name and renamed into place only
once complete: a worker killed halfway leaves a `.part` file that nobody is ever offered. The
workbook is stored encrypted (pimpasa.encryption) and decrypted as it is downloaded. openpyxl
streams each sheet to a file until the workbook is saved; those files (names, phone numbers) are
kept in a folder beside the export, inside PRIVATE_STORAGE_ROOT, never in the system's temp folder,
and deleted whatever happens (or by the export watchdog, if the worker was killed).

Text reaches Excel as typed: characters XML 1.0 forbids (control characters, U+FFFE, U+FFFF, lone
surrogates) would make lxml refuse the whole workbook, so each is replaced by a visible U+FFFD;
literal `_xHHHH_` text, which Excel would read as an escaped character, is escaped itself; text
longer than a cell holds is cut with a note saying so.
"""

import datetime
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import ALL_TEMP_FILES, WorksheetWriter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from pimpasa.encryption import EncryptingWriter
from pimpasa.private_files import open_private, private_directory
from pimpasa.text import XML_FORBIDDEN

# A cell whose text starts with one of these is read as a formula by Excel or LibreOffice (or by
# openpyxl itself, for "="): "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(...)", or one hidden behind a
# tab or line break. Such text is written as a string cell, never as a formula.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n")
# Excel's sheet titles: at most 31 characters, none of these.
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
DEFAULT_DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm"
DEFAULT_DATE_FORMAT = "dd/mm/yyyy"
HEADER_FONT = Font(bold=True)
REPLACEMENT = "\ufffd"
# Excel reads `_x0041_` in a cell as "A"; `_x005F_` is its escaped underscore.
EXCEL_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")
EXCEL_CELL_LIMIT = 32_767


def excel_text(value):
    """`value` as a cell can hold it and Excel will show it: see the module's docstring."""
    if XML_FORBIDDEN.search(value):
        value = XML_FORBIDDEN.sub(REPLACEMENT, value)
    if "_x" in value:
        value = EXCEL_ESCAPE.sub(r"_x005F_\1", value)
    if len(value) > EXCEL_CELL_LIMIT:
        note = " " + _("[cut: %(count)s characters in full]") % {"count": len(value)}
        value = value[: EXCEL_CELL_LIMIT - len(note)] + note
    return value


# Headers wrap rather than being cut off at the column's edge; the header row grows to hold them.
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
HEADER_LINE_HEIGHT = 15  # points per line of an 11-pt header
# How Indonesians name the zones a time is written in; the file says which one its times are in.
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def zone_name(time_zone):
    key = getattr(time_zone, "key", str(time_zone))
    return ZONE_NAMES.get(key, key)


def part_path(path):
    """Where `path` is written until it is complete."""
    path = Path(path)
    return path.with_name(path.name + ".part")


def work_dir(path):
    """Where openpyxl's sheet streams for `path` live while it is written."""
    path = Path(path)
    return path.with_name(path.name + ".tmp")


def write_workbook(
    sheets, path, *, title, creator, time_zone, progress=None, progress_every=2000, progress_seconds=None
):
    """Write `sheets` (reporting.exports.Sheet) to `path` atomically; return the number of data rows.

    `progress(rows_done)` is called every `progress_every` data rows (and, with `progress_seconds`,
    at least that often while rows come), then once at the end. Datetimes are shown in `time_zone`
    (Excel has no time zones: they are converted, then made naive).
    """
    path = Path(path)
    temporary = part_path(path)
    streams = private_directory(work_dir(path))  # the sheets' rows, personal data: 0700 too
    workbook = Workbook(write_only=True)
    workbook.properties.creator = creator
    workbook.properties.title = title
    workbook.properties.created = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    counter = _ProgressCounter(progress, progress_every, progress_seconds)
    try:
        for sheet in sheets:
            _write_sheet(workbook, sheet, time_zone, counter, streams)
        # 0600 from the first byte (pimpasa.private_files), and encrypted: the workbook holds tips'
        # text and reporters' names; it is decrypted as it is downloaded (pimpasa.encryption).
        with EncryptingWriter(open_private(temporary)) as handle:
            workbook.save(handle)
        os.replace(temporary, path)  # atomic on one file system: the whole file or none
    except BaseException:
        _discard(workbook)
        temporary.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(streams, ignore_errors=True)
    counter.finish()
    return counter.done


def _stream_sheet_into(worksheet, folder):
    """Give a write-only sheet its stream file in `folder` (openpyxl would pick the system temp
    folder); registered with openpyxl, which deletes it once the sheet is in the workbook."""
    handle, name = tempfile.mkstemp(prefix="openpyxl.", suffix=".xml", dir=folder)
    os.close(handle)
    ALL_TEMP_FILES.append(name)
    worksheet._writer = WorksheetWriter(worksheet, out=name)
    worksheet._writer.write_top()


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
    # How many rows pass between looks at the clock when progress is also timed.
    CLOCK_EVERY = 100

    def __init__(self, callback, every, seconds=None):
        self.callback = callback
        self.every = max(1, every)
        self.seconds = seconds
        self.done = 0
        self._next = self.every
        self._last = time.monotonic()

    def tick(self):
        self.done += 1
        due = self.done >= self._next
        if not due and self.seconds and self.done % self.CLOCK_EVERY == 0:
            due = time.monotonic() - self._last >= self.seconds
        if due:
            self._next = self.done + self.every
            self._last = time.monotonic()
            if self.callback:
                self.callback(self.done)

    def finish(self):
        if self.callback:
            self.callback(self.done)


def header_text(column, time_zone):
    """A column's header; a column of times names their zone: "Checked in at (WIB)"."""
    header = str(column.header)
    if column.number_format and "hh" in column.number_format:
        header = f"{header} ({zone_name(time_zone)})"
    return header


def column_width(column, header):
    """The column's width, widened to hold the header's longest word (the header wraps between words)."""
    longest_word = max((len(word) for word in header.split()), default=0)
    return max(column.width, longest_word + 2)


def header_lines(header, width):
    """How many lines the header takes when wrapped at `width` characters."""
    lines, used = 1, 0
    for word in header.split():
        if used and used + 1 + len(word) > width - 1:
            lines, used = lines + 1, len(word)
        else:
            used += (1 if used else 0) + len(word)
    return lines


def _set_up_printing(worksheet):
    """Landscape, every column on the page's width, as many pages down as it takes, and the header
    row on every printed page: readable on paper, never one page squeezed to a 4-point font."""
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.print_title_rows = "1:1"


def _write_sheet(workbook, sheet, time_zone, counter, streams):
    worksheet = workbook.create_sheet(sheet_title(sheet.title))
    columns = sheet.columns
    headers = [header_text(column, time_zone) for column in columns]
    # Write-only sheets take their layout before the first row.
    lines = 1
    for index, (column, header) in enumerate(zip(columns, headers, strict=True), start=1):
        width = column_width(column, header)
        worksheet.column_dimensions[get_column_letter(index)].width = width
        lines = max(lines, header_lines(header, width))
    if lines > 1:
        worksheet.row_dimensions[1].height = lines * HEADER_LINE_HEIGHT
    worksheet.freeze_panes = "A2"
    _set_up_printing(worksheet)
    header_cells = []
    for header in headers:
        cell = _text_cell(worksheet, header)
        cell.font = HEADER_FONT
        cell.alignment = HEADER_ALIGNMENT
        header_cells.append(cell)
    _stream_sheet_into(worksheet, streams)  # after the layout: the stream starts with it
    worksheet.append(header_cells)

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
            value = excel_text(value)
            if value[0] in FORMULA_TRIGGERS:
                return self._fill(index, "text", value)
            return value
        if kind is datetime.datetime:
            if value.tzinfo is not None:
                value = value.astimezone(self.time_zone).replace(tzinfo=None)
            return self._fill(index, "datetime", value)
        if kind is datetime.date:
            return self._fill(index, "date", value)
        if kind is int and index < len(self.formats) and self.formats[index]:
            return self._fill(index, "number", value)
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
        number_format = self.formats[index] if index < len(self.formats) else None
        if kind == "number":
            cell.data_type = "n"
            cell.number_format = number_format
            return cell
        cell.data_type = "d"
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
