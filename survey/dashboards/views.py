"""Summaries for agency heads (/agencies/<code>) and the committee (/overview/<code>)."""

from datetime import timedelta

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from survey import periods
from survey.agencies import ancestors, get_by_code, subtree_ids
from survey.auth.access import any_staff_role
from survey.auth.scope import ensure_in_scope, scope_agency_ids
from survey.dashboards import bp, fragments, overview
from survey.dashboards.comments import CommentFilter
from survey.dashboards.selection import args_for, from_request, quick_choices
from survey.extensions import db
from survey.models import Agency, AgencyProcedure, Procedure
from survey.questionnaire_v1 import CRITERIA
from survey.rollups.read import agency_in


def _visible_trail(agency: Agency) -> list[Agency]:
    visible = scope_agency_ids(current_user)
    return [a for a in ancestors(agency) if visible is None or a.id in visible]


def _scoped_agency(code: str) -> Agency:
    return ensure_in_scope(current_user, get_by_code(code))


@bp.get("/dashboard")
@any_staff_role
def home():
    if current_user.agency is not None:
        return redirect(url_for("dashboards.agency_summary", code=current_user.agency.code))
    roots = list(db.session.scalars(select(Agency).where(Agency.parent_id.is_(None)).order_by(Agency.name)))
    if len(roots) == 1:
        return redirect(url_for("dashboards.overview_page", code=roots[0].code))
    return render_template("dashboards/home.html", roots=roots)


def _comment_filter(ids: list[int]) -> CommentFilter:
    procedure_ids = set(db.session.scalars(select(Procedure.id)))
    return CommentFilter.from_args(request.args, {code for code, *_ in CRITERIA}, procedure_ids)


@bp.get("/agencies/<code>")
@any_staff_role
def agency_summary(code: str):
    agency = _scoped_agency(code)
    chosen = from_request()
    ids = subtree_ids(agency.id)
    comment_filter = _comment_filter(ids)
    return render_template(
        "dashboards/agency.html",
        agency=agency,
        trail=_visible_trail(agency),
        chosen=chosen,
        quick=quick_choices(),
        previous_period_args=args_for(periods.previous(chosen.period)),
        next_period_args=args_for(_next(chosen.period)),
        has_children=bool(agency.children),
        figures=fragments.agency_figures(agency, ids, chosen),
        comments=fragments.comments_page(agency, ids, chosen.period, comment_filter, per_page=20),
        comment_filter=comment_filter,
        procedure_names=_procedure_names(ids),
        criteria_choices=[(code, vi, en) for code, vi, en, *_ in CRITERIA if code in overview.HEAT_CRITERIA],
    )


def _next(period: periods.Period) -> periods.Period:
    if period.kind == "custom":
        return periods.custom(period.end + timedelta(days=1), period.end + timedelta(days=period.days))
    return periods.containing(period.kind, periods.add_months(periods.month_start(period.end), 1))


def _procedure_names(ids: list[int]) -> dict[int, Procedure]:
    stmt = (
        select(Procedure)
        .join(AgencyProcedure)
        .where(agency_in(AgencyProcedure.agency_id, ids))
        .order_by(Procedure.name)
    )
    return {p.id: p for p in db.session.scalars(stmt.distinct())}


@bp.get("/overview/<code>")
@any_staff_role
def overview_page(code: str):
    node = _scoped_agency(code)
    units = list(node.children)
    if not units:
        return redirect(url_for("dashboards.agency_summary", code=code, **request.args))
    chosen = from_request()
    return render_template(
        "dashboards/overview.html",
        node=node,
        trail=_visible_trail(node),
        chosen=chosen,
        quick=quick_choices(),
        body=fragments.overview_body(node, units, chosen, request.args.get("sort", "rank")),
    )


@bp.get("/definitions")
@any_staff_role
def definitions():
    from survey.dashboards.definitions import definitions_html

    return render_template("dashboards/definitions.html", body=definitions_html())
