"""Vietnamese first; English through the compiled Flask-Babel catalogue."""

import os

from flask_babel import refresh

from survey import PROJECT_ROOT


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
