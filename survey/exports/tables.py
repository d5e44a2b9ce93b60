"""A titled table of rows, written as CSV or XLSX."""

import csv
import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font

from survey.exports.safe import neutralise_row
from survey.exports.xlsx import ILLEGAL_XML

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
    sheet.append(_xlsx_row(table.headers))
    for row in table.rows:
        sheet.append(_xlsx_row(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_row(values) -> list:
    """Cells an XLSX file can hold: without the control characters XML forbids (a
    citizen's comment may carry one, and openpyxl would refuse the whole file),
    then with formula starts neutralised (a comment "\\x01=..." starts with "=" once cleaned)."""
    return neutralise_row([ILLEGAL_XML.sub("", v) if isinstance(v, str) else v for v in values])


def render(table: Table, fmt: str) -> tuple[bytes, str]:
    """File content and MIME type; fmt is 'csv' or 'xlsx'."""
    content = to_csv(table) if fmt == "csv" else to_xlsx(table)
    return content, FORMATS[fmt]
