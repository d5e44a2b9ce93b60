"""GET /api/v1/agencies/<code>/summary and the same per procedure.

Both dates inclusive, Vietnam time; the token sees its agency's subtree only.
"""

from datetime import date

from flask import abort, current_app, g, jsonify, request
from sqlalchemy import select

from survey import periods
from survey.agencies import get_by_code, subtree_ids
from survey.api import bp
from survey.api.tokens import token_required
from survey.extensions import db
from survey.models import Procedure
from survey.summaries import CriterionFigures, Summary, summarise


def _rate_fields(satisfied: int, rate) -> dict:
    return {
        "satisfied": satisfied,
        "satisfaction_rate": round(rate.value, 6) if rate.value is not None else None,
        "ci95": [round(rate.ci95[0], 6), round(rate.ci95[1], 6)] if rate.ci95 else None,
    }


def _criterion(item: CriterionFigures) -> dict:
    return {
        "code": item.code,
        "name_vi": item.name_vi,
        "name_en": item.name_en,
        "counted": item.n,
        "not_applicable": item.not_applicable,
        **_rate_fields(item.rate.satisfied, item.rate),
        "mean": round(item.mean, 4) if item.mean is not None else None,
        "distribution": {str(value): count for value, count in item.counts.items()},
    }


def _body(agency, period: periods.Period, summary: Summary) -> dict:
    return {
        "agency": {"code": agency.code, "name": agency.name},
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "timezone": "Asia/Ho_Chi_Minh",
        "responses": summary.responses,
        "counted": summary.counted,
        **_rate_fields(summary.satisfied, summary.rate),
        "min_sample": current_app.config["MIN_SAMPLE"],
        "quality_target": agency.quality_target or current_app.config["DEFAULT_TARGET"],
        "criteria": [_criterion(c) for c in summary.criteria],
    }


def _bad_request(message: str):
    response = jsonify({"error": "bad_request", "message": message})
    response.status_code = 400
    return response


def _period() -> periods.Period:
    start, end = request.args.get("from"), request.args.get("to")
    if not start or not end:
        raise periods.PeriodError("Cần cả hai tham số from và to (YYYY-MM-DD).")
    return periods.parse("custom", None, start, end, date.today())


def _agency_in_token_scope(code: str):
    agency = get_by_code(code)
    if agency is None or agency.id not in subtree_ids(g.api_token.agency_id):
        abort(404)
    return agency


@bp.get("/agencies/<code>/summary")
@token_required
def agency_summary(code: str):
    agency = _agency_in_token_scope(code)
    try:
        period = _period()
    except periods.PeriodError as error:
        return _bad_request(str(error))
    return jsonify(_body(agency, period, summarise(subtree_ids(agency.id), period)))


@bp.get("/agencies/<code>/procedures/<procedure_code>/summary")
@token_required
def procedure_summary(code: str, procedure_code: str):
    agency = _agency_in_token_scope(code)
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == procedure_code))
    if procedure is None:
        abort(404)
    try:
        period = _period()
    except periods.PeriodError as error:
        return _bad_request(str(error))
    body = _body(agency, period, summarise(subtree_ids(agency.id), period, procedure.id))
    body["procedure"] = {"code": procedure.code, "name": procedure.name}
    return jsonify(body)
