"""The one writer: formula injection, real dates in WIB, layout, properties, atomic files, progress."""

import datetime
import re
import zipfile
import zoneinfo
from decimal import Decimal

import pytest
from openpyxl.utils.escape import unescape

from pimpasa.encryption import open_encrypted
from reporting.exports.base import Column, Sheet
from reporting.exports.writer import part_path, sheet_title, write_workbook
from tests.exports.helpers import load_export, sheet_xml

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
HOSTILE = [
    "=cmd|' /C calc'!A0",
    "+1",
    "-1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    '=HYPERLINK("http://evil.invalid","klik")',
]


def one_sheet(rows, columns=None, **kwargs):
    columns = columns or [Column(f"Kolom {i}", 12 + i) for i in range(len(rows[0]) if rows else 1)]
    return Sheet(title="Data", columns=columns, rows=lambda: iter(rows), count=len(rows), **kwargs)


def write(tmp_path, sheets, **kwargs):
    path = tmp_path / "out.xlsx"
    options = {"title": "Uji", "creator": "Sari Supervisor", "time_zone": WIB, **kwargs}
    rows = write_workbook(sheets, path, **options)
    return path, rows


def test_hostile_strings_are_written_as_text_and_numbers_stay_numbers(tmp_path):
    rows = [(text, 42, 3.5, Decimal("7.25")) for text in HOSTILE]
    path, _ = write(tmp_path, [one_sheet(rows)])

    for name, xml in sheet_xml(path).items():
        assert "<f>" not in xml and "<f " not in xml, name
    # Every hostile value comes back exactly, as a string; numbers come back as numbers.
    sheet = load_export(path)["Data"]
    for index, text in enumerate(HOSTILE, start=2):
        cell = sheet.cell(row=index, column=1)
        assert cell.data_type == "s"
        assert cell.value == text
        assert sheet.cell(row=index, column=2).value == 42
        assert sheet.cell(row=index, column=2).data_type == "n"
        assert sheet.cell(row=index, column=3).value == 3.5
        assert sheet.cell(row=index, column=4).value == 7.25
    # And Excel is told to keep them text even when someone edits the cell.
    with zipfile.ZipFile(open_encrypted(path)) as archive:
        assert 'quotePrefix="1"' in archive.read("xl/styles.xml").decode()


def test_a_header_that_looks_like_a_formula_is_text_too(tmp_path):
    path, _ = write(tmp_path, [one_sheet([(1,)], columns=[Column("=1+1")])])
    assert "<f>" not in "".join(sheet_xml(path).values())
    assert load_export(path)["Data"]["A1"].value == "=1+1"


def test_characters_xml_forbids_are_replaced_visibly_never_fatal_never_dropped(tmp_path):
    # One resident typed U+FFFE into a form: lxml used to refuse the whole workbook.
    rows = [("Bu\x00di\x07", "=\x01x", "Siti\ufffe", "Tip\uffff!", "lone \ud800 surrogate")]
    path, written = write(tmp_path, [one_sheet(rows)])
    assert written == 1
    sheet = load_export(path)["Data"]
    assert sheet["A2"].value == "Bu\ufffddi\ufffd"
    assert sheet["B2"].value == "=\ufffdx"
    assert sheet["B2"].data_type == "s"
    assert sheet["C2"].value == "Siti\ufffd"
    assert sheet["D2"].value == "Tip\ufffd!"
    assert sheet["E2"].value == "lone \ufffd surrogate"


def test_literal_excel_escapes_are_escaped_so_they_read_back_as_typed(tmp_path):
    typed = "kode _x0041_ dan _X00e9_ tetap"  # Excel reads only the lower-case form as an escape
    path, _ = write(tmp_path, [one_sheet([(typed,)])])
    xml = "".join(sheet_xml(path).values())
    assert "kode _x005F_x0041_ dan _X00e9_ tetap" in xml
    # What Excel shows: it unescapes _xHHHH_ on reading (openpyxl's unescape does the same).
    stored = load_export(path)["Data"]["A2"].value
    assert unescape(stored) == typed


