"""A citizen scans, answers in Chromium, and the commune head sees it counted."""

from survey.extensions import db
from survey.models import Response
from tests import factories


def test_citizen_answers_and_head_sees_the_count(browser_page, live_server, province, login_as):
    page = browser_page
    page.goto(f"{live_server}/s/{province.point_a.code}")
    assert "Ủy ban nhân dân xã Hòa Bình" in page.inner_text("body")
    page.check("input[name=Q9][value='5']")
    page.fill("textarea[name=Q10]", "Cán bộ hướng dẫn tận tình")
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1

    factories.user("head@xa.vn", "head", province.commune_a)
    login_as("head@xa.vn", factories.PASSWORD)
    page.goto(f"{live_server}/agencies/{province.commune_a.code}")
    assert page.inner_text("[data-testid=responses]") == "1"
