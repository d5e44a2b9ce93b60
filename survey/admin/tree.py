"""Browsing the agency tree and one agency's page with its history."""

from flask import current_app, render_template, request
from flask_login import current_user
from sqlalchemy import func, or_, select

from survey.admin import bp
from survey.admin.common import MANAGER_ROLES, scope_ids, scoped_agency, search_text
from survey.agencies import ancestors
from survey.audit import history_query
from survey.auth.access import any_staff_role
from survey.extensions import db
from survey.kinds import agency_kinds
from survey.models import Agency, AgencyProcedure, AgencyQuestionnaire, Response, SurveyPoint
from survey.pagination import paginate


def _visible(include_retired: bool):
    stmt = select(Agency).order_by(Agency.name)
    if (ids := scope_ids()) is not None:
        stmt = stmt.where(Agency.id.in_(ids))
    if not include_retired:
        stmt = stmt.where(Agency.retired_at.is_(None))
    return stmt


def build_tree(agencies: list[Agency]) -> tuple[list[Agency], dict[int, list[Agency]]]:
    """Roots (whose parent is not visible) and a parent id -> children map."""
    ids = {a.id for a in agencies}
    children: dict[int, list[Agency]] = {}
    roots = []
    for agency in agencies:
        if agency.parent_id in ids:
            children.setdefault(agency.parent_id, []).append(agency)
        else:
            roots.append(agency)
    return roots, children


@bp.get("/agencies")
@any_staff_role
def agencies():
    include_retired = request.args.get("retired") == "1"
    stmt = _visible(include_retired)
    if q := search_text():
        found = stmt.where(or_(Agency.name.ilike(f"%{q}%"), Agency.code.ilike(f"%{q}%")))
        return render_template(
            "admin/agencies.html", page=paginate(found), q=q, retired=include_retired, kinds=agency_kinds()
        )
    roots, children = build_tree(list(db.session.scalars(stmt)))
    return render_template(
        "admin/agencies.html",
        roots=roots,
        children=children,
        q=q,
        retired=include_retired,
        kinds=agency_kinds(),
    )


def _counts(agency: Agency) -> dict[str, int]:
    def count(stmt) -> int:
        return db.session.scalar(stmt) or 0

    return {
        "procedures": count(select(func.count()).where(AgencyProcedure.agency_id == agency.id)),
        "points": count(
            select(func.count()).where(SurveyPoint.agency_id == agency.id, SurveyPoint.status == "active")
        ),
        "responses": count(select(func.count()).where(Response.agency_id == agency.id)),
    }


@bp.get("/agencies/<code>")
@any_staff_role
def agency(code: str):
    agency = scoped_agency(code)
    visible = scope_ids()
    trail = [a for a in ancestors(agency) if visible is None or a.id in visible]
    assignments = db.session.scalars(
        select(AgencyQuestionnaire)
        .where(AgencyQuestionnaire.agency_id == agency.id)
        .order_by(AgencyQuestionnaire.valid_from.desc())
    )
    merged = db.session.scalars(
        select(Agency).where(Agency.merged_into_id == agency.id).order_by(Agency.name)
    )
    return render_template(
        "admin/agency.html",
        agency=agency,
        trail=trail,
        counts=_counts(agency),
        history=paginate(history_query(agency.id), per_page=20),
        assignments=list(assignments),
        merged=list(merged),
        kinds=agency_kinds(),
        can_manage=current_user.role in MANAGER_ROLES,
        default_target=current_app.config["DEFAULT_TARGET"],
    )
