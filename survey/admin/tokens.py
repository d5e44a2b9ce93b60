"""API tokens for integrating systems: created (shown once), revoked, last use."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from survey import audit
from survey.admin import bp
from survey.admin.common import agency_choices, manager_required, scope_ids, scoped_agency, search_text
from survey.admin.forms import ConfirmForm, TokenForm
from survey.api.tokens import issue, revoke
from survey.extensions import db
from survey.models import ApiToken
from survey.pagination import paginate


def _scoped_tokens():
    stmt = (
        select(ApiToken)
        .options(joinedload(ApiToken.agency))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    if (ids := scope_ids()) is not None:
        stmt = stmt.where(ApiToken.agency_id.in_(ids))
    return stmt


@bp.get("/tokens")
@manager_required
def tokens():
    stmt = _scoped_tokens()
    if q := search_text():
        stmt = stmt.where(or_(ApiToken.name.ilike(f"%{q}%"), ApiToken.prefix.ilike(f"%{q}%")))
    return render_template("admin/tokens.html", page=paginate(stmt), q=q)


@bp.route("/tokens/new", methods=["GET", "POST"])
@manager_required
def token_new():
    form = TokenForm()
    form.agency.choices = agency_choices()
    if form.validate_on_submit():
        agency = scoped_agency(form.agency.data)
        token, plain = issue(form.name.data.strip(), agency)
        audit.record(
            "api_token", token.prefix, "create", agency.id, after={"name": token.name, "agency": agency.code}
        )
        db.session.commit()
        return render_template("admin/token_created.html", token=token, plain=plain)
    return render_template("admin/token_form.html", form=form), 422 if form.errors else 200


@bp.route("/tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@manager_required
def token_revoke(token_id: int):
    token = db.session.scalar(_scoped_tokens().where(ApiToken.id == token_id))
    if token is None or not token.is_active:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        revoke(token)
        audit.record(
            "api_token",
            token.prefix,
            "revoke",
            token.agency_id,
            before={"name": token.name, "active": True},
            after={"active": False},
        )
        db.session.commit()
        flash(_("Đã thu hồi mã truy cập %(name)s.", name=token.name))
        return redirect(url_for("admin.tokens"))
    return render_template("admin/token_revoke.html", form=form, token=token)
