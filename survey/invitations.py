"""One-time links to set a password (invitation and reset).

The signed token carries a fragment of the current password hash: once the
password is set the hash changes and the link stops working, so it is one-time
without storing anything. Links expire after INVITE_MAX_AGE seconds.
"""

import secrets

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from survey.extensions import db
from survey.models import User

INVITE_MAX_AGE = 7 * 24 * 3600
SALT = "set-password"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def lock_password(user: User) -> None:
    """An unguessable password nobody knows, until the link is used."""
    user.set_password(secrets.token_urlsafe(32))


def link_for(user: User) -> str:
    token = _serializer().dumps({"u": user.id, "h": user.password_hash[-16:]})
    return current_app.config["PUBLIC_BASE_URL"] + url_for("auth.set_password", token=token)


def user_for(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=INVITE_MAX_AGE)
    except BadSignature:  # also SignatureExpired
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or user.password_hash[-16:] != data.get("h"):
        return None
    return user
