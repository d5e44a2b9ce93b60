"""Minimal lists of agencies, procedures and survey points, scoped to the user."""

from datetime import timedelta

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from survey.admin import bp
from survey.auth.access import any_staff_role
from survey.auth.scope import scope_agency_ids
from survey.models import Agency, AgencyProcedure, Procedure, SurveyPoint
from survey.pagination import paginate
from survey.points import public_url
from survey.scans import conversion_by_point, today_in_vietnam

CONVERSION_DAYS = 30


def _search() -> str:
    return (request.args.get("q") or "").strip()[:100]


@bp.get("/agencies")
@any_staff_role
def agencies():
    stmt = select(Agency).order_by(Agency.depth, Agency.name)
    ids = scope_agency_ids(current_user)
    if ids is not None:
        stmt = stmt.where(Agency.id.in_(ids))
    if q := _search():
        stmt = stmt.where(or_(Agency.name.ilike(f"%{q}%"), Agency.code.ilike(f"%{q}%")))
    return render_template("admin/agencies.html", page=paginate(stmt), q=q)


@bp.get("/procedures")
@any_staff_role
def procedures():
    stmt = select(Procedure).order_by(Procedure.field, Procedure.code)
    ids = scope_agency_ids(current_user)
    if ids is not None:
        handled = select(AgencyProcedure.procedure_id).where(AgencyProcedure.agency_id.in_(ids))
        stmt = stmt.where(Procedure.id.in_(handled))
    if q := _search():
        stmt = stmt.where(or_(Procedure.name.ilike(f"%{q}%"), Procedure.code.ilike(f"%{q}%")))
    return render_template("admin/procedures.html", page=paginate(stmt), q=q)


@bp.get("/survey-points")
@any_staff_role
def survey_points():
    stmt = (
        select(SurveyPoint)
        .options(joinedload(SurveyPoint.agency), joinedload(SurveyPoint.procedure))
        .order_by(SurveyPoint.id)
    )
    ids = scope_agency_ids(current_user)
    if ids is not None:
        stmt = stmt.where(SurveyPoint.agency_id.in_(ids))
    if q := _search():
        stmt = stmt.join(Agency).where(or_(Agency.name.ilike(f"%{q}%"), SurveyPoint.code == q.upper()))
    page = paginate(stmt)
    last = today_in_vietnam()
    first = last - timedelta(days=CONVERSION_DAYS - 1)
    conversions = conversion_by_point([p.id for p in page.items], first, last)
    return render_template(
        "admin/survey_points.html",
        page=page,
        q=q,
        public_url=public_url,
        conversions=conversions,
        days=CONVERSION_DAYS,
    )
