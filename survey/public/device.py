"""An anonymous per-browser key for rate limits and burst detection.

A random cookie identifies the browser; only its daily-rotating keyed hash
(netid.daily_key) is used or stored, so yesterday's answers cannot be linked
to today's. A browser that refuses cookies falls back to its network key.
"""

import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.http import dump_cookie

from survey.netid import client_network_key, daily_key

DEVICE_COOKIE = "hl_d"
KIOSK_COOKIE = "hl_kiosk"


def device_key() -> str | None:
    token = request.cookies.get(DEVICE_COOKIE)
    if not token:
        return None
    return daily_key("device:" + token[:64], current_app.config["SECRET_KEY"])


def kiosk_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="kiosk")


def kiosk_point_code() -> str | None:
    """The point this browser is a counter's kiosk for (its signed cookie), or None."""
    try:
        return kiosk_serializer().loads(request.cookies.get(KIOSK_COOKIE, ""))
    except BadSignature:
        return None


def device_rate_key() -> str:
    return device_key() or client_network_key()


def new_device_cookie(config) -> str:
    """A Set-Cookie value with a new random device token (HttpOnly, a year)."""
    return dump_cookie(
        DEVICE_COOKIE,
        secrets.token_urlsafe(18),
        max_age=365 * 86400,
        httponly=True,
        samesite="Lax",
        secure=config["SESSION_COOKIE_SECURE"],
    )


def remember_device(response):
    """Give a first-time browser its device cookie."""
    if not request.cookies.get(DEVICE_COOKIE):
        response.headers.add("Set-Cookie", new_device_cookie(current_app.config))
    return response
