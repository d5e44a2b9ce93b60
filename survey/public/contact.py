"""The optional follow-up contact after low answers: a separate step with an
unticked, single-purpose consent box; stored apart from the answers."""

from flask import abort, current_app, redirect, render_template, request, url_for

from survey.auth.access import public
from survey.contacts import NOTICE_VERSION, store_contact
from survey.extensions import csrf, db, limiter
from survey.public import bp, tokens
from survey.public.device import device_rate_key
from survey.public.forms import ContactForm
from survey.public.survey import has_contact, load_point, private, wants_follow_up


@bp.route("/s/<code>/lien-he", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["RATELIMIT_SUBMIT_DEVICE"],
    methods=["POST"],
    key_func=device_rate_key,
    scope="contact-device",
)
def contact(code: str):
    point = load_point(code)
    token = request.args.get("t")
    response = tokens.response_from(token, point.id)
    if response is None or not wants_follow_up(response):
        abort(404)
    if has_contact(response.id):
        return redirect(url_for("public.thanks", code=point.code, t=token, sent=1))
    form = ContactForm()
    if form.validate_on_submit():
        store_contact(response, form.phone.data, form.email.data, NOTICE_VERSION)
        db.session.commit()
        return redirect(url_for("public.thanks", code=point.code, t=token, sent=1))
    page = render_template("public/contact.html", point=point, form=form, token=token)
    return private(current_app.make_response((page, 422 if form.errors else 200)))


# The form checks its own CSRF token (FlaskForm) so that a stale token comes
# back as a field error with every answer kept, not as a bare 400 page.
csrf.exempt(contact)
