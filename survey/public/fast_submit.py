"""The citizen's submit, answered at the WSGI layer.

Nearly every submit is the same request: a complete, valid answer posted from
the form page, with the session cookie that holds the form's CSRF token and
perhaps the device and language cookies. Flask's request cycle and the app's
hooks (session opened and saved through the request, URL matching, the
response object, nine before/after hooks) cost more CPU than the answer's
own work, so this middleware answers such a request itself, with the same
functions the view uses for everything that matters:

- the answer is checked by posted.accept (the form's rules, Hypothesis-checked
  against WTForms) and the CSRF token by csrf_tokens.matches (Flask-WTF's
  validate_csrf, same session value and signature);
- it is stored, reviewed and alert-checked by submit.store_posted, as the view
  stores it (same rows, same nonce guard, same checks after the commit);
- the reply is the view's: a 302 to the thank-you page with the signed
  response token, the session cookie re-signed with the answered point, the
  device cookie for a first-time browser, the security headers, the request
  id and the request's log line;
- with rate limits on, the submit's two limits are counted as the view counts
  them (citizen_limits.py, same keys).

Anything this module is not sure about goes through Flask unchanged, with the
body it read put back: another method, path or content type, a query string,
another cookie, a session holding anything but the CSRF token and the last
answered point, an answer the form would question, a CSRF token the form
would refuse, an unknown or retired code, a rate limit reached, a database
error before the commit. tests/test_fast_submit.py holds the two paths side by side.
"""

import io
import logging
import time
from urllib.parse import parse_qsl

from flask import Flask
from itsdangerous import BadSignature
from werkzeug.http import dump_cookie, parse_cookie
from werkzeug.utils import redirect

from survey import csrf_tokens, headers
from survey.driver_sql import driver_connection
from survey.extensions import db
from survey.i18n import LANG_COOKIE, choose_locale
from survey.logs import REQUEST_ID_HEADER, log_request
from survey.logs import request_id as new_request_id
from survey.models.response import CHANNEL_QR
from survey.netid import daily_key
from survey.public import citizen_limits, tokens
from survey.public.device import DEVICE_COOKIE, new_device_cookie
from survey.public.posted import URLENCODED, accept

ROUTES = {"/s/": ("/s/<code>", "public.survey"), "/S/": ("/S/<code>", "public.survey_from_qr")}
FRESH = "_fresh"  # Flask-Login's mark, False on a citizen's session
STORED = "survey.fast_submit.stored"  # environ mark: the answer is committed
POINTS_KEPT = 10_000  # a province has a few thousand points: columns only, a few MB at most

log = logging.getLogger(__name__)


