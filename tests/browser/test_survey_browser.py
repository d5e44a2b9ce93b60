"""The citizen's survey in Chromium at a 360×740 phone viewport: touch,
keyboard only, no JavaScript, 320 px, English, error summary, double submit,
and axe-core (WCAG 2.1 AA) on the form, the error state and the thank-you page.
Screenshots go to test-artifacts/survey/."""

import json
import os

import pytest

from survey import PROJECT_ROOT
from survey.extensions import db
from survey.models import Response

PHONE = {"width": 360, "height": 740}
ARTIFACTS = os.path.join(PROJECT_ROOT, "test-artifacts", "survey")
AXE = os.path.join(PROJECT_ROOT, "tests", "vendor", "axe.min.js")


@pytest.fixture
def phone(chromium):
    """A touch phone context (the harness page is a desktop-less 390 px one)."""
    contexts = []

    def _open(**options):
        context = chromium.new_context(
            viewport=options.pop("viewport", PHONE), has_touch=True, is_mobile=True, locale="vi-VN", **options
        )
        context.set_default_timeout(15_000)
        with open(AXE, encoding="utf-8") as handle:
            context.add_init_script(script=handle.read())  # via DevTools: no <script> in our pages
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def _shot(page, name: str) -> None:
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)


def _responses() -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(Response.id)))


def _axe(page, name: str) -> None:
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    bad = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    os.makedirs(ARTIFACTS, exist_ok=True)
    with open(os.path.join(ARTIFACTS, f"axe-{name}.json"), "w", encoding="utf-8") as handle:
        json.dump(result["violations"], handle, ensure_ascii=False, indent=1)
    assert bad == [], bad


def test_complete_by_touch(phone, live_server, province):
    page = phone()
    page.goto(f"{live_server}/s/{province.point_a.code}")
    assert page.locator(".unit").inner_text().startswith("Ủy ban nhân dân xã Hòa Bình")
    _axe(page, "form")
    _shot(page, "form")
    for question, value in (("Q1", "4"), ("Q3", "5"), ("Q5", "na"), ("Q9", "5")):
        page.locator(f"input[name={question}][value='{value}']").locator("xpath=..").tap()
    page.locator("textarea[name=Q10]").fill("Cán bộ hướng dẫn tận tình")
    page.locator("#send").tap()
    page.wait_for_url("**/cam-on**")
    assert "Cảm ơn Ông/Bà đã đánh giá!" in page.inner_text("h1")
    _axe(page, "thanks")
    _shot(page, "thanks")
    assert _responses() == 1


def test_complete_by_keyboard_only(phone, live_server, province):
    page = phone()
    page.goto(f"{live_server}/s/{province.point_a.code}")
    for _ in range(80):  # Tab through the page until the overall question's group
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "Q9":
            break
    page.keyboard.press("Space")  # selects the focused option (the first)
    page.keyboard.press("ArrowDown")  # then move within the group: option 2
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # option 4, "Hài lòng"
    page.keyboard.press("Tab")  # to the comment box
    page.keyboard.type("Nhanh gọn")
    page.keyboard.press("Tab")  # to the button
    assert page.evaluate("document.activeElement.id") == "send"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url("**/cam-on**")
    db.session.expire_all()
    stored = db.session.scalar(db.select(Response))
    assert (stored.overall, stored.comment) == (4, "Nhanh gọn")


def test_error_summary_keeps_answers_and_links_to_the_field(phone, live_server, province):
    page = phone()
    page.goto(f"{live_server}/s/{province.point_a.code}")
    page.check("input[name=Q2][value='3']")
    page.fill("textarea[name=Q10]", "Phải chờ lâu")
    page.click("#send")
    page.wait_for_selector("#error-summary")
    # Announced and focused: the browser applies autofocus at its next rendering
    # opportunity after the load, which a busy machine can put after the selector is found.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    assert page.is_checked("input[name=Q2][value='3']")
    assert page.input_value("textarea[name=Q10]") == "Phải chờ lâu"
    _axe(page, "errors")
    _shot(page, "errors")
    page.click("#error-summary a[href='#Q9-0']")
    assert page.evaluate("document.activeElement.id") == "Q9-0"
    page.keyboard.press("Space")
    page.click("#send")
    page.wait_for_url("**/cam-on**")
    assert _responses() == 1


