"""Browser-facing security: strict CSP, framing, HSTS behind HTTPS, proxies.

Templates carry no inline script, style attribute or event handler, so the
policy can forbid them outright; a page that needs one fails the suite
(tests/test_web_security.py) instead of silently weakening the policy.
"""

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        # 'self': the console previews the survey in a phone-sized iframe.
        "frame-ancestors 'self'",
    ]
)

STATIC_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

HSTS = "max-age=31536000; includeSubDomains"
# (lower-case name, name, value); a view may set its own value first.
_DEFAULTS = tuple((name.lower(), name, value) for name, value in STATIC_HEADERS.items())


def security_headers(secure: bool) -> list[tuple[str, str]]:
    """Every response's security headers; HSTS only over HTTPS (as seen
    through a trusted proxy): on plain HTTP browsers ignore it, and it would
    only confuse a local test install. Also for answers made below Flask."""
    chosen = [(name, value) for _lower, name, value in _DEFAULTS]
    return [*chosen, ("Strict-Transport-Security", HSTS)] if secure else chosen


def add_headers(response):
    # One pass over the few headers already set: Headers.setdefault raises and
    # catches a KeyError per missing name, which made this the page's dearest hook.
    headers = response.headers
    present = {name.lower() for name, _value in headers.items()}
    for name, value in security_headers(request.is_secure):
        if name.lower() not in present:
            headers.add(name, value)
    if "cache-control" not in present and response.mimetype == "text/html":
        # Staff pages show figures from outside a citizen's view; no shared caches.
        headers.add("Cache-Control", "no-store")
    return response


def trust_proxies(app: Flask) -> None:
    """Honour X-Forwarded-For/-Proto from exactly TRUSTED_PROXIES hops.

    0 (the default) trusts nobody: a client cannot spoof its address or
    pretend to be on HTTPS by sending the headers itself.
    """
    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


def register(app: Flask) -> None:
    trust_proxies(app)
    app.after_request(add_headers)
