"""The form page's caches (questionnaire, blank questions HTML, scan counts)
never show stale questions or someone else's answers."""

import gzip
import re
import zlib

import pytest
from flask_babel import refresh
from sqlalchemy import event

from survey.extensions import db
from survey.models import ScanCount
from survey.points import create_point
from survey.public import catalogue, form_pages
from tests import factories
from tests.survey_helpers import submit
from tests.test_questionnaire_admin import _form_data, _row


@pytest.fixture
def caching(app, monkeypatch):
    monkeypatch.setitem(app.config, "QUESTIONNAIRE_CACHE_SECONDS", 600)
    catalogue.clear()
    yield
    catalogue.clear()  # ids are reused by the next test's fresh tables


def test_cached_blank_form_never_carries_answers(client, province, caching):
    code = province.point_a.code
    assert "checked" not in client.get(f"/s/{code}").text
    page = client.post(f"/s/{code}", data={"nonce": "n-1", "Q1": "2", "Q10": "Chờ lâu"})
    assert page.status_code == 422 and 'checked id="Q1-1"' in page.text
    again = client.get(f"/s/{code}")
    assert "checked" not in again.text and "Chờ lâu" not in again.text
    refresh()  # the test's shared app context caches the locale; a server has one per request
    english = client.get(f"/s/{code}?lang=en")
    assert "Overall, how satisfied are you with the service today?" in english.text  # cached per language


def test_a_new_version_shows_at_once_despite_the_cache(client, province, caching, login):
    code = province.point_a.code
    assert "Nơi chờ có mát không?" not in client.get(f"/s/{code}").text
    login(factories.user("admin@tinh.vn", "admin"))
    data = _form_data(client.get(f"/admin/questionnaires/new?agency={province.commune_a.code}").text)
    data[f"{_row(data, 'Q1')}-text_vi"] = "Nơi chờ có mát không?"
    assert client.post("/admin/questionnaires/new", data=data).status_code == 302
    assert "Nơi chờ có mát không?" in client.get(f"/s/{code}?again=1").text


def test_scans_are_written_in_batches(app, client, province, monkeypatch):
    monkeypatch.setitem(app.config, "SCAN_FLUSH_EVERY", 3)
    for _ in range(2):
        client.get(f"/s/{province.point_a.code}")
    assert db.session.scalar(db.select(db.func.sum(ScanCount.count))) is None  # still in the worker
    client.get(f"/s/{province.point_b.code}")
    counts = dict(db.session.execute(db.select(ScanCount.survey_point_id, ScanCount.count)).all())
    assert counts == {province.point_a.id: 2, province.point_b.id: 1}


# The whole blank page, cached per worker (survey/public/form_pages.py).


@pytest.fixture
def page_cache(app, monkeypatch):
    monkeypatch.setitem(app.config, "FORM_PAGE_CACHE_SECONDS", 600)
    form_pages.clear()
    yield
    form_pages.clear()  # codes and ids belong to this test's tables


def _statements(app):
    seen = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    return seen, lambda: event.remove(db.engine, "before_cursor_execute", note)


def _per_visit(html: str) -> str:
    return re.sub(r'name="(nonce|csrf_token)" type="hidden" value="[^"]+"', r'name="\1" value=""', html)


def test_cached_page_is_the_full_page_with_a_new_nonce(app, client, province, page_cache):
    code = province.point_a.code
    first = client.get(f"/s/{code}")
    seen, stop = _statements(app)
    try:
        second = client.get(f"/s/{code}")
    finally:
        stop()
    assert second.status_code == 200 and second.headers["Cache-Control"] == "private, max-age=0"
    assert not [s for s in seen if "survey_points" in s and s.lstrip().upper().startswith("SELECT")]
    assert any("scan_counts" in s for s in seen)  # the scan still counts (written at once in tests)
    assert _per_visit(second.text) == _per_visit(first.text)
    nonces = [
        re.search(r'name="nonce" type="hidden" value="([^"]+)"', p.text).group(1) for p in (first, second)
    ]
    assert nonces[0] != nonces[1]
    assert db.session.scalar(db.select(db.func.sum(ScanCount.count))) == 2


def test_cached_page_carries_this_browsers_own_csrf_token(app, province, page_cache, monkeypatch):
    """Two phones: the second one gets the cached page, and its token works with its own session."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    code = province.point_a.code
    phones = [app.test_client(), app.test_client()]
    tokens = []
    for phone in phones:
        with app.app_context():  # a server's request has its own g (the CSRF token is kept there)
            page = phone.get(f"/s/{code}").text
        tokens.append(re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1))
    assert tokens[0] != tokens[1]
    with app.app_context():
        stolen = phones[1].post(f"/s/{code}", data={"csrf_token": tokens[0], "nonce": "n-x", "Q9": "5"})
    assert stolen.status_code == 422  # another browser's token is refused
    with app.app_context():
        posted = phones[1].post(f"/s/{code}", data={"csrf_token": tokens[1], "nonce": "n-y", "Q9": "5"})
    assert posted.status_code == 302


def test_changes_in_this_worker_show_at_once(client, province, page_cache):
    code = province.point_b.code
    client.get(f"/s/{code}")
    province.point_b.agency.name = "Ủy ban nhân dân xã Đổi Tên"
    db.session.commit()
    assert "Đổi Tên" in client.get(f"/s/{code}").text
    replacement = create_point(province.commune_a)
    province.point_b.status, province.point_b.replacement = "retired", replacement
    db.session.commit()
    page = client.get(f"/s/{code}")
    assert page.status_code == 410 and f'href="/s/{replacement.code}"' in page.text


def test_answered_browser_and_other_queries_take_the_full_path(client, province, page_cache):
    code = province.point_a.code
    client.get(f"/s/{code}")
    refresh()  # the test's shared app context caches the locale; a server has one per request
    english = client.get(f"/s/{code}?lang=en&utm=poster")
    assert "Overall, how satisfied are you with the service today?" in english.text
    assert "utm=poster" in english.text  # the language link keeps the query
    refresh()
    submit(client, code, {"Q9": "5"})
    again = client.get(f"/s/{code}")
    assert 'id="send"' not in again.text  # "already sent", not a new form
    assert 'id="send"' in client.get(f"/s/{code}?again=1").text


def test_cached_gzip_page_is_one_valid_stream_no_bigger_than_before(client, province, page_cache):
    code = province.point_a.code
    gzip_ok = {"Accept-Encoding": "gzip, deflate"}
    first = client.get(f"/s/{code}", headers=gzip_ok)  # rendered, compressed by compression.py
    second = client.get(f"/s/{code}", headers=gzip_ok)  # pasted into the stored segments
    assert second.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in second.headers["Vary"]
    html = gzip.decompress(second.get_data()).decode()  # checks the CRC and the length too
    streamed = zlib.decompressobj(16 + zlib.MAX_WBITS)  # as a browser inflates it
    assert streamed.decompress(second.get_data()).decode() == html and streamed.eof
    assert _per_visit(html) == _per_visit(gzip.decompress(first.get_data()).decode())
    # Segments cannot refer back across a per-visit value: a little bigger, far below 14 KB.
    assert len(second.get_data()) <= len(first.get_data()) + 256
