"""Public pages: the citizen's survey, QR images and the health check."""

import logging

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from survey.auth.access import public
from survey.extensions import db
from survey.i18n import current_locale
from survey.models import AgencyProcedure, Procedure
from survey.models.response import CHANNEL_DOSSIER
from survey.models.types import utcnow
from survey.netid import client_network_key
from survey.points import find_point
from survey.public import bp
from survey.public.forms import OTHER_PROCEDURE, build_form_class, new_nonce
from survey.questionnaires import assigned_version
from survey.responses import Submission, record
from survey.retirement import current_replacement
from survey.scans import count_scan

log = logging.getLogger(__name__)


@bp.get("/")
@public
def index():
    return render_template("public/index.html")


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means the database is unusable
        db.session.rollback()
        return jsonify({"status": "error", "database": "down"}), 503
    return jsonify({"status": "ok", "database": "ok"})


def _agency_procedures(point) -> list[Procedure] | None:
    if point.procedure_id is not None:
        return None
    stmt = (
        select(Procedure)
        .join(AgencyProcedure, AgencyProcedure.procedure_id == Procedure.id)
        .where(AgencyProcedure.agency_id == point.agency_id, Procedure.active.is_(True))
        .order_by(Procedure.name)
    )
    return list(db.session.scalars(stmt))


def _load_point_or_page(code: str):
    point = find_point(code)
    if point is None:
        abort(404)
    return point


def count_scan_quietly(point) -> None:
    """A scan is counted when the page is opened; counting never blocks the survey."""
    try:
        count_scan(point.id)
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("scan of point %s not counted", point.id, exc_info=True)


@bp.route("/s/<code>", methods=["GET", "POST"])
@public
def survey(code: str):
    point = _load_point_or_page(code)
    if request.method == "GET":
        count_scan_quietly(point)
    if point.is_retired:
        replacement = current_replacement(point)
        return render_template("public/retired.html", point=point, replacement=replacement), 410
    return survey_page(point)


@bp.route("/S/<code>", methods=["GET", "POST"])
@public
def survey_from_qr(code: str):
    """The upper-case form that QR codes encode (alphanumeric mode, smaller symbol)."""
    return survey(code)


def survey_page(point, dossier_link=None):
    """The questionnaire for a point; a dossier link makes the answer single-use."""
    version = assigned_version(point.agency)
    procedures = _agency_procedures(point)
    form_class = build_form_class(
        version, current_locale(), procedures, current_app.config["COMMENT_MAX_LENGTH"]
    )
    form = form_class()
    if request.method == "GET":
        form.nonce.data = new_nonce()
    elif form.validate_on_submit():
        _store(point, version, form, procedures, dossier_link)
        return redirect(url_for("public.thanks", code=point.code))
    page = render_template(
        "public/survey.html", point=point, version=version, form=form, dossier=dossier_link
    )
    return page, (422 if form.errors else 200)


def _store(point, version, form, procedures, dossier_link=None) -> None:
    """Store the answer; with a dossier link, mark it used in the same transaction."""
    chosen = None
    if procedures and form.Q0.data not in (None, "", OTHER_PROCEDURE):
        chosen = next((p for p in procedures if p.code == form.Q0.data), None)
    comment_field = getattr(form, "Q10", None)
    submission = Submission(
        nonce=form.nonce.data or new_nonce(),
        answers=form.answers(),
        comment=comment_field.data if comment_field else None,
        procedure=chosen,
        locale=current_locale(),
        network_key=client_network_key(),
    )
    if dossier_link is not None:
        submission.channel = CHANNEL_DOSSIER
        submission.dossier_link_id = dossier_link.id
        dossier_link.used_at = utcnow()
    record(point, version, submission)


@bp.get("/s/<code>/cam-on")
@public
def thanks(code: str):
    point = _load_point_or_page(code)
    return render_template("public/thanks.html", point=point)


@bp.app_context_processor
def inject_title():
    return {"app_name": _("Hài Lòng QR")}
