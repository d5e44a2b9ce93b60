"""Scan counting: opens per point per day, no personal data, and conversion."""

from datetime import date, datetime

from sqlalchemy import inspect

from survey.extensions import db
from survey.models import ScanCount
from survey.scans import conversion_by_point, daily_scans, today_in_vietnam
from tests import factories


def test_each_page_open_counts_once_on_either_url(client, province):
    code = province.point_a.code
    client.get(f"/s/{code}")
    client.get(f"/s/{code}")
    client.get(f"/S/{code}")
    client.post(f"/s/{code}", data={"Q9": "5", "nonce": "n-1"})  # the answer is not a scan
    today = today_in_vietnam()
    assert daily_scans(province.point_a.id, today, today) == {today: 3}
    assert daily_scans(province.point_b.id, today, today) == {}


def test_conversion_compares_scans_with_answers(client, province):
    for _ in range(4):
        client.get(f"/s/{province.point_a.code}")
    factories.answer(province.point_a)
    today = today_in_vietnam()
    result = conversion_by_point([province.point_a.id, province.point_b.id], today, today)
    assert (result[province.point_a.id].scans, result[province.point_a.id].responses) == (4, 1)
    assert result[province.point_a.id].rate == 0.25
    assert result[province.point_b.id].rate is None  # no scans: no rate, not 0 %


def test_counts_hold_nothing_about_the_visitor(app):
    columns = {c["name"] for c in inspect(db.engine).get_columns("scan_counts")}
    assert columns == {"survey_point_id", "day", "count"}


def test_vietnam_day_starts_at_17_utc():
    assert today_in_vietnam(datetime(2026, 3, 1, 16, 59)) == date(2026, 3, 1)
    assert today_in_vietnam(datetime(2026, 3, 1, 17, 0)) == date(2026, 3, 2)


def test_retired_page_opens_are_counted_too(client, runner, province):
    runner.invoke(args=["survey-points", "retire", province.point_b.code])
    client.get(f"/s/{province.point_b.code}")
    assert db.session.scalar(
        db.select(ScanCount.count).where(ScanCount.survey_point_id == province.point_b.id)
    )


def test_admin_list_shows_scans_answers_and_rate(client, province, login):
    admin = factories.user("admin@test.vn", "admin")
    for _ in range(4):
        client.get(f"/s/{province.point_a.code}")
    factories.answer(province.point_a)
    page = login(admin).get("/admin/survey-points").text
    row = page.split(province.point_a.code, 2)[2].split("</tr>")[0]
    assert '<td class="num">4</td><td class="num">1</td><td class="num">25,0 %</td>' in row
    assert f"/qr/{province.point_a.code}.svg" in row
