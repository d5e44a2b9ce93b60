"""Raw responses and summary tables as CSV (UTF-8 with BOM), XLSX and JSON.

Written in one streaming pass: every writer takes batches of rows and keeps
nothing but its open file. Spreadsheet cells go through
survey/exports/safe.py so a comment `=HYPERLINK(...)` stays text.
"""

import csv
import json

from survey.evidence.figures import ReportFigures
from survey.evidence.report.text import status_text
from survey.exports.safe import neutralise, neutralise_row
from survey.exports.xlsx import Percent, XlsxStream
from survey.stats import Rate

RAW_SHEET_ROWS = 1_000_000  # Excel's limit is 1,048,576 rows per sheet


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

    def write(self, rows: list[dict]) -> None:
        self.writer.writerows(neutralise_row(row.get(c) for c in self.columns) for row in rows)

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


def _cell(value):
    return neutralise(value)


class XlsxWriter:
    """Summary sheets first (small), then the raw sheet streamed row by row."""

    def __init__(self, path: str, figures: ReportFigures, columns: list[str]) -> None:
        self.columns = columns
        self.book = XlsxStream(path)
        summary_sheets(self.book, figures)
        self.rows = 0
        self.sheet = None

    def _next_sheet(self) -> None:
        number = self.rows // RAW_SHEET_ROWS + 1
        self.sheet = self.book.sheet("Dữ liệu gốc" if number == 1 else f"Dữ liệu gốc {number}")
        self.sheet.append(self.columns)

    def write(self, rows: list[dict]) -> None:
        for row in rows:
            if self.rows % RAW_SHEET_ROWS == 0:
                self._next_sheet()
            self.sheet.append([_cell(row.get(c)) for c in self.columns])
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


def summary_sheets(book: XlsxStream, figures: ReportFigures) -> None:
    s, p, scope = figures.summary, figures.previous, figures.scope
    _sheet(
        book,
        "Tổng hợp",
        [
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
            ["Tỷ lệ hài lòng", *_rate_cells(s.rate)[:1]],
            ["Cận dưới KTC 95 %", _rate_cells(s.rate)[1]],
            ["Cận trên KTC 95 %", _rate_cells(s.rate)[2]],
            ["Mục tiêu chất lượng", Percent(figures.target)],
            ["Đánh giá", status_text(figures.status)],
            ["Kỳ trước: số phiếu được tính", p.counted],
            ["Kỳ trước: tỷ lệ hài lòng", _rate_cells(p.rate)[0]],
        ],
    )
    rows = [
        [
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
    ]
    for c in s.criteria:
        counts = [c.counts.get(v, 0) for v in (1, 2, 3, 4, 5)]
        rows.append([c.code, c.name_vi, c.n, c.not_applicable, *counts, *_rate_cells(c.rate), c.mean])
    _sheet(book, "Theo tiêu chí", rows)
    rows = [
        [
            "Mã TTHC",
            "Tên thủ tục",
            "Số phiếu",
            "Được tính",
            "Hài lòng",
            "Tỷ lệ hài lòng",
            "Cận dưới",
            "Cận trên",
        ]
    ]
    for proc in figures.procedures:
        rate = proc.rate
        rows.append([proc.code, proc.name, proc.responses, rate.n, rate.satisfied, *_rate_cells(rate)])
    _sheet(book, "Theo thủ tục", rows)
    rows = [["Tháng", "Được tính", "Hài lòng", "Tỷ lệ hài lòng", "Cận dưới", "Cận trên"]]
    for m in figures.months:
        rows.append(
            [m.month.strftime("%m/%Y"), m.summary.counted, m.summary.satisfied, *_rate_cells(m.summary.rate)]
        )
    _sheet(book, "Theo tháng", rows)
