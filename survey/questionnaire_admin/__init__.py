"""Administrators' questionnaire versions per agency: /admin/questionnaires/."""

from flask import Blueprint

bp = Blueprint("questionnaire_admin", __name__, url_prefix="/admin/questionnaires")

from survey.questionnaire_admin import views  # noqa: E402,F401
