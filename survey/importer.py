"""CSV imports of agencies and procedures: all rows or nothing.

Every row is checked first; if any row is bad, nothing is written and the
report names each bad row (line number as in a spreadsheet) and the reason.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from survey.agencies import create_agency, get_by_code
from survey.extensions import db
from survey.kinds import is_known
from survey.models import AgencyProcedure, Procedure

AGENCY_COLUMNS = ["code", "name", "kind", "parent_code"]
PROCEDURE_COLUMNS = ["code", "name", "field", "agency_code"]
PROCEDURE_CODE = re.compile(r"^\d\.\d{6}$")


@dataclass
class ImportReport:
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, line: int, reason: str) -> None:
        self.errors.append((line, reason))


# No code, name or field of a catalogue holds these (a tab and line breaks are
# whitespace, trimmed or refused by the column's own check); PostgreSQL refuses NUL.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ImportFileError(ValueError):
    """The file itself cannot be read (encoding, header)."""


def read_rows(data: bytes, columns: list[str]) -> list[tuple[int, dict]]:
    """(line number, row) for every data row; a file that cannot be read whole
    is an ImportFileError naming the line, and nothing of it is imported."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"Tệp không phải UTF-8 (byte {exc.start}).") from exc
    # strict: an unclosed quote is an error, not one field swallowing the rest of the line.
    reader = csv.DictReader(io.StringIO(text), strict=True)
    try:
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportFileError("Thiếu cột: " + ", ".join(missing) + ". Cần các cột: " + ",".join(columns))
        rows = [(reader.line_num, _cells(row, reader.line_num)) for row in reader]
    except csv.Error as exc:  # the reader stops on the line after the last one it read
        raise ImportFileError(f"Dòng {reader.line_num + 1}: {_csv_problem(exc)}") from exc
    return rows


def _cells(row: dict, line: int) -> dict:
    for column, value in row.items():
        if column and value and CONTROL_CHARACTERS.search(value):
            raise ImportFileError(f"Dòng {line}: cột {column} có ký tự điều khiển (không in được).")
    return {k: (v or "").strip() for k, v in row.items() if k}


def _csv_problem(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"một ô dài quá {csv.field_size_limit():,} ký tự.".replace(",", ".")
    return "tệp CSV hỏng (thường là dấu ngoặc kép không được đóng)."


def import_agencies(data: bytes) -> ImportReport:
    report = ImportReport()
    rows = read_rows(data, AGENCY_COLUMNS)
    in_file = _check_agency_rows(rows, report)
    if report.ok:
        order = _parents_first(rows, in_file, report)
    if not report.ok:
        return report
    for _line, row in order:
        existing = get_by_code(row["code"])
        if existing is not None:
            existing.name, existing.kind = row["name"], row["kind"]
            report.updated += 1
            continue
        parent = get_by_code(row["parent_code"]) if row["parent_code"] else None
        create_agency(row["code"], row["name"], row["kind"], parent)
        report.created += 1
    db.session.commit()
    return report


def _check_agency_rows(rows, report: ImportReport) -> dict[str, int]:
    seen: dict[str, int] = {}
    for line, row in rows:
        code = row["code"]
        if not code or not row["name"]:
            report.add(line, "Thiếu mã hoặc tên đơn vị.")
        elif code in seen:
            report.add(line, f"Mã {code} trùng với dòng {seen[code]}.")
        elif not is_known(row["kind"]):
            report.add(line, f"Loại đơn vị không hợp lệ: {row['kind']!r}.")
        elif row["parent_code"] == code:
            report.add(line, "Đơn vị không thể là cấp trên của chính nó.")
        seen.setdefault(code, line)
    for line, row in rows:
        parent = row["parent_code"]
        if parent and parent not in seen and get_by_code(parent) is None:
            report.add(line, f"Không tìm thấy đơn vị cấp trên {parent}.")
        existing = get_by_code(row["code"]) if row["code"] else None
        if existing is not None and (existing.parent.code if existing.parent else "") != parent:
            report.add(line, f"Đơn vị {row['code']} đã có với cấp trên khác; dùng chức năng chuyển đơn vị.")
    return seen


def _parents_first(rows, in_file: dict[str, int], report: ImportReport) -> list:
    by_code = {row["code"]: (line, row) for line, row in rows}
    ordered, placed = [], set()

    def place(code: str, trail: tuple) -> None:
        if code in placed or code not in by_code:
            return
        if code in trail:
            report.add(by_code[code][0], f"Vòng lặp cấp trên: {' → '.join(trail + (code,))}.")
            return
        place(by_code[code][1]["parent_code"], trail + (code,))
        placed.add(code)
        ordered.append(by_code[code])

    for code in by_code:
        place(code, ())
    return ordered


def check_procedure_rows(rows, report: ImportReport) -> None:
    names: dict[str, tuple[int, str]] = {}
    for line, row in rows:
        code = row["code"]
        if not PROCEDURE_CODE.match(code):
            report.add(
                line, f"Mã thủ tục {code!r} không đúng dạng mã trên Cổng DVC quốc gia (ví dụ 1.001193)."
            )
        elif not row["name"]:
            report.add(line, "Thiếu tên thủ tục.")
        elif code in names and names[code][1] != row["name"]:
            report.add(line, f"Tên thủ tục {code} khác với dòng {names[code][0]}.")
        elif row["agency_code"] and get_by_code(row["agency_code"]) is None:
            report.add(line, f"Không tìm thấy đơn vị {row['agency_code']}.")
        names.setdefault(code, (line, row["name"]))


def import_procedures(data: bytes) -> ImportReport:
    """The CLI path: add and update, never retire (kept as it always was)."""
    report = ImportReport()
    rows = read_rows(data, PROCEDURE_COLUMNS)
    check_procedure_rows(rows, report)
    if not report.ok:
        return report
    for _line, row in rows:
        upsert_procedure(row, report)
    db.session.commit()
    return report


def upsert_procedure(row: dict, report: ImportReport) -> None:
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == row["code"]))
    if procedure is None:
        procedure = Procedure(code=row["code"], name=row["name"], field=row["field"])
        db.session.add(procedure)
        db.session.flush()
        report.created += 1
    elif (procedure.name, procedure.field, procedure.active) != (row["name"], row["field"], True):
        procedure.name, procedure.field, procedure.active = row["name"], row["field"], True
        report.updated += 1
    if row["agency_code"]:
        agency = get_by_code(row["agency_code"])
        link = db.session.get(AgencyProcedure, (agency.id, procedure.id))
        if link is None:
            db.session.add(AgencyProcedure(agency_id=agency.id, procedure_id=procedure.id))
