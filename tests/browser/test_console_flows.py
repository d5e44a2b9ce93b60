"""The ISO secretary's console walked in Chromium, as the secretary would.

These tests also take the screenshots of docs/user-guide.md: kept under
test-artifacts/console/ on every run, copied to docs/images/ by `make docs-images`.
"""

import os

from sqlalchemy import func, select

from survey import PROJECT_ROOT
from survey.agencies import get_by_code
from survey.extensions import db
from survey.models import Procedure, SurveyPoint
from tests import factories

IMAGES = os.path.join(PROJECT_ROOT, "docs", "images")
ARTIFACTS = os.path.join(PROJECT_ROOT, "test-artifacts", "console")
DESKTOP = {"width": 1280, "height": 900}

# Every run keeps its screenshots as test artefacts. The user guide's copies in
# docs/images are refreshed only on request (`make docs-images`), so that running
# the suite never leaves the checkout dirty with pictures whose codes and times changed.
UPDATE_DOC_IMAGES = os.environ.get("UPDATE_DOC_IMAGES") == "1"


def shot(page, name: str) -> None:
    """Save a screenshot as a test artefact, and for docs/user-guide.md when asked."""
    os.makedirs(ARTIFACTS, exist_ok=True)
    fresh = page.screenshot(full_page=True, path=os.path.join(ARTIFACTS, name))
    if UPDATE_DOC_IMAGES:
        with open(os.path.join(IMAGES, name), "wb") as handle:
            handle.write(fresh)


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")


def submit(page, selector: str = "main form button[type=submit]") -> None:
    page.click(selector)
    page.wait_for_load_state("load")


def responses_shown(page, base: str, code: str) -> str:
    open_page(page, f"{base}/agencies/{code}")
    return page.inner_text("[data-testid=responses]")


def test_secretary_merges_two_communes_and_sees_figures_before_and_after(
    browser_page, live_server, province, login_as
):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    for overall in (5, 4, 5):
        factories.answer(province.point_a, overall=overall)
    factories.answer(province.point_b, overall=2)
    factories.user("bcd@tinh.vn", "committee", province.root)
    login_as("bcd@tinh.vn", factories.PASSWORD)
    assert responses_shown(page, live_server, "T01-XA") == "3"
    assert responses_shown(page, live_server, "T01-XB") == "1"

    open_page(page, f"{live_server}/admin/agencies")
    assert page.is_visible("text=Ủy ban nhân dân xã Hòa Bình")
    shot(page, "console-agency-tree.png")
    page.fill("input[name=q]", "Đông Kinh")
    submit(page, "form[role=search] button")
    assert "Ủy ban nhân dân phường Đông Kinh" in page.inner_text("main table")
    assert "Hòa Bình" not in page.inner_text("main table")

    open_page(page, f"{live_server}/admin/agencies/T01-XA")
    page.click("text=Sáp nhập vào đơn vị khác")
    page.select_option("select[name=target]", "T01-XB")
    submit(page)
    assert "3 phiếu đã nhận vẫn ghi cho Ủy ban nhân dân xã Hòa Bình" in page.inner_text("main")
    shot(page, "console-merge-confirm.png")
    submit(page, "button.danger")
    assert "Đã sáp nhập" in page.inner_text(".flash")
    assert "merge_in" in page.inner_text("#history ~ table")
    shot(page, "console-agency-history.png")

    # After: the surviving ward counts both; the old commune keeps its own three.
    assert responses_shown(page, live_server, "T01-XB") == "4"
    assert responses_shown(page, live_server, "T01-XA") == "3"
    db.session.expire_all()
    assert get_by_code("T01-XA").merged_into_id == province.commune_b.id


HEADER = "code,name,field,agency_code\n"
BAD_CSV = HEADER + "1.000656,Thủ tục đăng ký khai tử,Hộ tịch,T01-XA\n1.0006,Thủ tục sai mã,Hộ tịch,T01-XA\n"
GOOD_CSV = (
    HEADER
    + "1.001193,Thủ tục đăng ký khai sinh,Hộ tịch,T01-XA\n"
    + "1.000894,Thủ tục đăng ký kết hôn,Hộ tịch,T01-XA\n"
    + "1.000656,Thủ tục đăng ký khai tử,Hộ tịch,T01-XA\n"
)


