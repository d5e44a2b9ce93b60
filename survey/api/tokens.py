"""Issuing, checking and revoking API tokens."""

import hashlib
import secrets
from functools import wraps

from flask import g, jsonify, request
from sqlalchemy import select

from survey.extensions import db
from survey.models import Agency, ApiToken
from survey.models.types import utcnow

TOKEN_PREFIX = "hlqr_"  # noqa: S105 - a public prefix, not a secret


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(name: str, agency: Agency) -> tuple[ApiToken, str]:
    """Create a token; the plain token is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, agency=agency, token_hash=_digest(plain), prefix=plain[:12])
    db.session.add(token)
    db.session.flush()
    return token, plain


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()


def find_active(plain: str) -> ApiToken | None:
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(plain)))
    return token if token is not None and token.is_active else None


def _unauthorized(message: str):
    response = jsonify({"error": "unauthorized", "message": message})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="hailong"'
    return response


def token_required(view):
    """Authenticate `Authorization: Bearer <token>`; the token is in g.api_token."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        scheme, _, plain = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not plain.strip():
            return _unauthorized("Thiếu mã truy cập (Authorization: Bearer <token>).")
        token = find_active(plain.strip())
        if token is None:
            return _unauthorized("Mã truy cập không hợp lệ hoặc đã bị thu hồi.")
        token.last_used_at = utcnow()
        db.session.commit()
        g.api_token = token
        return view(*args, **kwargs)

    wrapper.access_policy = "api_token"
    return wrapper
