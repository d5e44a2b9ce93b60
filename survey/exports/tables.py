"""A titled table of rows, written as CSV or XLSX."""

import csv
import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font

from survey.exports.safe import neutralise_row

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Table:
    name: str  # file name stem, ASCII
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark so that Excel shows Vietnamese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(neutralise_row(table.headers))
    for row in table.rows:
        writer.writerow(neutralise_row(row))
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31] or "Sheet1"
    sheet.append(neutralise_row(table.headers))
    for row in table.rows:
        sheet.append(neutralise_row(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render(table: Table, fmt: str) -> tuple[bytes, str]:
    """File content and MIME type; fmt is 'csv' or 'xlsx'."""
    content = to_csv(table) if fmt == "csv" else to_xlsx(table)
    return content, FORMATS[fmt]
