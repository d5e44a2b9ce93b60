"""Vietnamese first; English through the compiled Flask-Babel catalogue."""

import os

from flask_babel import refresh

from survey import PROJECT_ROOT
from survey.i18n import LANG_COOKIE
from tests.test_authz_matrix import sign_in
from tests.web_pages import authz_world, fetch, html_get_routes, url_for_route


def test_vietnamese_is_the_default(client, province):
    page = client.get(f"/s/{province.point_a.code}")
    assert '<html lang="vi">' in page.text
    assert "Gửi đánh giá" in page.text


def test_accept_language_english_translates_interface_and_questions(client, province):
    page = client.get(f"/s/{province.point_a.code}", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in page.text
    assert "Send my answers" in page.text
    assert "Overall, how satisfied are you with the service today?" in page.text
    assert "Gửi đánh giá" not in page.text


def _next_request() -> None:
    # The test keeps one app context across requests, where flask-babel caches
    # the locale; a real server has a fresh context per request.
    refresh()


def test_visible_switch_sets_a_cookie_that_wins_over_the_browser(client, province):
    switched = client.get(f"/s/{province.point_a.code}?lang=en", headers={"Accept-Language": "vi"})
    assert "Send my answers" in switched.text
    _next_request()
    later = client.get(f"/s/{province.point_a.code}", headers={"Accept-Language": "vi"})
    assert "Send my answers" in later.text
    _next_request()
    back = client.get(f"/s/{province.point_a.code}?lang=vi")
    assert "Gửi đánh giá" in back.text


def test_every_english_message_is_translated():
    from babel.messages.pofile import read_po

    path = os.path.join(PROJECT_ROOT, "translations", "en", "LC_MESSAGES", "messages.po")
    with open(path, "rb") as source:
        catalogue = read_po(source, locale="en")
    untranslated = [m.id for m in catalogue if m.id and not m.string]
    assert untranslated == []


def test_every_english_message_formats_as_its_vietnamese_does():
    """Templates run every message through "%" formatting (Jinja's newstyle gettext):
    an English "95 % confidence interval" where the Vietnamese said "95 phần trăm"
    turned every summary page into a 500 in English. A message that formats in
    Vietnamese must format in English, and "%%" only where the Vietnamese has it
    (Python code formats a message only when it is given values)."""
    from babel.messages.pofile import read_po

    class AnyValue(dict):
        def __missing__(self, _key):
            return 1

    def formats(text: str) -> bool:
        try:
            text % AnyValue()
        except (TypeError, ValueError):
            return False
        return True

    path = os.path.join(PROJECT_ROOT, "translations", "en", "LC_MESSAGES", "messages.po")
    with open(path, "rb") as source:
        catalogue = read_po(source, locale="en")
    wrong = [
        (message.id, message.string)
        for message in catalogue
        if message.id and message.string
        if (formats(message.id) and not formats(message.string))
        or ("%%" in message.string and "%%" not in message.id)
    ]
    assert wrong == []


def test_every_page_renders_in_english(app, client):
    """Every page an administrator can open, in English, with rates shown (a minimum
    sample of 1): no server error, and the page is in English."""
    world = authz_world.build()
    sign_in(client, world.users["admin"])
    client.set_cookie(LANG_COOKIE, "en")
    broken = []
    minimum, app.config["MIN_SAMPLE"] = app.config["MIN_SAMPLE"], 1
    try:
        for endpoint in html_get_routes(app):
            _next_request()
            url = url_for_route(app, endpoint, world, world.agencies["T01-XA"])
            response = fetch(client, url)
            body = response.get_data().decode(errors="replace")  # images and PDFs too
            if response.status_code >= 500:
                broken.append(f"{url}: {response.status_code}")
            elif response.mimetype == "text/html" and '<html lang="vi"' in body:
                broken.append(f"{url}: in Vietnamese")
    finally:
        app.config["MIN_SAMPLE"] = minimum
    assert broken == []