class FastSubmit:
    """WSGI middleware in front of the app (see the module's docstring)."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self.points: dict[str, tuple] = {}  # code as posted -> the point's columns (remember())

    def __call__(self, environ, start_response):
        route = _candidate(environ)
        if route is None:
            return self.wsgi_app(environ, start_response)
        body = _read_body(environ, self.app.config["MAX_CONTENT_LENGTH"])
        reply = None
        if body is not None:
            reply = self.answer_safely(environ, route, body)
        if reply is None:
            return self.wsgi_app(environ, start_response)
        status, reply_headers, content = reply
        start_response(status, reply_headers)
        return [content]

    def answer_safely(self, environ, route: str, body: bytes):
        """answer(), or None when it failed before storing anything (the database
        down, say): the view then tries once more and answers with its own pages
        (the 503 "try again" page), never a bare 500 from here."""
        started = time.perf_counter()
        try:
            with self.app.app_context():
                return self.answer(environ, route, body, started)
        except Exception:
            if environ.get(STORED):
                raise  # never store twice; after the commit nothing here touches the database
            log.warning("fast submit failed before storing; the view answers", exc_info=True)
            return None

    def answer(self, environ, route: str, body: bytes, started: float):
        """(status, headers, body) of the view's reply, or None for the full path."""
        app, config = self.app, self.app.config
        cookies = parse_cookie(environ)
        session = self.session_of(cookies)
        form = _form(body)
        if session is None or form is None or not _plain_cookies(cookies, config):
            return None
        if config.get("WTF_CSRF_ENABLED", True):
            field = csrf_tokens.field_name(config)
            if not csrf_tokens.matches(form.get(field), session.get(field), app):
                return None
        code = environ["PATH_INFO"][3:]
        stored = self.store(environ, code, form, cookies)
        if stored is None:
            return None
        point_code, token = stored
        session[tokens.ANSWERED] = {point_code: token}
        location = f"{environ.get('SCRIPT_NAME', '')}/s/{point_code}/cam-on?t={token}"
        return self.reply(environ, route, location, session, cookies, started)

    def session_of(self, cookies) -> dict | None:
        """The citizen's session as Flask would open it; None when it holds
        more than a citizen's (a staff login, a permanent session) or is unreadable."""
        interface = self.app.session_interface
        value = cookies.get(interface.get_cookie_name(self.app))
        if not value:
            return {}
        serializer = interface.get_signing_serializer(self.app)
        try:
            data = serializer.loads(value, max_age=int(self.app.permanent_session_lifetime.total_seconds()))
        except BadSignature:
            return None  # Flask starts an empty session: the form says the token is stale
        field = csrf_tokens.field_name(self.app.config)
        if not isinstance(data, dict) or not set(data) <= {field, FRESH, tokens.ANSWERED}:
            return None
        return data if data.get(FRESH, False) is False else None

    def store(self, environ, code: str, form: dict, cookies) -> tuple[str, str] | None:
        """(point code, response token) of the stored answer, or None when the
        full path must answer (nothing stored then)."""
        # One pooled connection for the whole submit, its statements run on the
        # driver's cursor (driver_sql.py); PostgreSQL in autocommit: no BEGIN and
        # ROLLBACK round trips (SQLite's driver starts no transaction for a read anyway).
        autocommit = db.engine.dialect.name != "sqlite"
        with driver_connection(db.engine, autocommit=autocommit) as connection:
            return self.store_on(environ, code, form, cookies, connection)

    def store_on(self, environ, code: str, form: dict, cookies, connection) -> tuple[str, str] | None:
        from survey.public.catalogue import questionnaire_for
        from survey.public.point_ref import PointRef, find_point_ref
        from survey.public.submit import store_posted

        config = self.app.config
        known = self.points.get(code)
        point = PointRef(*known) if known is not None else find_point_ref(code, connection)
        if point is None or point.is_retired:
            return None
        version, procedures = questionnaire_for(point)
        posted = accept(version, procedures, config["COMMENT_MAX_LENGTH"], form)
        secret = config["SECRET_KEY"]
        device = cookies.get(DEVICE_COOKIE)
        device_key = daily_key("device:" + device[:64], secret) if device else None
        network_key = citizen_limits.network_key(self.app, environ.get("REMOTE_ADDR"))
        if posted is None or not citizen_limits.submit_allowed(self.app, network_key, device_key):
            return None  # the view answers (with the 429 page over a limit)
        point_code = point.code
        response = store_posted(
            point,
            version,
            posted,
            procedures,
            channel=CHANNEL_QR,
            device_key=device_key,
            network_key=network_key,
            locale=choose_locale(None, cookies.get(LANG_COOKIE), environ.get("HTTP_ACCEPT_LANGUAGE", "")),
            connection=connection,
        )
        if response is None:  # retired or moved since this worker kept it: the view answers
            self.points.pop(code, None)
            return None
        environ[STORED] = True
        self.remember(code, point)
        return point_code, tokens.for_response(response)

    def remember(self, code: str, point) -> None:
        """Keep the point's columns for the next submit to the same code: no look-up
        then, the insert itself checks that the point is still as kept (responses.store_on)."""
        if code not in self.points:
            if len(self.points) >= POINTS_KEPT:
                self.points.clear()
            self.points[code] = point.columns()

    def reply(self, environ, route: str, location: str, session: dict, cookies, started: float):
        app, config = self.app, self.app.config
        interface = app.session_interface
        content = redirect(location, 302).get_data()
        request_id = new_request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        session_cookie = dump_cookie(
            interface.get_cookie_name(app),
            interface.get_signing_serializer(app).dumps(session),
            httponly=interface.get_cookie_httponly(app),
            domain=interface.get_cookie_domain(app),
            path=interface.get_cookie_path(app),
            secure=interface.get_cookie_secure(app),
            samesite=interface.get_cookie_samesite(app),
            partitioned=interface.get_cookie_partitioned(app),
        )
        reply_headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(content))),
            ("Location", location),
            *headers.security_headers(secure=environ.get("wsgi.url_scheme") == "https"),
            ("Cache-Control", "no-store"),
            (REQUEST_ID_HEADER, request_id),
            ("Vary", "Cookie"),
            ("Set-Cookie", session_cookie),
        ]
        if not cookies.get(DEVICE_COOKIE):
            reply_headers.append(("Set-Cookie", new_device_cookie(config)))
        rule, endpoint = ROUTES[route]
        log_request(
            {"request_id": request_id, "method": "POST", "rule": rule, "endpoint": endpoint, "status": 302}
            | {"ms": round((time.perf_counter() - started) * 1000, 1), "user_id": None}
        )
        return "302 FOUND", reply_headers, content


def _candidate(environ) -> str | None:
    """The route prefix ("/s/" or "/S/") of a plain submit to a survey point, else None."""
    if environ["REQUEST_METHOD"] != "POST" or environ.get("QUERY_STRING"):
        return None
    path = environ.get("PATH_INFO", "")
    route = path[:3]
    if route not in ROUTES or len(path) == 3 or "/" in path[3:]:
        return None
    if environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower() != URLENCODED:
        return None
    return route


def _read_body(environ, max_length: int | None) -> bytes | None:
    """The whole body, put back for the full path; None (unread) when its
    length is unknown or over the limit (the full path answers those)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    if length < 0 or (max_length is not None and length > max_length):
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return body if len(body) == length else None


def _form(body: bytes) -> dict | None:
    """The first value of each field, as werkzeug parses a form (None when not UTF-8)."""
    try:
        items = parse_qsl(body.decode(), keep_blank_values=True, errors="werkzeug.url_quote")
    except UnicodeDecodeError:
        return None
    form: dict[str, str] = {}
    for key, value in items:
        form.setdefault(key, value)
    return form


def _plain_cookies(cookies, config) -> bool:
    """Only the session, device and language cookies (no staff remember-me
    cookie, nothing the full path might read differently)."""
    known = {config["SESSION_COOKIE_NAME"], DEVICE_COOKIE, LANG_COOKIE}
    return all(name in known for name in cookies)


def install(app: Flask) -> None:
    app.wsgi_app = FastSubmit(app, app.wsgi_app)
