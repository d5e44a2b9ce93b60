"""The province's procedure CSV through the console: preview first, then write.

`plan()` reads and checks the file and works out what would be added,
changed and retired without writing anything; `apply()` writes a clean plan
in one transaction and records every change in the administration log.
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from survey import audit
from survey.extensions import db
from survey.importer import PROCEDURE_COLUMNS, ImportReport, check_procedure_rows, read_rows, upsert_procedure
from survey.models import Procedure


@dataclass
class Change:
    code: str
    name: str
    field: str
    before: dict | None = None


@dataclass
class Plan:
    report: ImportReport
    rows: list = field(default_factory=list)
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    retired: list[Procedure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.retired)


def plan(data: bytes, retire_missing: bool) -> Plan:
    """May raise importer.ImportFileError when the file cannot be read at all."""
    result = Plan(ImportReport(), read_rows(data, PROCEDURE_COLUMNS))
    check_procedure_rows(result.rows, result.report)
    if not result.ok:
        return result
    existing = {p.code: p for p in db.session.scalars(select(Procedure))}
    seen = set()
    for _line, row in result.rows:
        if row["code"] in seen:
            continue
        seen.add(row["code"])
        _classify(row, existing.get(row["code"]), result)
    if retire_missing:
        result.retired = sorted(
            (p for code, p in existing.items() if code not in seen and p.active), key=lambda p: p.code
        )
    return result


def _classify(row: dict, current: Procedure | None, result: Plan) -> None:
    change = Change(row["code"], row["name"], row["field"])
    if current is None:
        result.added.append(change)
    elif (current.name, current.field, current.active) != (row["name"], row["field"], True):
        change.before = {"name": current.name, "field": current.field, "active": current.active}
        result.changed.append(change)


def apply(result: Plan) -> None:
    """Write a clean plan; the caller commits."""
    report = ImportReport()
    for _line, row in result.rows:
        upsert_procedure(row, report)
    for change in result.added:
        audit.record(
            "procedure", change.code, "import_add", after={"name": change.name, "field": change.field}
        )
    for change in result.changed:
        audit.record(
            "procedure",
            change.code,
            "import_change",
            before=change.before,
            after={"name": change.name, "field": change.field, "active": True},
        )
    for procedure in result.retired:
        procedure.active = False
        audit.record(
            "procedure", procedure.code, "import_retire", before={"active": True}, after={"active": False}
        )
