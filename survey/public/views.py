"""Public pages: the citizen's survey, QR images and the health check."""

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select, text

from survey import qr
from survey.auth.access import public
from survey.extensions import db
from survey.i18n import current_locale
from survey.models import AgencyProcedure, Procedure
from survey.netid import client_network_key
from survey.points import find_point, public_url
from survey.public import bp
from survey.public.forms import OTHER_PROCEDURE, build_form_class, new_nonce
from survey.questionnaires import version_for
from survey.responses import Submission, record


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


@bp.route("/s/<code>", methods=["GET", "POST"])
@public
def survey(code: str):
    point = _load_point_or_page(code)
    if point.is_retired:
        return render_template("public/retired.html", point=point), 410
    version = version_for(point.agency)
    procedures = _agency_procedures(point)
    form_class = build_form_class(
        version, current_locale(), procedures, current_app.config["COMMENT_MAX_LENGTH"]
    )
    form = form_class()
    if request.method == "GET":
        form.nonce.data = new_nonce()
    elif form.validate_on_submit():
        _store(point, version, form, procedures)
        return redirect(url_for("public.thanks", code=point.code))
    return render_template("public/survey.html", point=point, version=version, form=form), (
        422 if form.errors else 200
    )


def _store(point, version, form, procedures) -> None:
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
    record(point, version, submission)


@bp.get("/s/<code>/cam-on")
@public
def thanks(code: str):
    point = _load_point_or_page(code)
    return render_template("public/thanks.html", point=point)


@bp.get("/qr/<code>.png")
@public
def qr_png(code: str):
    point = _load_point_or_page(code)
    body = qr.png_bytes(public_url(point.code))
    return current_app.response_class(
        body, mimetype="image/png", headers={"Cache-Control": "public, max-age=86400"}
    )


@bp.app_context_processor
def inject_title():
    return {"app_name": _("Hài Lòng QR")}
