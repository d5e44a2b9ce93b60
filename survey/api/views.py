from flask import current_app, send_from_directory

from survey.api import bp
from survey.auth.access import public


@bp.get("/openapi.json")
@public
def openapi():
    """The OpenAPI description of this API (static/openapi.json)."""
    return send_from_directory(current_app.static_folder, "openapi.json", mimetype="application/json")
