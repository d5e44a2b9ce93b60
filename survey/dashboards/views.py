from flask import current_app, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from survey.agencies import ancestors, get_by_code, subtree_ids
from survey.auth.access import any_staff_role
from survey.auth.scope import ensure_in_scope, scope_agency_ids
from survey.dashboards import bp
from survey.dashboards.queries import headline
from survey.extensions import db
from survey.models import Agency
from survey.stats import Rate, target_status


@bp.get("/dashboard")
@any_staff_role
def home():
    if current_user.agency is not None:
        return redirect(url_for("dashboards.agency_summary", code=current_user.agency.code))
    roots = db.session.scalars(select(Agency).where(Agency.parent_id.is_(None)).order_by(Agency.name))
    return render_template("dashboards/home.html", roots=list(roots))


def _rate_for(agency: Agency) -> tuple:
    figures = headline(subtree_ids(agency.id))
    rate = Rate(figures.satisfied, figures.counted, current_app.config["MIN_SAMPLE"])
    return figures, rate


@bp.get("/agencies/<code>")
@any_staff_role
def agency_summary(code: str):
    agency = ensure_in_scope(current_user, get_by_code(code))
    figures, rate = _rate_for(agency)
    target = agency.quality_target or current_app.config["DEFAULT_TARGET"]
    visible = scope_agency_ids(current_user)
    trail = [a for a in ancestors(agency) if visible is None or a.id in visible]
    children = [(child, *_rate_for(child)) for child in agency.children]
    return render_template(
        "dashboards/agency.html",
        agency=agency,
        figures=figures,
        rate=rate,
        target=target,
        status=target_status(rate.ci95, target),
        trail=trail,
        children=children,
    )
