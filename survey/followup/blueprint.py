from flask import Blueprint

bp = Blueprint("followup", __name__)


@bp.app_template_global("followup_panel")
def followup_panel(agency):
    from survey.followup.panel import panel_for

    return panel_for(agency)


def load_views() -> Blueprint:
    from survey.followup import report, views, views_reports  # noqa: F401  (report: evidence pack section)

    return bp
