"""Dossier counts, for answers per 100 dossiers (is the sample a real share?).

Two sources: a monthly CSV of dossiers received per agency (and optionally
procedure), imported all-or-nothing; and, for agencies without imported
counts, the one-time dossier links issued in the period.
"""

import re
from datetime import date

from sqlalchemy import func, select

from survey import periods
from survey.agencies import get_by_code
from survey.extensions import db
from survey.importer import ImportReport, read_rows
from survey.models import AgencyClosure, DossierCount, DossierLink, Procedure, SurveyPoint
from survey.rollups.read import agency_in

COLUMNS = ["agency_code", "procedure_code", "month", "received"]
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _check(line: int, row: dict, report: ImportReport, procedures: dict) -> tuple | None:
    agency = get_by_code(row["agency_code"])
    if agency is None:
        report.add(line, f"Không tìm thấy đơn vị {row['agency_code']!r}.")
        return None
    procedure_id = None
    if row["procedure_code"]:
        procedure_id = procedures.get(row["procedure_code"])
        if procedure_id is None:
            report.add(line, f"Không tìm thấy thủ tục {row['procedure_code']!r}.")
            return None
    match = MONTH.match(row["month"])
    if not match or not 1 <= int(match.group(2)) <= 12:
        report.add(line, f"Tháng không hợp lệ: {row['month']!r} (cần dạng YYYY-MM).")
        return None
    if not row["received"].isdigit():
        report.add(line, f"Số hồ sơ phải là số nguyên không âm: {row['received']!r}.")
        return None
    return agency.id, procedure_id, date(int(match.group(1)), int(match.group(2)), 1), int(row["received"])


def import_dossier_counts(data: bytes) -> ImportReport:
    """Upsert (agency, procedure, month) -> received; nothing written if any row is bad."""
    report = ImportReport()
    procedures = dict(db.session.execute(select(Procedure.code, Procedure.id)).all())
    checked = [_check(line, row, report, procedures) for line, row in read_rows(data, COLUMNS)]
    if not report.ok:
        return report
    for agency_id, procedure_id, month, received in checked:
        existing = db.session.scalar(
            select(DossierCount).where(
                DossierCount.agency_id == agency_id,
                DossierCount.month == month,
                DossierCount.procedure_id.is_(None)
                if procedure_id is None
                else DossierCount.procedure_id == procedure_id,
            )
        )
        if existing is None:
            db.session.add(
                DossierCount(agency_id=agency_id, procedure_id=procedure_id, month=month, received=received)
            )
            report.created += 1
        else:
            existing.received = received
            report.updated += 1
    db.session.commit()
    return report


def dossiers_received(agency_ids: list[int], period: periods.Period) -> int | None:
    """Dossiers known for these agencies in the period's months; None when unknown.

    An agency with imported counts uses them (rows without a procedure are the
    agency total; otherwise its per-procedure rows are added up); any other
    agency counts the one-time dossier links it issued in the period."""
    per_agency = _per_agency(agency_ids, period)
    return sum(per_agency.values()) if per_agency else None


def dossiers_by_unit(units: list[int], period: periods.Period) -> dict[int, int | None]:
    """The same for several units at once, each with its whole subtree."""
    pairs = db.session.execute(
        select(AgencyClosure.ancestor_id, AgencyClosure.descendant_id).where(
            AgencyClosure.ancestor_id.in_(units)
        )
    ).all()
    per_agency = _per_agency(sorted({d for _a, d in pairs}), period)
    result: dict[int, int | None] = {unit: None for unit in units}
    for unit, agency in pairs:
        if agency in per_agency:
            result[unit] = (result[unit] or 0) + per_agency[agency]
    return result


def _per_agency(agency_ids: list[int], period: periods.Period) -> dict[int, int]:
    imported = db.session.execute(
        select(DossierCount.agency_id, DossierCount.procedure_id.is_(None), func.sum(DossierCount.received))
        .where(
            agency_in(DossierCount.agency_id, agency_ids),
            DossierCount.month >= periods.month_start(period.start),
            DossierCount.month <= period.end,
        )
        .group_by(DossierCount.agency_id, DossierCount.procedure_id.is_(None))
    ).all()
    totals: dict[int, dict[bool, int]] = {}
    for agency_id, is_total, received in imported:
        totals.setdefault(agency_id, {})[bool(is_total)] = int(received or 0)
    result = {agency: v.get(True, v.get(False, 0)) for agency, v in totals.items()}
    start, end = period.utc_bounds()
    links = db.session.execute(
        select(SurveyPoint.agency_id, func.count(DossierLink.id))
        .join(SurveyPoint, SurveyPoint.id == DossierLink.survey_point_id)
        .where(
            agency_in(SurveyPoint.agency_id, agency_ids),
            DossierLink.created_at >= start,
            DossierLink.created_at < end,
        )
        .group_by(SurveyPoint.agency_id)
    ).all()
    for agency_id, count in links:
        result.setdefault(agency_id, int(count))
    return result
