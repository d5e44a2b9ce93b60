"""The citizen's survey: one page, no JavaScript, exactly one stored response
per rendered form, then a thank-you page (and, after low answers, an
invitation to leave a contact)."""

import logging

from flask import abort, current_app, redirect, render_template, request, session, url_for
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from survey.auth.access import public
from survey.codes import normalise
from survey.extensions import csrf, db
from survey.followup.cases import needs_follow_up
from survey.i18n import current_locale
from survey.models import Contact, SurveyPoint
from survey.models.response import CHANNEL_KIOSK, CHANNEL_QR
from survey.netid import client_network_key
from survey.points import find_point
from survey.public import bp, citizen_errors, citizen_limits, form_pages, submit, tokens
from survey.public.catalogue import blank_questions_html, form_for, questionnaire_for
from survey.public.device import device_key, kiosk_point_code, remember_device
from survey.public.forms import new_nonce
from survey.public.point_ref import find_point_ref
from survey.public.posted import Posted, from_form, quick_accept
from survey.public.scan_buffer import take_due, write_batch
from survey.retirement import current_replacement

log = logging.getLogger(__name__)
ANSWERED = tokens.ANSWERED


def load_point(code: str, count_scan_too: bool = False) -> SurveyPoint:
    """The active point, or a citizen page (unknown / retired) raised as an abort."""
    point = find_point(code)
    if point is None:
        citizen_errors.abort_with("unknown_code")
    if count_scan_too:
        count_scan_quietly(point.id)  # retired points' scans count too
    if point.is_retired:
        page = render_template("public/retired.html", point=point, replacement=current_replacement(point))
        abort(private(current_app.make_response((page, 410))))
    return point


def count_scan_quietly(point_id: int) -> None:
    """A scan is counted when the page is opened; counting never blocks the survey."""
    write_scans_quietly(take_due(point_id, current_app.config))


def write_scans_quietly(batch: dict) -> None:
    """Write a due batch of scan counts; a database error is logged (the
    counts go back to the buffer for the next batch), never shown."""
    if not batch:
        return
    try:
        write_batch(batch)
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("%d scan(s) not written yet", sum(batch.values()), exc_info=True)


def wants_follow_up(response) -> bool:
    """The follow-up rule of the response's agency (its own threshold, else
    LOW_SCORE_MAX): a contact left here opens a case (docs/followup.md)."""
    return needs_follow_up(response)


def has_contact(response_id: int) -> bool:
    return db.session.scalar(select(Contact.id).where(Contact.response_id == response_id)) is not None


def private(response):
    """Answers are personal to the moment: never cached, never shown again."""
    response.headers["Cache-Control"] = "no-store"
    return response


def own_device(response):
    """The citizen's own phone: not stored by shared caches, and the browser's
    back button brings back the same form (same nonce), so a back-and-resubmit
    stores nothing new. Kiosk pages use private() instead."""
    response.headers["Cache-Control"] = "private, max-age=0"
    return response


def show_form(point: SurveyPoint, channel: str, key: str | None, action: str, dossier_link=None):
    """GET renders a fresh form; POST validates, stores once and redirects."""
    if request.method == "POST":  # a complete, valid answer needs no form object (posted.py)
        version, procedures = questionnaire_for(point)
        posted = quick_accept(version, procedures, current_app.config["COMMENT_MAX_LENGTH"])
        if posted is not None:
            return _stored(point, version, posted, procedures, channel, key, dossier_link)
    version, procedures, form = form_for(point, current_locale())
    questions_html = None
    if request.method == "GET":
        form.nonce.data = new_nonce()
        questions_html = blank_questions_html(version, procedures, current_locale(), form)
        cacheable = channel == CHANNEL_QR and dossier_link is None
    elif form.validate_on_submit():
        return _stored(point, version, from_form(form, procedures), procedures, channel, key, dossier_link)
    else:
        cacheable = False
    page = render_template(
        "public/survey.html",
        point=point,
        version=version,
        form=form,
        channel=channel,
        action=action,
        dossier=dossier_link,
        questions_html=questions_html,
    )
    if cacheable:
        form_pages.store(point.id, page, form.nonce.data)
    response = current_app.make_response((page, 422 if form.errors else 200))
    return private(response) if channel == CHANNEL_KIOSK else own_device(response)