def test_text_longer_than_a_cell_holds_is_cut_and_says_so(tmp_path):
    long_text = "a" * 40_000
    path, _ = write(tmp_path, [one_sheet([(long_text, "pendek")])])
    value = load_export(path)["Data"]["A2"].value
    assert len(value) == 32_767
    assert value.endswith(" [dipotong: aslinya 40000 karakter]")
    assert value.startswith("a" * 32_000)


def test_datetimes_are_real_excel_dates_in_the_jobs_time_zone(tmp_path):
    utc = datetime.datetime(2026, 10, 31, 20, 15, tzinfo=datetime.UTC)  # 1 November, 03:15 WIB
    day = datetime.date(2026, 11, 1)
    path, _ = write(
        tmp_path, [one_sheet([(utc, day)], columns=[Column("Waktu", 17, "dd/mm/yyyy hh:mm"), Column("Hari")])]
    )
    sheet = load_export(path)["Data"]
    assert sheet["A2"].is_date
    assert sheet["A2"].value == datetime.datetime(2026, 11, 1, 3, 15)
    assert sheet["A2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["B2"].is_date
    assert sheet["B2"].value.date() == day

    makassar = zoneinfo.ZoneInfo("Asia/Makassar")
    path, _ = write(tmp_path, [one_sheet([(utc,)])], time_zone=makassar)
    assert load_export(path)["Data"]["A2"].value == datetime.datetime(2026, 11, 1, 4, 15)


def test_layout_header_frozen_filtered_widths_and_properties(tmp_path):
    columns = [Column("Nama", 26), Column("RW", 6), Column("Jumlah", 11)]
    rows = [("Siti", "01", 3), ("Budi", "02", 5)]
    footer = [("Jumlah", None, 8)]
    path, written = write(tmp_path, [one_sheet(rows, columns=columns, footer=footer)])
    assert written == 2
    workbook = load_export(path)
    sheet = workbook["Data"]
    assert [cell.value for cell in sheet[1]] == ["Nama", "RW", "Jumlah"]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"  # header and data, not the footer
    assert [sheet.column_dimensions[letter].width for letter in "ABC"] == [26, 6, 11]
    assert sheet["A4"].value == "Jumlah" and sheet["C4"].value == 8
    assert workbook.properties.creator == "Sari Supervisor"
    assert workbook.properties.title == "Uji"
    assert abs(workbook.properties.created - datetime.datetime.now(datetime.UTC).replace(tzinfo=None)) < (
        datetime.timedelta(minutes=1)
    )


def test_an_empty_export_still_has_its_header_and_filter(tmp_path):
    path, written = write(tmp_path, [one_sheet([], columns=[Column("Nama"), Column("RW")])])
    sheet = load_export(path)["Data"]
    assert written == 0
    assert [cell.value for cell in sheet[1]] == ["Nama", "RW"]
    assert sheet.auto_filter.ref == "A1:B1"


def test_progress_is_reported_every_n_rows_and_at_the_end(tmp_path):
    seen = []
    rows = [(i,) for i in range(25)]
    write(tmp_path, [one_sheet(rows), one_sheet(rows[:5])], progress=seen.append, progress_every=10)
    assert seen == [10, 20, 30, 30]


def test_a_failure_halfway_leaves_no_file_and_no_partial_file(tmp_path):
    def rows():
        yield ("first",)
        raise RuntimeError("database went away")

    sheet = Sheet(title="Data", columns=[Column("A")], rows=rows, count=2)
    path = tmp_path / "out.xlsx"
    with pytest.raises(RuntimeError):
        write_workbook([sheet], path, title="t", creator="c", time_zone=WIB)
    assert not path.exists()
    assert not part_path(path).exists()


def test_the_file_appears_under_its_name_only_when_complete(tmp_path):
    seen_during_writing = []

    def rows():
        for index in range(3):
            seen_during_writing.append((path.exists(), part_path(path).exists()))
            yield (index,)

    path = tmp_path / "out.xlsx"
    write_workbook([Sheet("Data", [Column("A")], rows, 3)], path, title="t", creator="c", time_zone=WIB)
    assert seen_during_writing == [(False, False)] * 3  # openpyxl streams rows to its own temp file
    assert path.exists() and not part_path(path).exists()


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Per sesi", "Per sesi"), ("a/b:c*d?[e]", "a b c d  e"), ("x" * 40, "x" * 31), ("''", "Sheet")],
)
def test_sheet_titles_are_what_excel_accepts(title, expected):
    assert sheet_title(title) == expected
    assert not re.search(r"[\[\]:*?/\\]", sheet_title(title))


