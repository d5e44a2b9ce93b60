"""The blank form page for a first visit, answered at the WSGI layer.

A scan at the counter is nearly always a phone's first visit: no session yet,
at most the device cookie of an earlier visit. Its answer is the page cached
by form_pages.py with a fresh CSRF token and nonce, a new session cookie
holding the token, perhaps a new device cookie, and headers that are the same
for every such visitor. Flask's request cycle and the app's hooks cost
several times the work of assembling that, so once the full path has answered
a request of the same shape (same path, query, host, scheme, Accept-Language
and gzip choice, no cookie but the device's), this middleware keeps that
response's constant headers and answers the next ones itself:

- the headers are those the hooks produced (security headers, cache control,
  Vary, content type and encoding), learnt, not written again here;
- the per-visit values come from the functions the full path uses: the CSRF
  token (csrf_tokens.py), the session serializer, the device cookie, the
  request id and log line (logs.py); the scan is counted the same way;
- with rate limits on, the page's per-network limit is counted in the same
  bucket as the view counts it (citizen_limits.py); over the limit, the full path
  answers with the friendly 429 page.

Anything else (a session cookie, another method or path, a page older than
FORM_PAGE_CACHE_SECONDS or cleared by a catalogue change) goes through Flask
unchanged. tests/test_fast_form.py holds the two paths side by side.
"""

import logging
import time
from dataclasses import dataclass

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from survey.csrf_tokens import field_name, new_raw_token, signed
from survey.logs import REQUEST_ID_HEADER, log_request, request_id
from survey.public import citizen_limits, form_pages, scan_buffer
from survey.public.device import DEVICE_COOKIE, new_device_cookie
from survey.public.forms import new_nonce

log = logging.getLogger(__name__)
PREFIXES = ("/s/", "/S/")
MAX_SHAPES = 4000  # bounded memory: dropped wholesale beyond this
_PER_VISIT = frozenset({"content-length", REQUEST_ID_HEADER.lower()})


@dataclass(frozen=True)
class Learnt:
    """What one full-path answer taught about its request shape."""

    page_key: tuple  # form_pages' key of the page it served
    status: str
    headers: tuple[tuple[str, str], ...]  # the same for every visitor
    session_attributes: str | None  # after the session cookie's value ("; HttpOnly; Path=/"); None: no CSRF
    session_constants: dict  # what the session holds besides the token
    rule: str
    endpoint: str


