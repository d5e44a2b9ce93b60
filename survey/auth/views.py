from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from survey.auth import bp
from survey.auth.access import any_staff_role, public
from survey.auth.forms import LoginForm, SetPasswordForm
from survey.extensions import db
from survey.models import User
from survey.models.types import utcnow
from survey.security import is_safe_url


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user and user.active and user.check_password(form.password.data):
            user.last_login_at = utcnow()
            db.session.commit()
            login_user(user)
            target = request.args.get("next")
            return redirect(target if is_safe_url(target) else url_for("dashboards.home"))
        form.password.errors.append(_("Email hoặc mật khẩu không đúng."))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@any_staff_role
def logout():
    logout_user()
    flash(_("Bạn đã đăng xuất."))
    return redirect(url_for("auth.login"))


@bp.app_context_processor
def inject_user():
    return {"user": current_user}


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
def set_password(token: str):
    """The one-time link from an invitation or a reset (survey/invitations.py)."""
    from survey import audit, invitations

    account = invitations.user_for(token)
    if account is None:
        return render_template("auth/set_password.html", form=None), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        account.set_password(form.password.data)
        account.failed_logins, account.locked_until = 0, None
        audit.record("user", account.email, "set_password", account.agency_id)
        db.session.commit()
        flash(_("Đã đặt mật khẩu. Mời đăng nhập."))
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form), 422 if form.errors else 200