def test_a_failure_leaves_none_of_openpyxls_temporary_sheet_files(tmp_path, monkeypatch):
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    def rows():
        yield ("first",)
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write_workbook(
            [Sheet("Data", [Column("A")], rows, 2)],
            tmp_path / "out.xlsx",
            title="t",
            creator="c",
            time_zone=WIB,
        )
    assert list(scratch.iterdir()) == []


def test_sheets_print_landscape_fitted_to_the_page_width_with_the_header_on_every_page(tmp_path):
    rows = [(f"Nama {i}", i) for i in range(300)]
    path, _ = write(tmp_path, [one_sheet(rows)])
    sheet = load_export(path)["Data"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    # One page wide, as many pages down as the rows need (0 = no limit), not one squeezed page.
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"


def test_long_headers_wrap_in_a_taller_row_and_columns_widen_to_their_longest_word(tmp_path):
    columns = [
        Column("Pekerja migran non-prosedural (PMI non-prosedural)", 14),
        Column("Kewarganegaraan", 8),
        Column("RW", 6),
    ]
    path, _ = write(tmp_path, [one_sheet([("a", "b", "c")], columns=columns)])
    sheet = load_export(path)["Data"]
    header = sheet["A1"]
    assert header.alignment.wrap_text is True
    assert sheet.column_dimensions["A"].width == 17  # "non-prosedural)" + 2
    assert sheet.column_dimensions["B"].width == 17  # widened: "Kewarganegaraan" is 15 letters
    assert sheet.column_dimensions["C"].width == 6
    # Five words over a 17-wide column take four lines: the row is four lines tall.
    assert sheet.row_dimensions[1].height == 4 * 15


def test_time_columns_name_their_zone_in_the_header(tmp_path):
    columns = [
        Column("Waktu hadir", 17, "dd/mm/yyyy hh:mm"),
        Column("Tanggal", 12, "dd/mm/yyyy"),
        Column("Nama"),
    ]
    utc = datetime.datetime(2026, 10, 31, 20, 15, tzinfo=datetime.UTC)
    path, _ = write(tmp_path, [one_sheet([(utc, utc.date(), "Siti")], columns=columns)])
    sheet = load_export(path)["Data"]
    assert [cell.value for cell in sheet[1]] == ["Waktu hadir (WIB)", "Tanggal", "Nama"]

    path, _ = write(
        tmp_path, [one_sheet([(utc,)], columns=columns[:1])], time_zone=zoneinfo.ZoneInfo("Asia/Makassar")
    )
    assert load_export(path)["Data"]["A1"].value == "Waktu hadir (WITA)"


def test_counts_carry_a_thousands_separator_format_the_readers_excel_localises(tmp_path):
    columns = [Column("Kehadiran", 11, "#,##0"), Column("Nomor")]
    path, _ = write(tmp_path, [one_sheet([(12345, 12345)], columns=columns)])
    sheet = load_export(path)["Data"]
    assert (sheet["A2"].value, sheet["A2"].data_type, sheet["A2"].number_format) == (12345, "n", "#,##0")
    assert sheet["B2"].number_format == "General"
