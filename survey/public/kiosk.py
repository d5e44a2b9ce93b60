"""Kiosk mode: a tablet at the counter runs the same form, which resets itself
a few seconds after each answer and never shows the previous citizen's
answers (no-store pages, autocomplete off, a redirect after every submit).

A member of staff switches a tablet on for one point (login, scope checked);
the tablet then carries a signed cookie naming that point. Kiosk answers are
recorded with channel "kiosk"; their rate limit and burst keys are the kiosk
itself rather than a citizen's phone.
"""

from flask import current_app, redirect, render_template, session, url_for
from flask_login import current_user, logout_user

from survey.auth.access import any_staff_role, public
from survey.auth.scope import ensure_in_scope
from survey.extensions import csrf, limiter
from survey.models.response import CHANNEL_KIOSK
from survey.netid import daily_key
from survey.public import bp
from survey.public.device import KIOSK_COOKIE, kiosk_point_code, kiosk_serializer
from survey.public.survey import load_point, private, show_form


def kiosk_rate_key() -> str:
    return daily_key("kiosk:" + (kiosk_point_code() or "none"), current_app.config["SECRET_KEY"])


@bp.post("/kiosk/<code>/bat-dau")
@any_staff_role
def kiosk_start(code: str):
    point = load_point(code)
    ensure_in_scope(current_user, point.agency)
    # The tablet is the citizens' from now on: the staff member's login stays
    # behind with them, not on the counter (the session would also outlive its
    # idle timeout, every kiosk page sending it back).
    logout_user()
    session.clear()
    response = redirect(url_for("public.kiosk", code=point.code))
    response.set_cookie(
        KIOSK_COOKIE,
        kiosk_serializer().dumps(point.code),
        max_age=365 * 86400,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.route("/kiosk/<code>", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["RATELIMIT_SUBMIT_KIOSK"],
    methods=["POST"],
    key_func=kiosk_rate_key,
    scope="kiosk",
)
def kiosk(code: str):
    point = load_point(code)
    if kiosk_point_code() != point.code:
        page = render_template("public/kiosk_off.html", point=point)
        return private(current_app.make_response((page, 403)))
    action = url_for("public.kiosk", code=point.code)
    return show_form(point, CHANNEL_KIOSK, kiosk_rate_key(), action)


@bp.get("/kiosk/<code>/cam-on")
@public
def kiosk_thanks(code: str):
    point = load_point(code)
    page = render_template(
        "public/thanks.html",
        point=point,
        invite=False,
        kiosk=True,
        reset_seconds=current_app.config["KIOSK_RESET_SECONDS"],
    )
    return private(current_app.make_response(page))


# The form checks its own CSRF token (FlaskForm) so that a stale token comes
# back as a field error with every answer kept, not as a bare 400 page.
csrf.exempt(kiosk)
