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


def test_switching_a_tablet_to_kiosk_mode_leaves_no_staff_login_on_it(client, province, login):
    """The tablet is the citizens' once it is a kiosk: the member of staff who switched it
    on is logged out there, or the next citizen could open the cases and their comments."""
    login(factories.user("canbo@xa.vn", "staff", province.commune_a))
    assert client.get("/cases").status_code == 200
    switched = client.post(f"/kiosk/{province.point_a.code}/bat-dau")
    assert switched.headers["Location"] == f"/kiosk/{province.point_a.code}"
    cases = client.get("/cases")
    assert cases.status_code == 302 and "/login" in cases.headers["Location"]
    assert client.get(f"/kiosk/{province.point_a.code}").status_code == 200  # the kiosk itself works


def test_the_survey_address_on_a_kiosk_tablet_leads_back_to_the_kiosk(client, province, login):
    """From the privacy notice ("back to the survey": /s/<code>), the tablet returns to its
    kiosk form, which resets itself; an answer posted to /s/ is kept as a kiosk answer."""
    login(factories.user("canbo@xa.vn", "staff", province.commune_a)).post(
        f"/kiosk/{province.point_a.code}/bat-dau"
    )
    code = province.point_a.code
    privacy = client.get(f"/quyen-rieng-tu?p={code}")
    back = re.search(r'href="(/s/[^"]+)"', privacy.text).group(1)
    page = client.get(back)
    assert page.status_code == 302 and page.headers["Location"] == f"/kiosk/{code}"
    assert client.get(f"/S/{code}").headers["Location"] == f"/kiosk/{code}"
    nonce = re.search(r'name="nonce" type="hidden" value="([^"]+)"', client.get(f"/kiosk/{code}").text).group(
        1
    )
    posted = client.post(f"/s/{code}", data={"nonce": nonce, "Q9": "1"})
    assert posted.status_code == 307 and posted.headers["Location"] == f"/kiosk/{code}"
    stored = client.post(posted.headers["Location"], data={"nonce": nonce, "Q9": "1"})
    assert stored.headers["Location"] == f"/kiosk/{code}/cam-on"  # no contact step on a shared tablet
    assert db.session.scalars(db.select(Response.channel)).all() == ["kiosk"]
    other = province.point_b.code  # another point's survey is not this kiosk's
    assert client.get(f"/s/{other}").status_code == 200
