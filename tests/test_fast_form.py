"""A phone's first visit answered at the WSGI layer (survey/public/fast_form.py):
the same page, headers and cookies as the full path, a token that works, and
nothing stale, unlimited or unlogged."""

import gzip
import json
import logging
import re

import pytest
from flask_babel import refresh

from survey import create_app
from survey.extensions import db, limiter
from survey.logs import LOGGER_NAME
from survey.models import Response
from survey.public import form_pages
from survey.public.device import DEVICE_COOKIE
from tests.conftest import TEST_CONFIG

PHONE = {"Accept-Encoding": "gzip, deflate", "Accept-Language": "vi-VN,vi;q=0.9"}
PER_VISIT_HEADERS = {"Content-Length", "X-Request-ID", "Set-Cookie"}


def _fast(app):
    return app.wsgi_app  # no proxy in tests: the middleware itself


@pytest.fixture
def fast(app, monkeypatch):
    monkeypatch.setitem(app.config, "FORM_PAGE_CACHE_SECONDS", 600)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    form_pages.clear()
    _fast(app).learnt.clear()
    _fast(app).answered = 0
    yield _fast(app)
    form_pages.clear()  # codes and ids belong to this test's tables
    _fast(app).learnt.clear()


def _html(response) -> str:
    return gzip.decompress(response.get_data()).decode()


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html).group(1)


def _per_visit(html: str) -> str:
    return re.sub(r'name="(nonce|csrf_token)" type="hidden" value="[^"]+"', r'name="\1" value=""', html)


def _cookies(response) -> dict[str, str]:
    """Set-Cookie by name: the attributes after the value (the expiry date ticks on)."""
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        pair, _, attributes = header.partition(";")
        found[pair.split("=", 1)[0]] = re.sub(r" Expires=[^;]+;", "", attributes)
    return found


def test_later_first_visits_get_the_same_page_headers_and_cookies(app, province, fast):
    url = f"/s/{province.point_a.code}"
    full = app.test_client().get(url, headers=PHONE)
    answered = fast.answered
    quick = app.test_client().get(url, headers=PHONE)
    assert fast.answered == answered + 1  # the second phone never reached Flask
    assert quick.status_code == full.status_code == 200
    constant = {(k, v) for k, v in full.headers.items() if k not in PER_VISIT_HEADERS}
    assert {(k, v) for k, v in quick.headers.items() if k not in PER_VISIT_HEADERS} == constant
    assert _cookies(quick) == _cookies(full) and set(_cookies(quick)) == {"session", DEVICE_COOKIE}
    assert _per_visit(_html(quick)) == _per_visit(_html(full))
    for name in ("nonce", "csrf_token"):
        assert _hidden(_html(quick), name) != _hidden(_html(full), name)
    assert int(quick.headers["Content-Length"]) == len(quick.get_data())


def test_without_csrf_the_fast_page_sets_no_session(app, province, fast, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    url = f"/s/{province.point_a.code}"
    app.test_client().get(url, headers=PHONE)
    quick = app.test_client().get(url, headers=PHONE)
    assert fast.answered == 1 and set(_cookies(quick)) == {DEVICE_COOKIE}
    assert 'name="csrf_token"' not in _html(quick)


def test_the_fast_page_stores_its_answer_once_and_then_says_already_sent(app, province, fast):
    url = f"/s/{province.point_a.code}"
    app.test_client().get(url, headers=PHONE)
    phone = app.test_client()
    html = _html(phone.get(url, headers=PHONE))
    assert fast.answered == 1
    answer = {"csrf_token": _hidden(html, "csrf_token"), "nonce": _hidden(html, "nonce"), "Q9": "5"}
    with app.app_context():  # a server's request has its own g (the CSRF token is kept there)
        assert phone.post(url, data=answer).status_code == 302
        assert phone.post(url, data=answer).status_code == 302  # a double tap
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1
    again = phone.get(url, headers=PHONE)  # the session cookie: the full path
    assert fast.answered == 1 and 'id="send"' not in _html(again)


def test_a_known_phone_keeps_its_device_cookie(app, province, fast):
    url = f"/s/{province.point_a.code}"
    app.test_client().get(url, headers=PHONE)
    phone = app.test_client()
    phone.set_cookie(DEVICE_COOKIE, "earlier-visit")
    page = phone.get(url, headers=PHONE)
    assert fast.answered == 1 and set(_cookies(page)) == {"session"}


def test_a_change_shows_at_once_and_other_shapes_take_the_full_path(app, province, fast):
    url = f"/s/{province.point_b.code}"
    app.test_client().get(url, headers=PHONE)
    province.point_b.agency.name = "Ủy ban nhân dân xã Đổi Tên"
    db.session.commit()
    assert "Đổi Tên" in _html(app.test_client().get(url, headers=PHONE))
    assert fast.answered == 0  # the stored page was cleared: rendered again
    refresh()  # the test's shared app context caches the locale; a server has one per request
    english = app.test_client().get(url, headers={**PHONE, "Accept-Language": "en"})
    refresh()
    assert "Overall, how satisfied" in _html(english) and fast.answered == 0  # another shape
    plain = app.test_client().get(url)  # no gzip: another shape
    assert "Đổi Tên" in plain.text and fast.answered == 0
    assert "Đổi Tên" in _html(app.test_client().get(url, headers=PHONE)) and fast.answered == 1


def test_fast_answers_are_logged_with_the_request_id(app, province, fast, capsys):
    logging.getLogger(LOGGER_NAME).disabled = False  # Alembic's setup in the app fixture disables it
    url = f"/s/{province.point_a.code}"
    app.test_client().get(url, headers=PHONE)
    capsys.readouterr()
    page = app.test_client().get(url, headers={**PHONE, "X-Request-ID": "nginx-req-12345"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    assert fast.answered == 1 and page.headers["X-Request-ID"] == "nginx-req-12345"
    assert [(e["rule"], e["endpoint"], e["status"], e["request_id"]) for e in lines] == [
        ("/s/<code>", "public.survey", 200, "nginx-req-12345")
    ]
    assert province.point_a.code not in json.dumps(lines)


def test_the_form_page_rate_limit_counts_fast_answers(database_url, province):
    limited = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_FORM_NETWORK": "3 per minute",
            "FORM_PAGE_CACHE_SECONDS": 600,
        }
    )
    url = f"/s/{province.point_a.code}"
    try:
        statuses = [limited.test_client().get(url, headers=PHONE).status_code for _ in range(4)]
        over = limited.test_client().get(url, headers=PHONE)
    finally:
        limiter.reset()
        limiter.enabled = False  # the extension is shared with the session's app
        form_pages.clear()
        with limited.app_context():
            db.engine.dispose()
    assert statuses == [200, 200, 200, 429] and _fast(limited).answered == 2
    assert over.status_code == 429 and "Vui lòng thử lại sau ít phút" in _html(over)


def test_a_failure_in_the_fast_answer_falls_back_to_the_full_page(app, province, fast, monkeypatch):
    url = f"/s/{province.point_a.code}"
    app.test_client().get(url, headers=PHONE)

    def broken(*_args):
        raise RuntimeError("signing failed")

    monkeypatch.setattr(fast, "cookies", broken)
    page = app.test_client().get(url, headers=PHONE)
    assert page.status_code == 200 and 'id="send"' in _html(page) and fast.answered == 0