class FastFormPage:
    """WSGI middleware in front of the app (see the module's docstring)."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self.learnt: dict[tuple, Learnt] = {}
        self.answered = 0  # fast answers given (tests and the bench read it)

    def __call__(self, environ, start_response):
        shape, has_device = _shape(environ)
        if shape is None:
            return self.wsgi_app(environ, start_response)
        learnt = self.learnt.get(shape)
        if learnt is not None:
            try:
                answer = self.answer(environ, start_response, learnt, shape, has_device)
            except Exception:  # nothing sent yet: the full path answers, with its error pages
                log.warning("fast form page failed; the view answers", exc_info=True)
                answer = None
            if answer is not None:
                return answer
        return self.wsgi_app(environ, self.learning(environ, start_response, shape))

    def learning(self, environ, start_response, shape):
        """start_response that remembers a blank-page answer's constant headers."""

        def remember(status, headers, exc_info=None):
            key = environ.get(form_pages.PAGE_KEY)
            if key is not None and status.startswith("200 "):
                learnt = self.learn(environ, key, status, headers)
                if learnt is not None:
                    if len(self.learnt) >= MAX_SHAPES:
                        self.learnt.clear()
                    self.learnt[shape] = learnt
            return start_response(status, headers, exc_info)

        return remember

    def learn(self, environ, key: tuple, status: str, headers) -> Learnt | None:
        """The answer's headers without its per-visit ones, or None when it set
        a cookie this module does not know how to make again."""
        session_name = self.app.config["SESSION_COOKIE_NAME"]
        constant, session = [], None
        for name, value in headers:
            if name.lower() in _PER_VISIT:
                continue
            if name.lower() != "set-cookie":
                constant.append((name, value))
                continue
            cookie, _, rest = value.partition(";")
            cookie_name, _, cookie_value = cookie.partition("=")
            if cookie_name == session_name:
                session = self.session_around_token(cookie_value, rest)
                if session is None:
                    return None
            elif cookie_name != DEVICE_COOKIE:
                return None
        if (session is None) == (form_pages.CSRF in environ.get(form_pages.PAGE_SLOTS, ())):
            return None  # a token in the page needs its session cookie, and none without one
        rule, endpoint = _rule(self.app, environ)
        return Learnt(key, status, tuple(constant), *(session or (None, {})), rule, endpoint)

    def session_around_token(self, cookie_value: str, attributes: str) -> tuple[str, dict] | None:
        """(the cookie's attributes, what the session holds besides the CSRF token)
        for a browser-session cookie (no expiry date to go stale) holding the
        token and only plain constants (Flask-Login's "_fresh": false)."""
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        try:
            content = serializer.loads(cookie_value)
        except Exception:  # noqa: BLE001 - anything unexpected: simply not learnt
            return None
        token = content.pop(field_name(self.app.config), None)
        plain = all(isinstance(v, bool | int | str) or v is None for v in content.values())
        if not isinstance(token, str) or not plain or "expires=" in attributes.lower():
            return None
        return ";" + attributes, content

    def answer(self, environ, start_response, learnt: Learnt, shape: tuple, has_device: bool):
        started = time.perf_counter()
        config = self.app.config
        page = form_pages.current(learnt.page_key, config["FORM_PAGE_CACHE_SECONDS"])
        with_token = learnt.session_attributes is not None
        if page is None or with_token != (form_pages.CSRF in page.slots) or not self.within_limits(environ):
            return None
        raw = new_raw_token()
        token = signed(raw, self.app) if with_token else ""
        body = page.body({form_pages.NONCE: new_nonce, form_pages.CSRF: lambda: token}, gzipped=shape[-1])
        rid = request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        headers = [*learnt.headers, ("Content-Length", str(len(body))), (REQUEST_ID_HEADER, rid)]
        headers += self.cookies(learnt, raw if with_token else None, has_device)
        self.count_scan(page.point_id)
        self.answered += 1
        start_response(learnt.status, headers)
        ms = round((time.perf_counter() - started) * 1000, 1)
        log_request(
            {"request_id": rid, "method": "GET", "rule": learnt.rule, "endpoint": learnt.endpoint}
            | {"status": int(learnt.status[:3]), "ms": ms, "user_id": None}
        )
        return [body]

    def cookies(self, learnt: Learnt, raw_token: str | None, has_device: bool) -> list[tuple[str, str]]:
        """A new session holding the token (Flask's serializer, the learnt
        attributes), and a device cookie for a phone without one."""
        config, cookies = self.app.config, []
        if raw_token is not None:
            serializer = self.app.session_interface.get_signing_serializer(self.app)
            value = serializer.dumps({**learnt.session_constants, field_name(config): raw_token})
            cookies.append(
                ("Set-Cookie", f"{config['SESSION_COOKIE_NAME']}={value}{learnt.session_attributes}")
            )
        if not has_device:
            cookies.append(("Set-Cookie", new_device_cookie(config)))
        return cookies

    def within_limits(self, environ) -> bool:
        """The form page's own rate limit (citizen_limits.py: the view counts in the same bucket)."""
        return citizen_limits.page_allowed(self.app, environ.get("REMOTE_ADDR"))

    def count_scan(self, point_id: int) -> None:
        """As the view counts it (scan_buffer.py); an app context only to write a batch."""
        batch = scan_buffer.take_due(point_id, self.app.config)
        if batch:
            from survey.public.survey import write_scans_quietly

            with self.app.app_context():
                write_scans_quietly(batch)


def _shape(environ) -> tuple[tuple | None, bool]:
    """(the request's shape, whether it carries a device cookie); no shape when
    the request is not a candidate for the fast answer."""
    path = environ.get("PATH_INFO", "")
    if environ["REQUEST_METHOD"] != "GET" or not path.startswith(PREFIXES) or "/" in path[3:]:
        return None, False
    cookie = environ.get("HTTP_COOKIE", "").strip()
    has_device = False
    if cookie:
        name, _, value = cookie.partition("=")
        if name.strip() != DEVICE_COOKIE or not value or ";" in value.rstrip(";"):
            return None, False  # a session, a language choice...: the full path
        has_device = True
    shape = (
        environ.get("SCRIPT_NAME", ""),
        path,
        environ.get("QUERY_STRING", ""),
        environ.get("HTTP_HOST", ""),
        environ.get("wsgi.url_scheme", "http"),
        environ.get("HTTP_ACCEPT_LANGUAGE", ""),
        "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""),
    )
    return shape, has_device


def _rule(app: Flask, environ) -> tuple[str, str]:
    """The URL rule and endpoint for the log line (learnt once per shape)."""
    try:
        rule, _args = app.url_map.bind_to_environ(environ).match(return_rule=True)
    except (HTTPException, RequestRedirect):
        return "", ""
    return rule.rule, rule.endpoint


def install(app: Flask) -> None:
    app.wsgi_app = FastFormPage(app, app.wsgi_app)
