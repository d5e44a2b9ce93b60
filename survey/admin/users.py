"""Staff accounts: invite, role and scope, disable and enable, password reset link."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select

from survey import audit, invitations
from survey.admin import bp
from survey.admin.common import (
    agency_choices,
    is_province_wide,
    manager_required,
    scope_ids,
    scoped_agency,
    search_text,
)
from survey.admin.forms import ConfirmForm, UserForm
from survey.extensions import db
from survey.models import User
from survey.models.user import ROLE_ADMIN, ROLE_AUDITOR, ROLE_COMMITTEE, ROLE_HEAD, ROLE_STAFF
from survey.pagination import paginate

# Which roles each manager may hand out: never more than their own.
GRANTABLE = {
    ROLE_ADMIN: (ROLE_ADMIN, ROLE_COMMITTEE, ROLE_HEAD, ROLE_STAFF, ROLE_AUDITOR),
    ROLE_COMMITTEE: (ROLE_COMMITTEE, ROLE_HEAD, ROLE_STAFF, ROLE_AUDITOR),
    ROLE_HEAD: (ROLE_HEAD, ROLE_STAFF),
}
ROLE_NAMES = {  # lazy: extracted for translation, read in the viewer's language
    ROLE_ADMIN: _l("Quản trị hệ thống"),
    ROLE_COMMITTEE: _l("Ban chỉ đạo ISO tỉnh"),
    ROLE_HEAD: _l("Lãnh đạo / thư ký ISO đơn vị"),
    ROLE_STAFF: _l("Cán bộ đơn vị"),
    ROLE_AUDITOR: _l("Kiểm tra viên (chỉ xem)"),
}
FIELDS = ("email", "full_name", "role", "agency_id", "active")


def _scoped_users():
    stmt = select(User).order_by(User.email)
    if (ids := scope_ids()) is not None:
        stmt = stmt.where(User.agency_id.in_(ids))
    return stmt


def _managed_user(user_id: int) -> User:
    user = db.session.scalar(_scoped_users().where(User.id == user_id))
    if user is None or user.role not in GRANTABLE[current_user.role]:
        abort(404)
    return user


def _prepare(form: UserForm) -> UserForm:
    form.role.choices = [(r, str(ROLE_NAMES[r])) for r in GRANTABLE[current_user.role]]
    choices = agency_choices()
    form.agency.choices = ([("", _("(Toàn tỉnh)"))] if is_province_wide() else []) + choices
    return form


def _agency_id(code: str | None) -> int | None:
    if not code:
        if not is_province_wide():
            abort(404)
        return None
    return scoped_agency(code).id


@bp.get("/users")
@manager_required
def users():
    stmt = _scoped_users()
    if q := search_text():
        stmt = stmt.where(or_(User.email.ilike(f"%{q}%"), User.full_name.ilike(f"%{q}%")))
    return render_template("admin/users.html", page=paginate(stmt), q=q, role_names=ROLE_NAMES)


@bp.route("/users/new", methods=["GET", "POST"])
@manager_required
def user_new():
    form = _prepare(UserForm())
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
            form.email.errors.append(_("Email này đã có tài khoản."))
        else:
            user = User(email=email, full_name=form.full_name.data or "", role=form.role.data)
            user.agency_id = _agency_id(form.agency.data)
            invitations.lock_password(user)
            db.session.add(user)
            db.session.flush()
            audit.record("user", user.email, "invite", user.agency_id, after=audit.snapshot(user, FIELDS))
            db.session.commit()
            return render_template(
                "admin/user_link.html", account=user, link=invitations.link_for(user), invite=True
            )
    return render_template("admin/user_form.html", form=form, account=None), 422 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@manager_required
def user_edit(user_id: int):
    account = _managed_user(user_id)
    form = _prepare(UserForm(obj=account, agency=account.agency.code if account.agency else ""))
    if form.validate_on_submit() and account.id != current_user.id:
        before = audit.snapshot(account, FIELDS)
        account.full_name, account.role = form.full_name.data or "", form.role.data
        account.agency_id = _agency_id(form.agency.data)
        audit.record(
            "user", account.email, "update", account.agency_id, before, audit.snapshot(account, FIELDS)
        )
        db.session.commit()
        flash(_("Đã lưu tài khoản %(email)s.", email=account.email))
        return redirect(url_for("admin.users"))
    form.email.render_kw = {"readonly": True}
    return render_template("admin/user_form.html", form=form, account=account), 422 if form.errors else 200


def _set_active(account: User, active: bool) -> None:
    before = audit.snapshot(account, FIELDS)
    account.active = active
    audit.record(
        "user",
        account.email,
        "enable" if active else "disable",
        account.agency_id,
        before,
        audit.snapshot(account, FIELDS),
    )


@bp.route("/users/<int:user_id>/disable", methods=["GET", "POST"])
@manager_required
def user_disable(user_id: int):
    account = _managed_user(user_id)
    if account.id == current_user.id:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        _set_active(account, False)
        db.session.commit()
        flash(_("Đã khóa tài khoản %(email)s. Có thể mở lại bất cứ lúc nào.", email=account.email))
        return redirect(url_for("admin.users"))
    return render_template("admin/user_disable.html", form=form, account=account)


@bp.post("/users/<int:user_id>/enable")
@manager_required
def user_enable(user_id: int):
    account = _managed_user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _set_active(account, True)
    db.session.commit()
    flash(_("Đã mở lại tài khoản %(email)s.", email=account.email))
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/reset")
@manager_required
def user_reset(user_id: int):
    account = _managed_user(user_id)
    if not ConfirmForm().validate_on_submit() or not account.active:
        abort(400)
    invitations.lock_password(account)
    audit.record("user", account.email, "reset_password", account.agency_id)
    db.session.commit()
    return render_template(
        "admin/user_link.html", account=account, link=invitations.link_for(account), invite=False
    )
