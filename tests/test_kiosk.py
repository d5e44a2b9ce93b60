"""Kiosk mode: switched on by staff for one point; resets after each answer."""

import re

from survey.extensions import db
from survey.models import Response
from tests import factories
from tests.survey_helpers import submit


def test_kiosk_needs_staff_to_switch_it_on(client, province):
    page = client.get(f"/kiosk/{province.point_a.code}")
    assert page.status_code == 403
    assert "Chế độ kiosk chưa được bật" in page.text
    assert client.post(f"/kiosk/{province.point_a.code}/bat-dau").status_code == 302  # to the login page
    assert client.get(f"/kiosk/{province.point_a.code}").status_code == 403  # still off


def test_staff_outside_the_agency_cannot_switch_it_on(client, province, login):
    other = factories.user("canbo@xb.vn", "staff", province.commune_b)
    assert login(other).post(f"/kiosk/{province.point_a.code}/bat-dau").status_code == 404


def test_kiosk_answers_reset_and_are_recorded_as_kiosk(client, province, login, app):
    staff = factories.user("canbo@xa.vn", "staff", province.commune_a)
    login(staff).post(f"/kiosk/{province.point_a.code}/bat-dau")
    client.post("/logout")
    first = submit(
        client, province.point_a.code, {"Q9": "2", "Q10": "Bí mật của người trước"}, path="/kiosk/"
    )
    assert first.status_code == 302
    thanks = client.get(first.headers["Location"])
    refresh = re.search(r'<meta http-equiv="refresh" content="(\d+);url=([^"]+)">', thanks.text)
    assert refresh and int(refresh.group(1)) == app.config["KIOSK_RESET_SECONDS"]
    assert refresh.group(2) == f"/kiosk/{province.point_a.code}"
    assert "lien-he" not in thanks.text  # no contact details typed on a shared tablet
    assert thanks.headers["Cache-Control"] == "no-store"
    again = client.get(refresh.group(2))
    assert "Bí mật của người trước" not in again.text and "checked" not in again.text
    assert 'autocomplete="off"' in again.text and again.headers["Cache-Control"] == "no-store"
    for _ in range(4):  # one tablet, many citizens: no device burst on ordinary answers
        submit(client, province.point_a.code, {"Q9": "4"}, path="/kiosk/")
    channels = set(db.session.scalars(db.select(Response.channel)))
    assert channels == {"kiosk"} and db.session.scalar(db.select(db.func.count(Response.id))) == 5


def test_kiosk_top_ratings_have_their_own_burst_threshold(client, province, login, app, monkeypatch):
    from survey.models import ResponseExclusion

    monkeypatch.setitem(app.config, "BURST_DEVICE_TOP", 2)
    monkeypatch.setitem(app.config, "BURST_KIOSK_TOP", 4)
    login(factories.user("canbo@xa.vn", "staff", province.commune_a)).post(
        f"/kiosk/{province.point_a.code}/bat-dau"
    )
    client.post("/logout")
    for _ in range(3):  # three happy citizens in a row at the counter: normal
        submit(client, province.point_a.code, {"Q9": "5"}, path="/kiosk/")
    assert db.session.scalar(db.select(db.func.count(ResponseExclusion.id))) == 0
    submit(client, province.point_a.code, {"Q9": "5"}, path="/kiosk/")  # the fourth within minutes: review
    reasons = db.session.scalars(db.select(ResponseExclusion.reason)).all()
    assert reasons == ["burst_device"] * 4
