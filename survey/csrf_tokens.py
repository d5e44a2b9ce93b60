"""Flask-WTF's CSRF token without rebuilding its serializer on every call.

flask_wtf.csrf.generate_csrf builds a new URLSafeTimedSerializer (key
derivation included) each time; the cached form page (public/form_pages.py)
needs one token per view, so this is the same function with the serializer
kept per secret. Same raw token in the session, same signed token in the page,
checked by Flask-WTF's own validate_csrf as before.
"""

import hashlib
import hmac
import os

from flask import current_app, g, session
from itsdangerous import BadData, URLSafeTimedSerializer

from survey.session_cookie import KeyCachingSigner

SALT = "wtf-csrf-token"  # Flask-WTF's
_serializer: dict[str, URLSafeTimedSerializer] = {}


def _signer(secret: str) -> URLSafeTimedSerializer:
    serializer = _serializer.get(secret)
    if serializer is None:
        _serializer.clear()  # one secret at a time
        serializer = _serializer[secret] = URLSafeTimedSerializer(secret, salt=SALT, signer=KeyCachingSigner)
    return serializer


def field_name(config) -> str:
    return config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"


def new_raw_token() -> str:
    """The value kept in the session (Flask-WTF's recipe)."""
    return hashlib.sha1(os.urandom(64)).hexdigest()  # noqa: S324 - Flask-WTF's raw token


def signed(raw: str, app) -> str:
    """The token a form carries for this raw session value."""
    return _signer(app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key).dumps(raw)


def csrf_token() -> str:
    """The signed token for this request (one per request, as Flask-WTF's)."""
    field = field_name(current_app.config)
    if field not in g:
        if not isinstance(session.get(field), str):
            session[field] = new_raw_token()
        setattr(g, field, signed(session[field], current_app))
    return g.get(field)


def matches(signed_token: str | None, raw, app) -> bool:
    """Flask-WTF's validate_csrf without a request: does the form's signed
    token carry the session's raw token (right signature, not expired)?
    False whenever Flask-WTF would refuse it, or when unsure."""
    if not signed_token or not isinstance(raw, str):
        return False
    config = app.config
    try:
        token = _signer(config.get("WTF_CSRF_SECRET_KEY") or app.secret_key).loads(
            signed_token, max_age=config.get("WTF_CSRF_TIME_LIMIT", 3600)
        )
        return isinstance(token, str) and hmac.compare_digest(raw, token)
    except (BadData, TypeError):  # TypeError: a non-ASCII string (compare_digest refuses it)
        return False
