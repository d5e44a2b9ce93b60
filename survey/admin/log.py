"""The administration log for the auditor: filterable, paged, exportable as CSV."""

from datetime import date, datetime, timedelta

from flask import Response, render_template, request
from flask_login import current_user
from sqlalchemy import select

from survey.admin import bp
from survey.admin.common import csv_text, scope_ids
from survey.audit import log_query
from survey.auth.access import any_staff_role
from survey.extensions import db
from survey.i18n import format_datetime
from survey.models import AdminLog
from survey.pagination import paginate
from survey.periods import year_supported

EXPORT_LIMIT = 100_000


def _day(name: str) -> date | None:
    """A filter day, ignored when malformed or so far out that the UTC bounds would overflow."""
    try:
        day = date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None
    return day if year_supported(day) else None


def _filters() -> dict:
    start, end = _period(_day("from"), _day("to"))
    return {
        "entity": request.args.get("entity") or None,
        "action": request.args.get("action") or None,
        "who": (request.args.get("who") or "").strip()[:100] or None,
        # Days are Vietnam days; stored times are UTC (7 hours behind).
        "start": datetime.combine(start, datetime.min.time()) - timedelta(hours=7) if start else None,
        "end": datetime.combine(end, datetime.min.time()) + timedelta(hours=17) if end else None,
    }


def _period(start: date | None, end: date | None) -> tuple[date | None, date | None]:
    """Auditors limited to a period see only that period of the log."""
    first, last = current_user.scope_from, current_user.scope_to
    if first is not None:
        start = max(start, first) if start else first
    if last is not None:
        end = min(end, last) if end else last
    return start, end


def _choices(column) -> list[str]:
    return list(db.session.scalars(select(column).distinct().order_by(column)))


@bp.get("/log")
@any_staff_role
def log():
    stmt = log_query(scope_ids(), **_filters())
    return render_template(
        "admin/log.html",
        page=paginate(stmt),
        entities=_choices(AdminLog.entity),
        actions=_choices(AdminLog.action),
        args=request.args,
    )


@bp.get("/log.csv")
@any_staff_role
def log_csv():
    stmt = log_query(scope_ids(), **_filters()).limit(EXPORT_LIMIT)
    header = [
        "id",
        "at_utc",
        "at_vietnam",
        "user",
        "entity",
        "entity_id",
        "agency_id",
        "action",
        "before",
        "after",
    ]
    rows = (
        [
            e.id,
            e.at.isoformat(),
            format_datetime(e.at),
            e.user_email,
            e.entity,
            e.entity_id,
            e.agency_id,
            e.action,
            _json(e.before),
            _json(e.after),
        ]
        for e in db.session.scalars(stmt)
    )
    body = csv_text(header, rows)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=nhat-ky-quan-tri.csv"},
    )


def _json(value) -> str:
    import json

    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
