"""Bad input everywhere: property-based (Hypothesis) and fixed nasty cases.

Whatever arrives, the answer is a clear 4xx (or the normal page), never a
500 and never a stack trace. The suite runs with TESTING=True, so a server
error raises inside the test instead of hiding behind an error page.
Bounded (max_examples) so the suite stays quick.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.extensions import db
from survey.models import Response
from tests import authz_world
from tests.test_authz_matrix import sign_in
from tests.web_pages import fetch

QUICK = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))

# Printable text including Vietnamese, controls, quotes and surrogate-free unicode.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
FIELD_NAMES = st.sampled_from(["Q0", "Q1", "Q5", "Q9", "Q10", "nonce", "website", "csrf_token", "lang", "x"])


@pytest.fixture
def world(app):
    return authz_world.build()


def _no_server_error(response, url):
    assert response.status_code < 500, (url, response.status_code)
    assert "Traceback" not in response.get_data(as_text=True)


@QUICK
@given(fields=st.dictionaries(FIELD_NAMES, TEXT, max_size=8))
def test_any_survey_form_gets_a_page_not_an_error(client, world, fields):
    url = f"/s/{world.points['T01-XA'].code}"
    response = fetch(client, url, method="POST", data=fields)
    _no_server_error(response, url)
    assert response.status_code in (302, 400, 422), response.status_code


@QUICK
@given(body=st.binary(max_size=400))
def test_raw_bytes_and_broken_utf8_bodies(client, world, body):
    url = f"/s/{world.points['T01-XA'].code}"
    for content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json",
    ):
        response = fetch(client, url, method="POST", data=body, headers={"Content-Type": content_type})
        _no_server_error(response, url)
        assert response.status_code in (302, 400, 415, 422)


@QUICK
@given(segment=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=80))
def test_any_code_in_any_url_is_a_clean_404_or_page(client, world, segment):
    sign_in(client, world.users["admin"])
    from urllib.parse import quote

    code = quote(segment, safe="")
    for url in (
        f"/s/{code}",
        f"/S/{code}",
        f"/qr/{code}.png",
        f"/d/{code}",
        f"/kiosk/{code}",
        f"/agencies/{code}",
        f"/admin/agencies/{code}",
        f"/admin/survey-points/{code}",
        f"/api/v1/agencies/{code}/summary",
    ):
        response = fetch(client, url)
        _no_server_error(response, url)
        assert response.status_code in (200, 302, 400, 401, 403, 404, 410), (url, response.status_code)


@QUICK
@given(
    payload=st.recursive(
        st.none() | st.booleans() | st.integers() | TEXT,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
        max_leaves=12,
    )
)
def test_any_json_to_the_api_is_a_clean_4xx(client, world, payload):
    from survey.api.tokens import issue

    _token, plain = issue("fuzz", world.agencies["T01-XA"])
    db.session.commit()
    response = fetch(
        client,
        "/api/v1/dossier-links",
        method="POST",
        json=payload,
        headers={"Authorization": f"Bearer {plain}"},
    )
    _no_server_error(response, "/api/v1/dossier-links")
    assert response.is_json and response.status_code in (200, 201, 400, 404, 422)


def test_unknown_codes_get_a_vietnamese_404(client, world):
    page = fetch(client, "/s/ZZZZZZZZ")
    assert page.status_code == 404 and "Không tìm thấy" in page.get_data(as_text=True)
    assert fetch(client, "/qr/ZZZZZZZZ.png").status_code == 404


def test_oversize_body_is_refused_with_413(app, client, world):
    body = b"Q10=" + b"a" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    url = f"/s/{world.points['T01-XA'].code}"
    response = fetch(
        client, url, method="POST", data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413
    assert "Nội dung gửi lên quá lớn" in response.get_data(as_text=True)


def test_very_long_fields_are_refused_and_nothing_is_stored(client, world):
    url = f"/s/{world.points['T01-XA'].code}"
    before = db.session.scalar(db.select(db.func.count()).select_from(Response))
    fields = {"Q9": "5", "Q1": "4", "nonce": "n" * 5000, "Q10": "Góp ý rất dài " * 20000}
    response = fetch(client, url, method="POST", data=fields)
    assert response.status_code in (400, 422)
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == before
    assert fetch(client, "/s/" + "A" * 20000).status_code in (404, 414)


@pytest.mark.parametrize(
    "url",
    [
        "/static/../wsgi.py",
        "/static/%2e%2e/wsgi.py",
        "/static/..%2fwsgi.py",
        "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/qr/..%2f..%2fetc%2fpasswd.png",
        "/s/%00",
        "/s/..%2f..%2fadmin",
        "/admin/help/images/..%2f..%2fsurvey%2fconfig.py",
        "//evil.example/",
        "/login?next=//evil.example/",
    ],
)
def test_path_tricks_never_escape(client, world, url):
    sign_in(client, world.users["admin"])
    response = fetch(client, url)
    body = response.get_data()
    assert response.status_code < 500
    assert b"import" not in body and b"root:" not in body and b"SECRET_KEY" not in body
    assert "evil.example" not in response.headers.get("Location", "")


def test_wrong_methods_and_content_types_are_clean_4xx(client, world):
    assert fetch(client, "/healthz", method="DELETE").status_code == 405
    response = fetch(
        client,
        "/api/v1/dossier-links",
        method="POST",
        data="not json",
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 401 and response.is_json  # no token: refused before parsing


@pytest.mark.parametrize("url", ["/agencies/T01-XA", "/evidence/", "/admin/log", "/cases", "/admin/users"])
def test_enormous_page_numbers_show_the_last_page(client, world, url):
    """A page number past SQLite's and PostgreSQL's integers was a 500; past the end, an empty page."""
    sign_in(client, world.users["admin"])
    for number in ("99999999999999999999", "999999999"):
        response = fetch(client, f"{url}?page={number}")
        _no_server_error(response, url)
        assert response.status_code == 200
        assert "Trang 999999999" not in response.get_data(as_text=True)
