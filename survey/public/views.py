"""Public pages: home and the health check (the survey: survey.py; QR images: qr_images.py)."""

from flask import jsonify, render_template
from flask_babel import gettext as _

from survey.auth.access import public
from survey.health import database_ok
from survey.public import bp


@bp.get("/")
@public
def index():
    return render_template("public/index.html")


@bp.get("/healthz")
@public
def healthz():
    if not database_ok():
        return jsonify({"status": "error", "database": "down"}), 503
    return jsonify({"status": "ok", "database": "ok"})


@bp.app_context_processor
def inject_title():
    return {"app_name": _("Hài Lòng QR")}
