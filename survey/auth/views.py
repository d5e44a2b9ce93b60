from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from survey.auth import bp
from survey.auth.access import any_staff_role, public
from survey.auth.forms import LoginForm, SetPasswordForm
from survey.auth.lockout import is_locked, register_failure, register_success
from survey.auth.passwords import password_problems
from survey.auth.sessions import start_session
from survey.extensions import db, limiter
from survey.models import User
from survey.security import is_safe_url


def _login_rate() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _limits_off() -> bool:
    # Flask-Limiter's on/off switch is global to the extension object; this
    # keeps the decision with the app actually serving the request.
    return not current_app.config["RATELIMIT_ENABLED"]


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_rate, methods=["POST"], exempt_when=_limits_off)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = _find_user(form.email.data)
        if user is not None and is_locked(user):
            form.password.errors.append(
                _("Tài khoản tạm bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau.")
            )
        elif user and user.active and user.check_password(form.password.data):
            register_success(user)
            db.session.commit()
            login_user(user)
            start_session()
            target = request.args.get("next")
            return redirect(target if is_safe_url(target) else url_for("dashboards.home"))
        else:
            if user is not None:
                register_failure(user)
                db.session.commit()
            form.password.errors.append(_("Email hoặc mật khẩu không đúng."))
    return render_template("auth/login.html", form=form)


def _find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


@bp.route("/logout", methods=["POST"])
@any_staff_role
def logout():
    logout_user()
    session.clear()
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
        if problems := password_problems(form.password.data, account.email):
            form.password.errors = list(form.password.errors) + problems
        else:
            account.set_password(form.password.data)
            account.failed_logins, account.locked_until = 0, None
            audit.record("user", account.email, "set_password", account.agency_id)
            db.session.commit()
            flash(_("Đã đặt mật khẩu. Mời đăng nhập."))
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form), 422 if form.errors else 200
