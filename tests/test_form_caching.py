"""The form page's caches (questionnaire, blank questions HTML, scan counts)
never show stale questions or someone else's answers."""

import pytest
from flask_babel import refresh

from survey.extensions import db
from survey.models import ScanCount
from survey.public import catalogue
from tests import factories
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