def _stored(point, version, posted: Posted, procedures, channel, key, dossier_link=None):
    """Store the answer once, then redirect to the thank-you page."""
    code = point.code  # read before the commit expires the point (no reload)
    response = submit.store_posted(
        point,
        version,
        posted,
        procedures,
        channel=channel,
        device_key=key,
        network_key=client_network_key(),
        locale=current_locale(),
        dossier_link=dossier_link,
    )
    if channel == CHANNEL_KIOSK:
        return redirect(url_for("public.kiosk_thanks", code=code))
    token = tokens.for_response(response)
    session[ANSWERED] = {code: token}  # a back-and-resubmit finds it (own device only)
    return redirect(url_for("public.thanks", code=code, t=token))


@bp.route("/s/<code>", methods=["GET", "POST"])
@public
def survey(code: str):
    kiosk = kiosk_point_code()
    if kiosk is not None and kiosk == normalise(code):
        # The counter's tablet, back from the privacy notice say: its own form,
        # which resets itself, and a POST kept as it is (307) to be stored as a kiosk answer.
        return redirect(url_for("public.kiosk", code=kiosk), 307 if request.method == "POST" else 302)
    if request.method == "POST":
        if not citizen_limits.submit_allowed(current_app, client_network_key(), device_key()):
            abort(429)  # the friendly "too many" page (errors.py)
        return survey_page(active_point(code))
    if not citizen_limits.page_allowed(current_app, request.remote_addr):
        abort(429)
    cached = cached_form(code)
    if cached is not None:
        return cached
    return survey_page(load_point(code, count_scan_too=True))


def active_point(code: str):
    """An active point's columns (point_ref.py) for a submit or its thank-you
    page; an unknown or retired code takes load_point's way to the same
    citizen pages."""
    point = find_point_ref(code)
    if point is None or point.is_retired:
        return load_point(code)
    return point


def cached_form(code: str):
    """The blank form from this worker's cache (form_pages.py): no query, no template.
    A browser that has just answered this point takes the full path ("already sent")."""
    if not request.args.get("again") and normalise(code) in (session.get(ANSWERED) or {}):
        return None
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    cached = form_pages.lookup(gzipped)
    if cached is None:
        return None
    point_id, body = cached
    count_scan_quietly(point_id)
    response = current_app.response_class(body, mimetype="text/html")
    if gzipped:  # already compressed (compression.py leaves it alone)
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"  # a new response: nothing to merge with
    return remember_device(own_device(response))


@bp.route("/S/<code>", methods=["GET", "POST"])
@public
def survey_from_qr(code: str):
    """The upper-case form that QR codes encode (alphanumeric mode, smaller symbol)."""
    return survey(code)


def survey_page(point: SurveyPoint, dossier_link=None):
    """The questionnaire for a point; a dossier link (/d/<token>) makes the answer single-use."""
    if dossier_link is not None:
        return remember_device(show_form(point, CHANNEL_QR, device_key(), request.path, dossier_link))
    if request.method == "GET" and not request.args.get("again"):
        token = (session.get(ANSWERED) or {}).get(point.code)
        if tokens.response_from(token, point.id) is not None:
            page = render_template("public/answered.html", point=point, token=token)
            return own_device(current_app.make_response(page))
    action = url_for("public.survey", code=point.code)
    return remember_device(show_form(point, CHANNEL_QR, device_key(), action))


@bp.get("/s/<code>/cam-on")
@public
def thanks(code: str):
    point = active_point(code)
    response = tokens.response_from(request.args.get("t"), point.id)
    invite = response is not None and wants_follow_up(response) and not has_contact(response.id)
    page = render_template(
        "public/thanks.html", point=point, invite=invite, token=request.args.get("t"), kiosk=False
    )
    return private(current_app.make_response(page))


# The form checks its own CSRF token (FlaskForm) so that a stale token comes
# back as a field error with every answer kept, not as a bare 400 page.
csrf.exempt(survey)
csrf.exempt(survey_from_qr)
