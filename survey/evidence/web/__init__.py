"""Evidence packs on the web, for auditors, the ISO committee and agency heads."""

from flask import Blueprint

bp = Blueprint("evidence", __name__, url_prefix="/evidence")

from survey.evidence.web import views  # noqa: E402,F401
