from flask import Blueprint

bp = Blueprint("followup", __name__)


@bp.app_template_global("followup_panel")
def followup_panel(agency):
    from survey.followup.panel import panel_for

    return panel_for(agency)


@bp.app_template_global("followup_case_ids")
def followup_case_ids(responses) -> dict[int, int]:
    """response id -> case id for one page of comments (dashboards)."""
    from survey.followup.queries import case_ids_for

    return case_ids_for([r.id for r in responses])


def load_views() -> Blueprint:
    from survey.followup import report, views, views_reports  # noqa: F401  (report: evidence pack section)

    return bp
