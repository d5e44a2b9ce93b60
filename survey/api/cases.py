"""GET /api/v1/agencies/<code>/cases: follow-up figures (no personal data)."""

from datetime import UTC, date, datetime, time

from flask import abort, g, jsonify, request

from survey.agencies import get_by_code, subtree_ids
from survey.api import bp
from survey.api.tokens import token_required
from survey.followup import figures
from survey.followup.cases import local_today
from survey.i18n import LOCAL_TZ
from survey.periods import FIRST_YEAR, LAST_YEAR, year_supported


def _day(name: str) -> date | None:
    raw = request.args.get(name)
    if not raw:
        return None
    day = date.fromisoformat(raw)
    if not year_supported(day):  # the UTC bounds of year 1 or 9999 overflow
        raise ValueError(raw)
    return day


def _utc(day: date | None) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time.min, LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


@bp.get("/agencies/<code>/cases")
@token_required
def agency_cases(code: str):
    agency = get_by_code(code)
    if agency is None or agency.id not in subtree_ids(g.api_token.agency_id):
        abort(404)
    try:
        start, end = _day("from"), _day("to")
    except ValueError:
        message = f"Tham số from/to phải là ngày dạng YYYY-MM-DD, năm từ {FIRST_YEAR} đến {LAST_YEAR}."
        return jsonify({"error": "bad_request", "message": message}), 400
    end_excl = _utc(date.fromordinal(end.toordinal() + 1)) if end else None
    today = local_today()
    scope = subtree_ids(agency.id)
    groups = {child.id: subtree_ids(child.id) for child in agency.children}
    per_child = figures.by_agency(groups, _utc(start), end_excl, today)
    return jsonify(
        {
            "agency": {"code": agency.code, "name": agency.name},
            "period": {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None},
            "figures": figures.case_figures(scope, _utc(start), end_excl, today).as_dict(),
            "by_month": [
                {"month": m, **f.as_dict()} for m, f in figures.by_month(scope, _utc(start), end_excl, today)
            ],
            "children": [
                {"code": child.code, "name": child.name, **per_child[child.id].as_dict()}
                for child in agency.children
            ],
        }
    )