def upload(page, base: str, text: str) -> None:
    open_page(page, f"{base}/admin/procedures/import")
    page.set_input_files(
        "input[name=file]", files=[{"name": "tthc.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    submit(page)


def procedure_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Procedure))


def test_procedure_csv_with_a_bad_row_then_a_good_one(browser_page, live_server, province, login_as):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    factories.user("admin@tinh.vn", "admin")
    login_as("admin@tinh.vn", factories.PASSWORD)

    upload(page, live_server, BAD_CSV)
    errors = page.inner_text("[data-testid=import-errors]")
    assert "Dòng 3: Mã thủ tục '1.0006'" in errors
    assert page.locator("text=Ghi vào danh mục").count() == 0
    shot(page, "console-import-errors.png")
    assert procedure_count() == 2

    upload(page, live_server, GOOD_CSV)
    assert "1 thủ tục thêm mới, 0 thay đổi, 0 ngừng áp dụng." in page.inner_text(
        "[data-testid=import-summary]"
    )
    shot(page, "console-import-preview.png")
    assert procedure_count() == 2  # previewing writes nothing
    submit(page, "text=Ghi vào danh mục")
    assert "Đã nhập danh mục: 1 thêm mới" in page.inner_text(".flash")
    assert procedure_count() == 3
    page.fill("input[name=q]", "khai tử")
    submit(page, "form[role=search] button")
    assert "1.000656" in page.inner_text("main table")
    shot(page, "console-procedures.png")


def test_secretary_creates_points_retires_one_and_its_scan_leads_on(
    browser_page, live_server, province, login_as
):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    factories.user("thuky@xa.vn", "head", province.commune_a)
    login_as("thuky@xa.vn", factories.PASSWORD)

    open_page(page, f"{live_server}/admin/survey-points/new?agency=T01-XA")
    page.check("input[name=per_procedure]")
    page.fill("input[name=counter]", "Quầy 3")
    submit(page)
    assert "Đã tạo 1 điểm khảo sát." in page.inner_text(".flash")
    shot(page, "console-points.png")

    open_page(page, f"{live_server}/admin/survey-points/{province.point_a.code}")
    shot(page, "console-point.png")
    page.click("text=Ngừng sử dụng điểm này")
    page.fill("input[name=replacement]", province.point_a_agency.code)
    shot(page, "console-point-retire.png")
    submit(page, "button.danger")
    assert "Ngừng sử dụng từ" in page.inner_text("[data-testid=point-status]")

    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, f"{live_server}/s/{province.point_a.code}")
    assert "Mã QR này đã ngừng sử dụng" in page.inner_text("h1")
    shot(page, "console-retired-scan.png")
    submit(page, f"a[href$='/s/{province.point_a_agency.code}']")
    assert "Nhìn chung, Ông/Bà hài lòng thế nào với sự phục vụ hôm nay?" in page.inner_text("main")
    db.session.expire_all()
    assert db.session.get(SurveyPoint, province.point_a.id).replacement_id == province.point_a_agency.id


def test_invite_token_log_questionnaire_and_help(browser_page, chromium, live_server, province, login_as):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    factories.user("admin@tinh.vn", "admin")
    login_as("admin@tinh.vn", factories.PASSWORD)

    open_page(page, f"{live_server}/admin/users/new")
    page.fill("input[name=email]", "thuky.moi@xa.vn")
    page.fill("input[name=full_name]", "Hoàng Thị Mai")
    page.select_option("select[name=role]", "head")
    page.select_option("select[name=agency]", "T01-XA")
    submit(page)
    link = page.inner_text("[data-testid=set-password-link]").replace(
        "https://hailong.example.vn", live_server
    )
    shot(page, "console-invite.png")

    invited = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
    invited.goto(link)
    invited.fill("input[name=password]", "mat-khau-rieng-2026")
    invited.fill("input[name=confirm]", "mat-khau-rieng-2026")
    invited.click("main button[type=submit]")
    invited.wait_for_load_state("load")
    assert "/login" in invited.url
    invited.context.close()

    open_page(page, f"{live_server}/admin/tokens/new")
    page.fill("input[name=name]", "Phần mềm một cửa của xã")
    page.select_option("select[name=agency]", "T01-XA")
    submit(page)
    assert page.inner_text("[data-testid=token-plain]").startswith("hlqr_")
    shot(page, "console-token.png")

    open_page(page, f"{live_server}/admin/log")
    assert "thuky.moi@xa.vn" in page.inner_text("table.log")
    shot(page, "console-log.png")

    open_page(page, f"{live_server}/admin/agencies/T01-XA/questionnaire")
    shot(page, "console-questionnaire.png")
    open_page(page, f"{live_server}/admin/questionnaire-versions/{province.version.id}/preview?agency=T01-XA")
    frame = page.frame_locator("iframe.phone")
    assert "Ủy ban nhân dân xã Hòa Bình" in frame.locator("main").inner_text()
    shot(page, "console-questionnaire-preview.png")

    open_page(page, f"{live_server}/admin/agencies")
    page.click("nav.console >> text=Trợ giúp")
    page.wait_for_load_state("load")
    assert "Hướng dẫn sử dụng" in page.inner_text("h1")
    assert page.locator(".guide img").count() >= 10
    assert page.evaluate("document.querySelector('.guide img').naturalWidth") > 0
