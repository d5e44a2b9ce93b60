"""Browser-facing security: headers, cookies, CSRF, lock-out, sessions."""

import re
import time
from datetime import timedelta

import pytest

from survey import create_app
from survey.auth.passwords import password_problems
from survey.auth.sessions import LOGIN_AT
from survey.extensions import db, limiter
from survey.models import User
from survey.models.types import utcnow
from tests import factories
from tests.conftest import TEST_CONFIG
from tests.routes_table import ROUTES
from tests.test_authz_matrix import sign_in
from tests.web_pages import authz_world, fetch, html_get_routes, state_changing_routes, url_for_route

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.I)
EVENT_ATTR = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_TAG = re.compile(r"<style[\s>]", re.I)


@pytest.fixture
def other_app(app, database_url):
    """A second app on the same database with production-like settings."""

    made = []

    def make(**overrides):
        made.append(create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **overrides}))
        return made[-1]

    yield make
    # Flask-Limiter keeps `enabled` and its counters on the one global limiter:
    # put back the suite's setting so other tests are not throttled.
    if limiter.initialized:
        limiter.reset()
    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_security_headers_on_every_kind_of_page(client, province):
    for url in ("/", f"/s/{province.point_a.code}", "/login", "/khong-co-trang-nay", "/healthz"):
        response = fetch(client, url)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp, url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP here
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_hsts_only_behind_a_trusted_https_proxy(other_app, province):
    proxied = other_app(TRUSTED_PROXIES=1).test_client()
    https = fetch(proxied, "/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert https.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # Without a trusted proxy the same header is a client's lie and is ignored.
    direct = other_app().test_client()
    spoofed = fetch(direct, "/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers


def test_no_inline_script_style_or_handlers_in_any_page(app, client):
    """The CSP forbids inline code; a template that uses some would break in browsers."""
    world = authz_world.build()
    sign_in(client, world.users["admin"])
    offenders = []
    minimum, app.config["MIN_SAMPLE"] = app.config["MIN_SAMPLE"], 1  # show rates, not "not enough data"
    try:
        for endpoint in html_get_routes(app):
            offenders += _inline_code(app, client, world, endpoint)
    finally:
        app.config["MIN_SAMPLE"] = minimum
    assert not offenders, offenders


def _inline_code(app, client, world, endpoint) -> list[str]:
    url = url_for_route(app, endpoint, world, world.agencies["T01-XA"])
    response = fetch(client, url)
    if response.mimetype != "text/html":
        return []
    body = response.get_data(as_text=True)
    offenders = []
    for name, pattern in (("script", INLINE_SCRIPT), ("style=", STYLE_ATTR), ("on*=", EVENT_ATTR)):
        if pattern.search(body) or (name == "style=" and STYLE_TAG.search(body)):
            offenders.append(f"{url}: inline {name}")
    return offenders


def test_session_and_language_cookies_are_locked_down(other_app, province):
    head = factories.user("lanhdao@xa.vn", "head", province.commune_a)
    secure = other_app(SESSION_COOKIE_SECURE=True).test_client()
    response = fetch(
        secure, "/login?lang=en", method="POST", data={"email": head.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 2
    for cookie in cookies:
        assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie, cookie
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "Expires=" in session_cookie  # a permanent session with the idle limit


def test_every_state_change_needs_a_csrf_token(app, client):
    world = authz_world.build()
    sign_in(client, world.users["admin"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        wrong = {}
        for endpoint, method in state_changing_routes(app):
            url = url_for_route(app, endpoint, world, world.agencies["T01-XA"])
            status = fetch(client, url, method=method, data={"x": "1"}).status_code
            if status != ROUTES[endpoint].csrf:
                wrong[(endpoint, method)] = (status, ROUTES[endpoint].csrf)
        assert state_changing_routes(app) and not wrong, wrong
        # ...and the same form with its token is accepted (the test can tell).
        page = fetch(client, "/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        assert fetch(client, "/logout", method="POST", data={"csrf_token": token}).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_login_locks_after_repeated_failures(client, province):
    head = factories.user("lanhdao@xa.vn", "head", province.commune_a)
    for _ in range(5):
        page = fetch(
            client, "/login", method="POST", data={"email": head.email, "password": "sai-mat-khau-123"}
        )
        assert "Email hoặc mật khẩu không đúng." in page.get_data(as_text=True)
    locked = fetch(
        client, "/login", method="POST", data={"email": head.email, "password": factories.PASSWORD}
    )
    assert locked.status_code == 200
    assert "Tài khoản tạm bị khóa" in locked.get_data(as_text=True)
    db.session.refresh(head)
    assert head.locked_until > utcnow() + timedelta(minutes=14)
    head.locked_until = utcnow() - timedelta(seconds=1)  # fifteen minutes later
    db.session.commit()
    assert (
        fetch(
            client, "/login", method="POST", data={"email": head.email, "password": factories.PASSWORD}
        ).status_code
        == 302
    )
    db.session.refresh(head)
    assert head.failed_logins == 0 and head.locked_until is None


def test_login_attempts_from_one_network_are_throttled(other_app, province):
    throttled = other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute").test_client()
    statuses = [
        fetch(
            throttled, "/login", method="POST", data={"email": f"x{i}@test.vn", "password": "sai-mat-khau-1"}
        ).status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    page = fetch(throttled, "/login", method="POST", data={"email": "x@test.vn", "password": "sai"})
    assert "Bạn đã gửi quá nhiều lần" in page.get_data(as_text=True)
    assert fetch(throttled, "/login").status_code == 200  # reading the form is never throttled


def test_sessions_end_after_the_absolute_limit(client, province, login):
    head = factories.user("lanhdao@xa.vn", "head", province.commune_a)
    login(head)
    assert fetch(client, "/dashboard").status_code == 302  # to the head's own agency
    assert "/agencies/" in fetch(client, "/dashboard").headers["Location"]
    with client.session_transaction() as session:
        session[LOGIN_AT] = int(time.time()) - 13 * 3600
    expired = fetch(client, "/dashboard")
    assert expired.status_code == 302 and "/login" in expired.headers["Location"]


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("ngan-qua", "ít nhất 10 ký tự"),
        ("aaaaaaaaaaaa", "4 ký tự khác nhau"),
        ("matkhau123", "quá phổ biến"),
        ("lanhdao-2026-xyz", "tên đăng nhập"),
    ],
)
def test_password_rules(app, password, problem):
    with app.test_request_context():
        assert any(problem in text for text in password_problems(password, "lanhdao@xa.vn"))
        assert password_problems("mot-cau-dai-de-nho-2026", "lanhdao@xa.vn") == []


def test_create_user_refuses_a_weak_password(runner, province):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "moi@xa.vn",
            "--role",
            "staff",
            "--agency",
            "T01-XA",
            "--password-stdin",
        ],
        input="matkhau123\n",
    )
    assert result.exit_code != 0 and "quá phổ biến" in result.output
    assert db.session.scalar(db.select(User).where(User.email == "moi@xa.vn")) is None


def test_a_complete_answer_without_csrf_token_is_not_stored(app, client, province):
    from survey.models import Response
    from tests.faults import form_answers

    page = fetch(client, f"/s/{province.point_a.code}").get_data(as_text=True)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        answers = {**form_answers(page), "nonce": "csrf-khong-co"}
        refused = fetch(client, f"/s/{province.point_a.code}", method="POST", data=answers)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert refused.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 0
