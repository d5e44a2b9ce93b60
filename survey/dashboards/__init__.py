from flask import Blueprint

bp = Blueprint("dashboards", __name__)

from survey.dashboards import selection, views, views_files  # noqa: E402,F401

bp.add_app_template_global(selection.period_label, "period_label")
