"""Raw responses and summary tables as CSV (UTF-8 with BOM), XLSX and JSON.

Written in one streaming pass: every writer takes batches of rows and keeps
nothing but its open file. Spreadsheet cells go through
survey/exports/safe.py so a comment `=HYPERLINK(...)` stays text.
"""

import csv
import json

from flask import current_app

from survey.evidence.figures import ReportFigures
from survey.evidence.report.text import status_text
from survey.exports.safe import neutralise, neutralise_row
from survey.exports.xlsx import Percent, XlsxStream
from survey.stats import Rate


def _json(value) -> str:
    """JSON that is also safe to paste inside HTML: <, > and & escaped."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class CsvWriter:
    def __init__(self, path: str, columns: list[str]) -> None:
        self.file = open(path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self.columns = columns
        self.writer = csv.writer(self.file)
        self.writer.writerow(columns)

    def write(self, cells: list[list]) -> None:
        """Rows already as cells (safe_cells): neutralised once for CSV and XLSX."""
        self.writer.writerows(cells)

    def close(self) -> None:
        self.file.close()


class JsonWriter:
    def __init__(self, path: str, header: dict) -> None:
        self.file = open(path, "w", encoding="utf-8")  # noqa: SIM115
        self.file.write(_json(header)[:-1] + ',"responses":[\n')
        self.first = True

    def write(self, rows: list[dict]) -> None:
        for row in rows:
            self.file.write(("" if self.first else ",\n") + _json(row))
            self.first = False

    def close(self) -> None:
        self.file.write("\n]}\n")
        self.file.close()


def safe_cells(rows: list[dict], columns: list[str]) -> list[list]:
    """Raw rows as spreadsheet cells in column order, formula starts neutralised."""
    return [neutralise_row([row.get(c) for c in columns]) for row in rows]


def _cell(value):
    return neutralise(value)


def raw_sheet_title(number: int, parts: int) -> str:
    return "Dữ liệu gốc" if parts <= 1 else f"Dữ liệu gốc {number}"


class XlsxWriter:
    """Summary sheets first (small), then the raw rows streamed row by row,
    split over numbered sheets ("Dữ liệu gốc 1", "Dữ liệu gốc 2", ...) when
    they exceed EVIDENCE_XLSX_SHEET_ROWS; the summary sheet says so."""

    def __init__(self, path: str, figures: ReportFigures, columns: list[str]) -> None:
        self.columns = columns
        self.limit = current_app.config["EVIDENCE_XLSX_SHEET_ROWS"]
        self.parts = max(1, -(-figures.summary.responses // self.limit))
        self.titles: list[str] = []
        self.book = XlsxStream(path)
        summary_sheets(self.book, figures, self.layout())
        self.rows = 0
        self.sheet = None

    def layout(self) -> dict:
        """The raw sheets: as planned from the count, or as written once closed."""
        titles = self.titles or [raw_sheet_title(i, self.parts) for i in range(1, self.parts + 1)]
        return {"raw_sheets": titles, "rows_per_sheet": self.limit}

    def _next_sheet(self) -> None:
        number = self.rows // self.limit + 1
        self.titles.append(raw_sheet_title(number, max(self.parts, number)))
        self.sheet = self.book.sheet(self.titles[-1])
        self.sheet.append(self.columns)

    def write(self, cells: list[list]) -> None:
        for row in cells:
            if self.rows % self.limit == 0:
                self._next_sheet()
            self.sheet.append(row)
            self.rows += 1

    def close(self) -> None:
        if self.sheet is None:
            self._next_sheet()
        self.book.close()


def _rate_cells(rate: Rate) -> list:
    if not rate.enough:
        return ["chưa đủ dữ liệu", None, None]
    return [Percent(rate.value), Percent(rate.ci95[0]), Percent(rate.ci95[1])]


def _sheet(book: XlsxStream, title: str, rows: list[list]) -> None:
    sheet = book.sheet(title)
    for row in rows:
        sheet.append([_cell(v) for v in row])


def summary_sheets(book: XlsxStream, figures: ReportFigures, layout: dict) -> None:
    _sheet(book, "Tổng hợp", overview_rows(figures, layout))
    _sheet(book, "Theo tiêu chí", criteria_rows(figures))
    _sheet(book, "Theo thủ tục", procedure_rows(figures))
    _sheet(book, "Theo tháng", month_rows(figures))


def overview_rows(figures: ReportFigures, layout: dict) -> list[list]:
    s, p, scope = figures.summary, figures.previous, figures.scope
    rate = _rate_cells(s.rate)
    return [
        ["Chỉ số", "Giá trị"],
        ["Đơn vị", scope.agency.name],
        ["Mã đơn vị", scope.agency.code],
        ["Gồm đơn vị trực thuộc", "có" if scope.subtree else "không"],
        ["Từ ngày", scope.date_from.strftime("%d/%m/%Y")],
        ["Đến ngày", scope.date_to.strftime("%d/%m/%Y")],
        ["Số phiếu nhận được", s.responses],
        ["Số phiếu được tính", s.counted],
        ["Số phiếu bị loại", s.responses - s.counted],
        ["Số phiếu hài lòng (mức 4, 5)", s.satisfied],
        ["Tỷ lệ hài lòng", rate[0]],
        ["Cận dưới KTC 95 %", rate[1]],
        ["Cận trên KTC 95 %", rate[2]],
        ["Mục tiêu chất lượng", Percent(figures.target)],
        ["Đánh giá", status_text(figures.status)],
        ["Kỳ trước: số phiếu được tính", p.counted],
        ["Kỳ trước: tỷ lệ hài lòng", _rate_cells(p.rate)[0]],
        ["Dữ liệu gốc", raw_layout_text(layout)],
    ]


def raw_layout_text(layout: dict) -> str:
    sheets = layout["raw_sheets"]
    if len(sheets) == 1:
        return f"một trang tính: {sheets[0]}"
    return (
        f"chia thành {len(sheets)} trang tính ({', '.join(sheets)}), mỗi trang tối đa "
        f"{layout['rows_per_sheet']:,} phiếu theo thứ tự mã phiếu; không phiếu nào bị bỏ".replace(",", ".")
    )


def criteria_rows(figures: ReportFigures) -> list[list]:
    rows = [CRITERIA_HEADER]
    for c in figures.summary.criteria:
        counts = [c.counts.get(v, 0) for v in (1, 2, 3, 4, 5)]
        rows.append([c.code, c.name_vi, c.n, c.not_applicable, *counts, *_rate_cells(c.rate), c.mean])
    return rows


def procedure_rows(figures: ReportFigures) -> list[list]:
    rows = [PROCEDURE_HEADER]
    for proc in figures.procedure_table():
        rate = proc.rate
        # Data files are Vietnamese in both languages; the label is the dashboard's.
        name = proc.name if proc.known else UNKNOWN_PROCEDURE
        rows.append([proc.code or "", name, proc.responses, rate.n, rate.satisfied, *_rate_cells(rate)])
    return rows


def month_rows(figures: ReportFigures) -> list[list]:
    rows = [["Tháng", "Được tính", "Hài lòng", "Tỷ lệ hài lòng", "Cận dưới", "Cận trên"]]
    for m in figures.months:
        rows.append(
            [m.month.strftime("%m/%Y"), m.summary.counted, m.summary.satisfied, *_rate_cells(m.summary.rate)]
        )
    return rows


CRITERIA_HEADER = [
    "Mã tiêu chí",
    "Tiêu chí",
    "n",
    "Không áp dụng",
    "1",
    "2",
    "3",
    "4",
    "5",
    "Tỷ lệ hài lòng",
    "Cận dưới",
    "Cận trên",
    "Điểm TB",
]
UNKNOWN_PROCEDURE = "Không rõ thủ tục"
PROCEDURE_HEADER = [
    "Mã TTHC",
    "Tên thủ tục",
    "Số phiếu",
    "Được tính",
    "Hài lòng",
    "Tỷ lệ hài lòng",
    "Cận dưới",
    "Cận trên",
]
