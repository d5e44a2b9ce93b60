"""Rendered summary figures are reused while nothing changed, and never shown stale after a change."""

import re
from datetime import datetime, timedelta

import pytest
from flask_babel import refresh
from sqlalchemy import delete

from survey import periods
from survey.extensions import db
from survey.models import ResponseExclusion, RollupDirty
from survey.models.types import utcnow
from survey.rollups import freshness
from tests import factories


@pytest.fixture
def committee(province):
    return factories.user("bcd@tinh.vn", "committee")


def _last_month() -> periods.Period:
    return periods.previous(periods.containing("month", periods.local_date(utcnow())))


def _in(period: periods.Period, day: int = 10) -> datetime:
    """Noon (Vietnam time) on a day of a closed period, as naive UTC."""
    return periods.local_day_start(period.start + timedelta(days=day)) + timedelta(hours=12)


def _rolled_up() -> None:
    """What the nightly `rollups refresh` does; pages then catch up only a day or two."""
    freshness.catch_up()


def _count(page: str, name: str) -> int:
    return int(re.search(rf'data-testid="{name}">(\d+)<', page).group(1))


def _hits(app) -> int:
    return app.extensions["dashboard_cache"].hits


def _a_rolled_up_top_rating_last_month(login, committee, province):
    """One top rating at point A last month, rolled up; the committee signed in."""
    month = _last_month()
    factories.answer_at(province.point_a, _in(month), 5)
    _rolled_up()
    return login(committee), month


def test_the_second_view_comes_from_the_cache_with_the_same_figures(app, login, committee, province):
    month = _last_month()
    for overall in (5, 4, 2):
        factories.answer_at(province.point_a, _in(month), overall)
    _rolled_up()
    client = login(committee)
    url = f"/agencies/T01-XA?period=month&value={month.value}"
    first = client.get(url).text
    hits = _hits(app)
    second = client.get(url).text
    assert _hits(app) == hits + 2  # the figures and the number of comments
    assert _count(first, "responses") == _count(second, "responses") == 3
    assert _count(second, "satisfied") == 2
    overview = f"/overview/T01?period=month&value={month.value}"
    assert "Ủy ban nhân dân xã Hòa Bình" in client.get(overview).text
    hits = _hits(app)
    client.get(overview)
    assert _hits(app) == hits + 1


def test_an_exclusion_in_a_closed_period_shows_on_the_next_view(app, login, committee, province):
    month = _last_month()
    responses = [factories.answer_at(province.point_a, _in(month), 5) for _ in range(3)]
    _rolled_up()
    client = login(committee)
    url = f"/agencies/T01-XA?period=month&value={month.value}"
    for page_url in (url, url.replace("/agencies/T01-XA", "/overview/T01")):
        client.get(page_url)
    db.session.add(ResponseExclusion(response_id=responses[0].id, action="exclude", reason="manual"))
    db.session.commit()
    page = client.get(url).text
    assert _count(page, "responses") == 3 and _count(page, "counted") == 2
    assert _count(page, "satisfied") == 2
    overview = client.get(url.replace("/agencies/T01-XA", "/overview/T01")).text
    assert _count(overview, "responses") == 3
    assert "(n = 2)" in overview


def test_a_late_response_in_a_closed_period_shows_on_the_next_view(app, login, committee, province):
    client, month = _a_rolled_up_top_rating_last_month(login, committee, province)
    url = f"/agencies/T01-XA?period=month&value={month.value}"
    first = client.get(url).text
    assert _count(first, "responses") == 1 and "0 góp ý" in first
    factories.answer_at(province.point_a, _in(month, 3), 2, comment="Chờ lâu")  # an offline device syncs late
    page = client.get(url).text
    assert _count(page, "responses") == 2
    assert "1 góp ý" in page and "Chờ lâu" in page


def test_a_full_refresh_replaces_cached_figures(app, login, committee, province):
    """Rows that reached the database without a marker (a restore, a bulk load)
    count once `rollups refresh --all` has run, not before (then as raw)."""
    client, month = _a_rolled_up_top_rating_last_month(login, committee, province)
    url = f"/agencies/T01-XA?period=month&value={month.value}"
    assert _count(client.get(url).text, "responses") == 1
    factories.answer_at(province.point_a, _in(month, 4), 5)
    db.session.execute(delete(RollupDirty))  # the marker is lost
    db.session.commit()
    assert _count(client.get(url).text, "responses") == 1  # roll-ups (and cache) not told yet
    result = app.test_cli_runner().invoke(args=["rollups", "refresh", "--all"])
    assert result.exit_code == 0, result.output
    assert _count(client.get(url).text, "responses") == 2


def test_a_new_response_today_shows_in_the_open_period(app, login, committee, province):
    factories.answer(province.point_a, overall=5)
    _rolled_up()
    client = login(committee)
    url = "/agencies/T01-XA?period=month"
    assert _count(client.get(url).text, "responses") == 1
    factories.answer(province.point_a, overall=1)
    page = client.get(url).text
    assert _count(page, "responses") == 2 and _count(page, "satisfied") == 1


def test_names_targets_and_language_are_never_stale(app, login, committee, province):
    client, month = _a_rolled_up_top_rating_last_month(login, committee, province)
    overview = f"/overview/T01?period=month&value={month.value}"
    assert "Ủy ban nhân dân xã Hòa Bình" in client.get(overview).text
    client.post("/admin/agencies/T01-XA/rename", data={"name": "Xã Hòa Bình Mới", "kind": "commune_pc"})
    assert "Xã Hòa Bình Mới" in client.get(overview).text
    head = f"/agencies/T01-XA?period=month&value={month.value}"
    assert "Mục tiêu chất lượng: ≥ 90 %" in client.get(head).text
    client.post("/admin/agencies/T01-XA/target", data={"target": "85"})
    assert "Mục tiêu chất lượng: ≥ 85 %" in client.get(head).text
    refresh()  # the test's shared app context caches the locale; a server has one per request
    english = client.get(head + "&lang=en").text
    assert "Quality objective" in english and "Mục tiêu chất lượng" not in english


def test_a_config_change_is_part_of_the_key(app, login, committee, province, monkeypatch):
    month = _last_month()
    for _ in range(3):
        factories.answer_at(province.point_a, _in(month), 5)
    _rolled_up()
    client = login(committee)
    url = f"/agencies/T01-XA?period=month&value={month.value}"
    monkeypatch.setitem(app.config, "MIN_SAMPLE", 10)
    assert "Chưa đủ dữ liệu" in client.get(url).text.split('data-testid="rate"')[1][:300]
    monkeypatch.setitem(app.config, "MIN_SAMPLE", 2)
    assert "100,0 %" in client.get(url).text.split('data-testid="rate"')[1][:300]