def test_double_tap_and_back_resubmit_store_one_response(phone, live_server, province):
    page = phone()
    page.goto(f"{live_server}/s/{province.point_a.code}")
    page.check("input[name=Q9][value='4']")
    page.locator("#send").scroll_into_view_if_needed()
    box = page.locator("#send").bounding_box()
    # Raw mouse events: the second tap lands while the first one's navigation
    # is under way (an element click would wait for it, or fail as detached).
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/cam-on**")
    assert _responses() == 1
    page.go_back()  # the form is fetched again: it says the answer is already in
    assert "Ông/Bà vừa gửi đánh giá" in page.inner_text("h1")
    assert page.locator("#send").count() == 0
    _shot(page, "answered")
    page.click("text=Xem lại trang cảm ơn")
    page.wait_for_url("**/cam-on**")
    assert _responses() == 1


def test_works_without_javascript_at_320_px(chromium, live_server, province):
    context = chromium.new_context(
        viewport={"width": 320, "height": 640}, java_script_enabled=False, locale="vi-VN"
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server}/s/{province.point_a_agency.code}")
        # JavaScript is off for the page; Playwright's own evaluation still runs.
        assert page.evaluate("document.documentElement.scrollWidth") <= 320  # no sideways scrolling
        small = page.evaluate(
            "[...document.querySelectorAll('.opt, button, select, textarea')]"
            ".filter(e => e.getBoundingClientRect().height < 44).length"
        )
        assert small == 0  # every tap target at least 44 px high
        _shot(page, "form-320-nojs")
        page.select_option("select[name=Q0]", "1.000894")
        page.check("input[name=Q9][value='5']")
        page.click("#send")
        page.wait_for_url("**/cam-on**")
        assert "Cảm ơn" in page.inner_text("h1")
    finally:
        context.close()
    db.session.expire_all()
    assert db.session.scalar(db.select(Response.procedure_id)) == province.marriage.id


def test_english_switch(phone, live_server, province):
    page = phone()
    page.goto(f"{live_server}/s/{province.point_a.code}")
    page.click("text=English")
    assert page.get_attribute("html", "lang") == "en"
    assert "Overall, how satisfied are you with the service today?" in page.inner_text("main")
    page.check("input[name=Q9][value='2']")
    page.click("#send")
    page.wait_for_url("**/cam-on**")
    assert "Thank you for your feedback!" in page.inner_text("h1")
    assert "Would you like to be contacted?" in page.inner_text("main")
    _axe(page, "thanks-en")


def test_cached_form_page_in_chromium(phone, live_app, live_server, province, monkeypatch):
    """The second phone gets the cached page (survey/public/form_pages.py): Chromium inflates
    the stitched gzip stream, and its own CSRF token and nonce store its answer."""
    from survey.public import form_pages

    monkeypatch.setitem(live_app.config, "FORM_PAGE_CACHE_SECONDS", 600)
    form_pages.clear()
    try:
        url = f"{live_server}/s/{province.point_a.code}"
        phone().goto(url)  # renders and stores the page
        assert len(form_pages._pages) == 1  # the next phone is served from it
        fast = live_app.wsgi_app  # survey/public/fast_form.py: a first visit skips Flask
        answered = fast.answered
        page = phone()
        served = page.goto(url)
        assert served.headers["content-encoding"] == "gzip" and fast.answered == answered + 1
        assert page.locator(".unit").inner_text().startswith("Ủy ban nhân dân xã Hòa Bình")
        page.locator("input[name=Q9][value='4']").locator("xpath=..").tap()
        page.locator("#send").tap()
        page.wait_for_url("**/cam-on**")
        assert "Cảm ơn Ông/Bà đã đánh giá!" in page.inner_text("h1")
        assert _responses() == 1
    finally:
        form_pages.clear()
