"""A report's tables as CSV (semicolons, as German spreadsheets expect) and as an XLSX workbook."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from netzwerktimer.text import spreadsheet_text


def _cell(value):
    # Names come from managers and feeds: what would start a formula is written as text.
    return "" if value is None else spreadsheet_text(value)


def report_csv(figures):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_cell(_("Report")), _cell(figures.period.label), _cell(figures.scope)])
    for table in figures.tables:
        writer.writerow([])
        writer.writerow([table.title])
        if table.note:
            writer.writerow([_cell(table.note)])
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow([_cell(cell) for cell in row])
    # A byte order mark, so that spreadsheets read the umlauts as UTF-8.
    return "\ufeff" + buffer.getvalue()


def report_xlsx(figures):
    """One sheet a table: its title and the period in row 1, the headers in row 2, the figures below."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for table in figures.tables:
        sheet = workbook.create_sheet(title=table.title[:31])
        note = f" – {table.note}" if table.note else ""
        sheet.append([_cell(f"{table.title} – {figures.period.label} – {figures.scope}{note}")])
        sheet["A1"].font = bold
        sheet.append(table.headers)
        for cell in sheet[2]:
            cell.font = bold
        for row in table.rows:
            sheet.append([None if cell is None else _cell(cell) for cell in row])
        sheet.column_dimensions["A"].width = max([12, *(len(str(row[0])) + 2 for row in table.rows)])
        for letter in "BCDE"[: len(table.headers) - 1]:
            sheet.column_dimensions[letter].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
