"""The citizen's side of a one-time dossier link: /d/<token> and its QR images."""

from flask import abort, redirect, render_template, request, session, url_for
from sqlalchemy.exc import IntegrityError

from survey import dossiers, qr
from survey.auth.access import public
from survey.extensions import csrf
from survey.public import bp, tokens
from survey.public.qr_images import image_response, requested_size
from survey.public.survey import count_scan_quietly, survey_page
from survey.responses import find_by_nonce


def _link_or_404(token: str):
    link = dossiers.find_link(token)
    if link is None:
        abort(404)
    return link


def _closed(link, status: str):
    return render_template("public/dossier_closed.html", link=link, status=status), 410


@bp.route("/d/<token>", methods=["GET", "POST"])
@public
def dossier_survey(token: str):
    link = _link_or_404(token)
    point = link.survey_point
    if request.method == "GET":
        count_scan_quietly(point.id)
    status = dossiers.state(link)
    if status == dossiers.USED:
        mine = find_by_nonce(request.form.get("nonce", "")) if request.method == "POST" else None
        if mine is not None and mine.dossier_link_id == link.id:  # a double tap on "Gửi"
            return thanks_redirect(point, mine)
        return _closed(link, status)
    if status == dossiers.EXPIRED:
        return _closed(link, status)
    try:
        return survey_page(point, dossier_link=link)
    except IntegrityError:  # answered from another tab a moment earlier
        return _closed(link, dossiers.USED)


@bp.route("/D/<token>", methods=["GET", "POST"])
@public
def dossier_survey_from_qr(token: str):
    """The upper-case form the receipt's QR code encodes."""
    return dossier_survey(token)


def thanks_redirect(point, response):
    """The thank-you page of the answer already stored, as the first post got it
    (with its token: the contact invitation after a low answer)."""
    token = tokens.for_response(response)
    session[tokens.ANSWERED] = {point.code: token}
    return redirect(url_for("public.thanks", code=point.code, t=token))


@bp.get("/qr/d/<token>.png")
@public
def dossier_qr_png(token: str):
    link = _link_or_404(token)
    return image_response(qr.png_bytes(dossiers.qr_text(link), requested_size()), "image/png")


@bp.get("/qr/d/<token>.svg")
@public
def dossier_qr_svg(token: str):
    link = _link_or_404(token)
    return image_response(qr.svg_bytes(dossiers.qr_text(link)), "image/svg+xml")


# The form checks its own CSRF token (FlaskForm) so that a stale token comes
# back as a field error with every answer kept, not as a bare 400 page.
csrf.exempt(dossier_survey)
csrf.exempt(dossier_survey_from_qr)
