"""JSON API for integrating systems (one-stop software, provincial reporting).

Bearer-token authenticated, CSRF-exempt, JSON errors; described in
static/openapi.json, served at /api/v1/openapi.json.
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from survey.api import cases, dossier_links, summary, views  # noqa: E402,F401
