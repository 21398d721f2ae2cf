"""Excel exports: exporters declare filters and yield rows, one writer makes the workbook, jobs run
them in the background with progress (see DESIGN.md, reporting)."""

from .base import Column, Exporter, ExportError, Sheet, TableExporter
from .registry import exporters_for, get_exporter, register

__all__ = [
    "Column",
    "ExportError",
    "Exporter",
    "Sheet",
    "TableExporter",
    "exporters_for",
    "get_exporter",
    "register",
]
