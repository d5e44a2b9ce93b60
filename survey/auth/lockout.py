"""Password guessing defences: a per-account lock-out after repeated failures.

The per-network throttle (Flask-Limiter on POST /login) slows one guesser;
the lock-out stops a slow distributed guess at one account. A locked account
answers exactly like a wrong password plus a notice, so the page does not
reveal which emails exist.
"""

from datetime import datetime, timedelta

from flask import current_app

from survey.models import User
from survey.models.types import utcnow


def is_locked(user: User, now: datetime | None = None) -> bool:
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def register_failure(user: User, now: datetime | None = None) -> None:
    """Count a failed attempt; lock the account once the limit is reached."""
    now = now or utcnow()
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        minutes = current_app.config["LOGIN_LOCKOUT_MINUTES"]
        user.locked_until = now + timedelta(minutes=minutes)
        user.failed_logins = 0


def register_success(user: User, now: datetime | None = None) -> None:
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now or utcnow()
