"""Staff session lifetime: an idle limit and an absolute limit.

Flask signs the session cookie with a timestamp and refuses it after
PERMANENT_SESSION_LIFETIME (refreshed on every request: the idle limit).
The login time kept in the session gives the absolute limit, so a cookie
kept alive by an open tab still ends after SESSION_MAX_HOURS.
"""

import time

from flask import Flask, current_app, session
from flask_login import current_user, logout_user

LOGIN_AT = "login_at"


def start_session() -> None:
    session.permanent = True
    session[LOGIN_AT] = int(time.time())


def _expire_old_sessions() -> None:
    # A citizen's session has no user id: no user to load (Flask-Login's
    # remember-me cookie is not used here, so the session is the only way in).
    if "_user_id" not in session or not current_user.is_authenticated:
        return
    started = session.get(LOGIN_AT)
    limit = current_app.config["SESSION_MAX_HOURS"] * 3600
    if not isinstance(started, int) or time.time() - started > limit:
        logout_user()
        session.clear()


def register(app: Flask) -> None:
    app.before_request(_expire_old_sessions)
