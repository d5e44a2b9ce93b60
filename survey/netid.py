"""Pseudonymous client keys: we never store or key on a raw IP address.

A keyed hash with a salt that changes every day lets us detect bursts from
one network within a day while making yesterday's keys unlinkable to today's.
"""

import hashlib
import hmac
from datetime import UTC, datetime

from flask import current_app, request


def daily_key(value: str, secret: str, day: str | None = None) -> str:
    day = day or datetime.now(UTC).strftime("%Y-%m-%d")
    mac = hmac.new(f"{secret}|{day}".encode(), value.encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


def client_ip() -> str:
    # Behind nginx the real client is the last hop appended by the proxy;
    # ProxyFix (enabled by TRUSTED_PROXIES) rewrites remote_addr for us.
    return request.remote_addr or "unknown"


def client_network_key() -> str:
    return daily_key(client_ip(), current_app.config["SECRET_KEY"])
