from flask import Blueprint

bp = Blueprint("dashboards", __name__)

from survey.dashboards import views  # noqa: E402,F401
