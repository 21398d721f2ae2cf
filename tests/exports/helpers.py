"""Reading exported workbooks back, as a person opening them in Excel would."""

import zipfile

import openpyxl

from pimpasa.encryption import open_encrypted
from reporting.exports.jobs import exports_dir


def load_export(path):
    """A workbook as stored (encrypted), read as its downloader gets it."""
    return openpyxl.load_workbook(open_encrypted(path))


def workbook_of(job):
    assert job.status == "done", job.error
    return load_export(exports_dir() / job.file_name)


def sheet_values(worksheet):
    return [tuple(row) for row in worksheet.iter_rows(values_only=True)]


def sheet_xml(path):
    """{part name: xml text} of every worksheet in the .xlsx at `path`."""
    with zipfile.ZipFile(open_encrypted(path)) as archive:
        return {
            name: archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("xl/worksheets/sheet")
        }
