"""Summaries in Chromium: the committee drills down and back, a head changes
the period and filters comments, nobody sees outside their subtree."""

from datetime import timedelta

from survey import periods
from survey.models.types import utcnow
from tests import factories


def _answers(province):
    for overall in (5, 4, 4, 2):
        factories.answer(province.point_a, overall=overall, Q3=overall, comment=f"Góp ý mức {overall}")
    factories.answer(province.point_a, overall=1, Q3=1, comment="<script>window.hacked=1</script> chờ lâu")
    factories.answer(province.point_b, overall=5, comment="Phường Đông Kinh rất tốt")
    factories.answer_at(province.point_a, utcnow() - timedelta(days=400), 5, comment="Năm ngoái")


def test_committee_drills_from_province_to_commune_and_back(browser_page, live_server, province, login_as):
    _answers(province)
    factories.user("bcd@tinh.vn", "committee")
    page = login_as("bcd@tinh.vn", factories.PASSWORD)
    page.goto(f"{live_server}/dashboard")
    assert "/overview/T01" in page.url
    assert page.locator("[data-testid=unit-row]").count() == 3
    page.click("[data-testid=unit-link] >> text=Ủy ban nhân dân xã Hòa Bình")
    page.wait_for_load_state("load")
    assert "/agencies/T01-XA" in page.url
    assert page.inner_text("h1") == "Ủy ban nhân dân xã Hòa Bình"
    assert page.inner_text("[data-testid=responses]") == "5"
    page.click("nav.crumbs a >> text=Ủy ban nhân dân tỉnh Thử Nghiệm")
    page.wait_for_load_state("load")
    assert "/overview/T01" in page.url
    assert page.inner_text("[data-testid=responses]") == "6"


def test_head_changes_period_and_filters_comments(browser_page, live_server, province, login_as):
    _answers(province)
    factories.user("head@xa.vn", "head", province.commune_a)
    page = login_as("head@xa.vn", factories.PASSWORD)
    page.goto(f"{live_server}/agencies/T01-XA")
    assert page.inner_text("[data-testid=responses]") == "5"
    # The script in a comment is shown as text and never runs.
    assert "<script>window.hacked=1</script> chờ lâu" in page.inner_text("[data-testid=comments-table]")
    assert page.evaluate("window.hacked") is None

    page.select_option("#c-rating", "1")
    page.click("[data-testid=comment-filter] button")
    page.wait_for_load_state("load")
    rows = page.locator("[data-testid=comment-row]")
    assert rows.count() == 1 and "chờ lâu" in rows.first.inner_text()

    page.select_option("#c-rating", "4")
    page.select_option("#c-criterion", "official_attitude")
    page.click("[data-testid=comment-filter] button")
    page.wait_for_load_state("load")
    texts = page.inner_text("[data-testid=comments-table]")
    assert "Góp ý mức 4" in texts and "Góp ý mức 5" not in texts and "chờ lâu" not in texts

    last_year = periods.local_date(utcnow() - timedelta(days=400))
    page.select_option("#p-kind", "year")
    page.fill("#p-value", str(last_year.year))
    page.click("[data-testid=period-form] button")
    page.wait_for_load_state("load")
    assert page.inner_text("[data-testid=responses]") == "1"
    assert f"Năm {last_year.year}" in page.inner_text("[data-testid=period-label]")
    assert "Năm ngoái" in page.inner_text("[data-testid=comments-table]")

    page.select_option("#p-kind", "custom")
    page.fill("#p-from", "2026-05-01")
    page.fill("#p-to", "2026-04-01")
    page.click("[data-testid=period-form] button")
    page.wait_for_load_state("load")
    assert "Ngày kết thúc phải sau" in page.inner_text("[data-testid=period-error]")


def test_head_sees_only_their_subtree(browser_page, live_server, province, login_as):
    _answers(province)
    factories.user("head@xa.vn", "head", province.commune_a)
    page = login_as("head@xa.vn", factories.PASSWORD)
    for path in (
        "/agencies/T01-XB",
        "/overview/T01",
        "/agencies/T01",
        "/agencies/T01-XB/export/comments.csv",
    ):
        response = page.goto(f"{live_server}{path}")
        assert response.status == 404, path
        assert "Đông Kinh" not in page.inner_text("body")
    page.goto(f"{live_server}/dashboard")
    assert "/agencies/T01-XA" in page.url
    assert "Đông Kinh" not in page.inner_text("body")
    assert page.locator("nav.crumbs a").count() == 0  # no link up to the province
