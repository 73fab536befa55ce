"""Exports that open safely in a spreadsheet: the one rule for every CSV or XLSX the site produces.

A spreadsheet treats a cell that starts with `=`, `+`, `-` or `@` as a formula, and a leading tab or
carriage return can hide one, so a patient who types `=HYPERLINK("http://evil","Click")` as their name
would otherwise get a live link (or worse) into reception's spreadsheet (OWASP "CSV injection").
`safe_cell` puts a `'` in front of such text, which spreadsheets show as text and never evaluate.
Numbers, dates and booleans are not text and pass through unchanged (a negative number stays a number).

`SafeSpreadsheetExportMixin` routes Wagtail's own exports (`list_export` on a ModelViewSet's index view
or a ReportView) through `safe_cell`: Wagtail 8 escapes nothing in CSV, and in XLSX only demotes cells
openpyxl reads as `=` formulas. `safe_csv_writer` is for any export written by hand.
"""

import csv

#: What a spreadsheet may read as the start of a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, with a `'` in front if it is text a spreadsheet could run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    """A csv writer whose every text cell goes through `safe_cell`."""

    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        if isinstance(row, dict):
            return self._writer.writerow({key: safe_cell(value) for key, value in row.items()})
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)

    def __getattr__(self, name):  # writeheader, dialect, ...
        return getattr(self._writer, name)


def safe_csv_writer(file, *args, fieldnames=None, **kwargs):
    """`csv.writer` (or `csv.DictWriter` when `fieldnames` is given) with every cell made safe."""
    if fieldnames is not None:
        return _SafeWriter(csv.DictWriter(file, fieldnames, *args, **kwargs))
    return _SafeWriter(csv.writer(file, *args, **kwargs))


class SafeSpreadsheetExportMixin:
    """Put before Wagtail's IndexView or ReportView: every exported cell goes through `safe_cell`.

    Both formats get the `'` prefix, so a CSV and an XLSX of the same list say the same thing; in XLSX
    the prefixed value is then a plain text cell (openpyxl reads only a leading `=` as a formula).
    """

    def preprocess_field_value(self, field, value, export_format):
        return safe_cell(super().preprocess_field_value(field, value, export_format))

    def get_heading(self, queryset, field):
        return safe_cell(super().get_heading(queryset, field))
