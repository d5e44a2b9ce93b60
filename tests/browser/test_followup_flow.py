"""The case workflow in Chromium: a head takes a low answer from the work
list to closure, with CSRF on, as in production."""

from survey.extensions import db
from survey.models import Case
from tests import factories
from tests.followup_helpers import unhappy_with_contact


def _save(page):
    page.click("form.case-form button")
    page.wait_for_load_state("load")


def test_head_walks_a_case_from_the_work_list_to_closure(browser_page, live_server, province, login_as):
    page = browser_page
    unhappy_with_contact(province.point_a, comment="Phải chờ quá lâu, không có ghế")
    factories.user("head@xa.vn", "head", province.commune_a)
    staff = factories.user("canbo@xa.vn", "staff", province.commune_a)
    login_as("head@xa.vn", factories.PASSWORD)

    page.goto(f"{live_server}/cases")
    page.click("[data-testid=case-row] a")
    assert "0912 345 678" in page.inner_text("[data-testid=contact]")
    assert "Phải chờ quá lâu" in page.inner_text("[data-testid=comment]")

    page.select_option("select[name=assignee]", str(staff.id))
    _save(page)
    assert page.inner_text("[data-testid=status]") == "Đang xử lý"
    assert page.inner_text("[data-testid=assignee]") == "canbo@xa.vn"

    page.select_option("select[name=status]", "closed")
    _save(page)
    assert "Không thể chuyển trạng thái" in page.inner_text(".error-summary")

    page.select_option("select[name=status]", "answered")
    page.fill("textarea[name=answer_text]", "Đã gọi điện xin lỗi và hẹn trả kết quả.")
    _save(page)
    assert page.inner_text("[data-testid=status]") == "Đã trả lời"

    page.select_option("select[name=status]", "closed")
    page.fill("textarea[name=cause]", "Phòng chờ thiếu ghế")
    page.fill("textarea[name=corrective_action]", "Mua thêm 10 ghế, kiểm tra hằng tuần")
    _save(page)
    assert page.inner_text("[data-testid=status]") == "Đã đóng"
    assert page.locator("[data-testid=event]").count() >= 7

    db.session.expire_all()
    case = db.session.scalar(db.select(Case))
    assert case.status == "closed" and case.corrective_action == "Mua thêm 10 ghế, kiểm tra hằng tuần"
