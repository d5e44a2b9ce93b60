"""The WSGI-level submit (survey/public/fast_submit.py) beside the view it
stands in for: same reply, same session, same stored rows, same limits; and
everything it is not sure about still reaches the view."""

import json
import logging
import re

import pytest

from survey import create_app
from survey.extensions import db, limiter
from survey.logs import LOGGER_NAME
from survey.models import Answer, Response
from survey.retirement import retire_point
from tests.conftest import TEST_CONFIG
from tests.survey_helpers import ANSWERS, FlaskSaw, fresh_form, nonce_of

PER_REQUEST = {"x-request-id", "set-cookie", "location", "content-length"}


def _session(app, reply) -> dict:
    cookie = next(v for k, v in reply.headers.items() if k == "Set-Cookie" and v.startswith("session="))
    return app.session_interface.get_signing_serializer(app).loads(cookie.split(";")[0].split("=", 1)[1])


def _row(response: Response) -> tuple:
    columns = {c.name: getattr(response, c.name) for c in Response.__table__.columns}
    for per_answer in ("id", "nonce", "submitted_at"):
        columns.pop(per_answer)
    answers = db.session.scalars(
        db.select(Answer).where(Answer.response_id == response.id).order_by(Answer.id)
    )
    return columns, [(a.question_id, a.value, a.not_applicable, a.scale, a.label) for a in answers]


def _constant_headers(reply) -> list:
    return sorted((k, v) for k, v in reply.headers.items() if k.lower() not in PER_REQUEST)


def test_a_plain_submit_is_answered_like_the_view_without_flask(app, client, province):
    code = province.point_a.code
    with FlaskSaw(app) as flask_saw:
        fast = client.post(f"/s/{code}", data={"nonce": fresh_form(client, code), **ANSWERS})
        fast_session = _session(app, fast)
        client.set_cookie("another", "1")  # a cookie the fast path does not know: the view answers
        full = client.post(f"/s/{code}", data={"nonce": fresh_form(client, code), **ANSWERS})
    assert flask_saw.posts() == 1  # the second one only
    assert fast.status_code == full.status_code == 302
    for reply in (fast, full):
        assert re.fullmatch(rf"/s/{code}/cam-on\?t=[\w.-]+", reply.headers["Location"])
    assert _constant_headers(fast) == _constant_headers(full)
    assert fast.text.replace(fast.headers["Location"], "") == full.text.replace(full.headers["Location"], "")
    token = fast.headers["Location"].split("t=")[1]
    assert fast_session["answered"] == {code: token}
    assert set(fast_session) == set(_session(app, full))
    first, second = db.session.scalars(db.select(Response).order_by(Response.id)).all()
    assert _row(first) == _row(second)  # device, network, locale, overall, comment, every answer
    assert len(_row(first)[1]) == 9
    thanks = client.get(fast.headers["Location"])
    assert thanks.status_code == 200
    again = client.get(f"/s/{code}")  # back to the form: "already sent", as after the view
    assert again.status_code == 200 and 'name="nonce"' not in again.text


def test_a_first_time_browser_gets_its_device_cookie_and_english_is_kept(app, province):
    code = province.point_a.code
    replies = []
    with FlaskSaw(app) as flask_saw:
        for extra_cookie in (None, "another"):
            client = app.test_client()
            if extra_cookie:
                client.set_cookie(extra_cookie, "1")
            data = {"nonce": f"first-visit-{extra_cookie}", **ANSWERS}
            replies.append(
                client.post(f"/s/{code}", data=data, headers={"Accept-Language": "en-GB,en;q=0.9"})
            )
    assert flask_saw.posts() == 1
    for reply in replies:
        cookies = [v for k, v in reply.headers.items() if k == "Set-Cookie"]
        assert any(c.startswith("hl_d=") and "HttpOnly" in c and "Max-Age=31536000" in c for c in cookies)
    assert [r.locale for r in db.session.scalars(db.select(Response))] == ["en", "en"]


def test_a_double_tap_stores_one_response_and_both_replies_name_it(client, province):
    code = province.point_a.code
    data = {"nonce": fresh_form(client, code), **ANSWERS}
    first, second = client.post(f"/s/{code}", data=data), client.post(f"/s/{code}", data=data)
    assert first.status_code == second.status_code == 302
    assert (
        first.headers["Location"].split("t=")[1].split(".")[0]
        == second.headers["Location"].split("t=")[1].split(".")[0]
    )
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


def test_what_the_fast_path_is_unsure_of_reaches_the_view(app, client, province):
    code = province.point_a.code
    retired = province.point_b.code
    retire_point(province.point_b)
    db.session.commit()
    with FlaskSaw(app) as flask_saw:
        incomplete = client.post(f"/s/{code}", data={"nonce": fresh_form(client, code), "Q1": "4"})
        unknown = client.post("/s/KHONGCO1", data={"nonce": "x1", **ANSWERS})
        gone = client.post(f"/s/{retired}", data={"nonce": "x2", **ANSWERS})
        with_query = client.post(f"/s/{code}?lang=en", data={"nonce": "x3", **ANSWERS})
    assert flask_saw.posts() == 4
    assert incomplete.status_code == 422 and 'value="4"' in incomplete.text  # answers kept
    assert unknown.status_code == 404 and gone.status_code == 410
    assert with_query.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


@pytest.fixture
def make_app(database_url):
    made = []

    def make(**config):
        made.append(create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **config}))
        return made[-1]

    yield make
    limiter.enabled = False  # the extension is shared with the session's app
    for app in made:
        with app.app_context():
            db.engine.dispose()


def test_the_csrf_token_is_checked_as_the_form_checks_it(make_app, province):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    code = province.point_a.code
    page = client.get(f"/s/{code}").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    with FlaskSaw(app) as flask_saw:
        forged = client.post(
            f"/s/{code}", data={"nonce": nonce_of(page), "csrf_token": token + "x", **ANSWERS}
        )
        missing = client.post(f"/s/{code}", data={"nonce": nonce_of(page), **ANSWERS})
        assert flask_saw.posts() == 2
        good = client.post(f"/s/{code}", data={"nonce": nonce_of(page), "csrf_token": token, **ANSWERS})
        assert flask_saw.posts() == 2
    assert forged.status_code == missing.status_code == 422 and 'value="4"' in forged.text
    assert good.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


def test_rate_limits_count_fast_submits_in_the_views_buckets(make_app, province):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_SUBMIT_DEVICE="2 per minute")
    client = app.test_client()
    code = province.point_a.code
    try:
        with FlaskSaw(app) as flask_saw:
            statuses = [
                client.post(f"/s/{code}", data={"nonce": fresh_form(client, code), **ANSWERS}).status_code
                for _ in range(3)
            ]
    finally:
        limiter.reset()
    assert statuses == [302, 302, 429]
    assert flask_saw.posts() == 1  # the refused one: the view gives the friendly page
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 2


def test_a_staff_session_is_left_to_the_view(app, client, province, login):
    from tests import factories

    login(factories.user("admin@example.vn", "admin"))
    code = province.point_a.code
    with FlaskSaw(app) as flask_saw:
        reply = client.post(f"/s/{code}", data={"nonce": fresh_form(client, code), **ANSWERS})
    assert reply.status_code == 302 and flask_saw.posts() == 1


def test_one_log_line_per_fast_submit(client, province, capsys):
    logging.getLogger(LOGGER_NAME).disabled = False  # Alembic's setup in the app fixture disables it
    code = province.point_a.code
    nonce = fresh_form(client, code)
    capsys.readouterr()
    reply = client.post(
        f"/S/{code}", data={"nonce": nonce, **ANSWERS}, headers={"X-Request-ID": "proxy-id-12345"}
    )
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    assert reply.status_code == 302 and reply.headers["X-Request-ID"] == "proxy-id-12345"
    assert [(e["rule"], e["endpoint"], e["status"], e["request_id"]) for e in lines] == [
        ("/S/<code>", "public.survey_from_qr", 302, "proxy-id-12345")
    ]
    assert code not in json.dumps(lines)


def test_a_database_error_before_storing_leaves_the_answer_to_the_view(app, client, province, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from survey.public import point_ref

    def database_down(code):
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(point_ref, "find_point_ref", database_down)  # the fast path's import only
    code = province.point_a.code
    with FlaskSaw(app) as flask_saw:
        reply = client.post(f"/s/{code}", data={"nonce": fresh_form(client, code), **ANSWERS})
    assert reply.status_code == 302 and flask_saw.posts() == 1
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


@pytest.mark.parametrize("last", ["4", "5"])  # the gate alone, and the gate beside the burst check
def test_unhappy_answers_through_the_fast_submit_raise_the_spike_alerts(app, client, province, last):
    from survey.models import Alert

    code = province.point_a.code
    with FlaskSaw(app) as flask_saw:
        for overall in ("1", "2", "4", last):
            answers = {**ANSWERS, "Q9": overall}
            assert (
                client.post(f"/s/{code}", data={"nonce": fresh_form(client, code), **answers}).status_code
                == 302
            )
    assert flask_saw.posts() == 0
    alerts = db.session.scalars(db.select(Alert).order_by(Alert.level)).all()
    assert [(a.level, a.answers, a.unhappy) for a in alerts] == [("agency", 4, 2), ("point", 4, 2)]


def test_submits_per_network_are_limited_across_both_code_forms_and_both_paths(make_app, province):
    """RATELIMIT_SUBMIT_NETWORK counts every submit of a network (survey/public/citizen_limits.py),
    /s/ and the QR's /S/ alike, whether the WSGI-level submit or the view answers; other networks apart."""
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_SUBMIT_NETWORK="3 per minute")
    code = province.point_a.code
    statuses = []
    try:
        with FlaskSaw(app) as flask_saw:
            for n, path in enumerate(("/s/", "/S/", "/s/", "/S/")):
                client = app.test_client()  # a new phone each time, on one network
                if n == 1:
                    client.set_cookie("another", "1")  # this one through the view
                data = {"nonce": f"net-{n}", **ANSWERS}
                statuses.append(client.post(f"{path}{code}", data=data).status_code)
            elsewhere = app.test_client().post(
                f"/s/{code}",
                data={"nonce": "net-other", **ANSWERS},
                environ_base={"REMOTE_ADDR": "203.0.113.9"},
            )
    finally:
        limiter.reset()
    assert statuses == [302, 302, 302, 429]
    assert elsewhere.status_code == 302
    assert flask_saw.posts() == 2  # the one with the extra cookie, and the refused one's friendly page
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 4


def _count_lookups(monkeypatch) -> list[str]:
    from survey.public import point_ref

    looked_up, find = [], point_ref.find_point_ref

    def counting(code, connection=None):
        looked_up.append(code)
        return find(code, connection)

    monkeypatch.setattr(point_ref, "find_point_ref", counting)
    return looked_up


def test_a_worker_keeps_the_point_and_the_insert_checks_it_is_still_so(app, client, province, monkeypatch):
    """After one submit the worker does not look the point up again (one statement less per
    submit); if it has been retired meanwhile, nothing is stored and the view says so."""
    looked_up = _count_lookups(monkeypatch)
    code = province.point_a.code
    for _ in range(3):
        assert (
            client.post(f"/s/{code}", data={"nonce": fresh_form(client, code), **ANSWERS}).status_code == 302
        )
    assert looked_up == [code]
    retire_point(province.point_a)
    db.session.commit()
    with FlaskSaw(app) as flask_saw:
        gone = client.post(f"/s/{code}", data={"nonce": "after-retirement", **ANSWERS})
    assert gone.status_code == 410 and flask_saw.posts() == 1
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 3


def test_a_point_moved_to_another_agency_is_stored_under_its_new_agency(app, client, province, monkeypatch):
    """An agency merge moves points: a worker's kept copy is refused by the insert's check,
    the view stores the answer where the point is now, and the worker keeps the new copy."""
    looked_up = _count_lookups(monkeypatch)
    code = province.point_b.code
    client.post(f"/s/{code}", data={"nonce": fresh_form(client, code), **ANSWERS})
    province.point_b.agency_id = province.commune_a.id
    db.session.commit()
    with FlaskSaw(app) as flask_saw:
        for _ in range(2):
            client.post(f"/s/{code}", data={"nonce": fresh_form(client, code), **ANSWERS})
    assert flask_saw.posts() == 1  # the first after the move; the next one is fast again
    agencies = db.session.scalars(db.select(Response.agency_id).order_by(Response.id)).all()
    assert agencies == [province.commune_b.id, province.commune_a.id, province.commune_a.id]
    assert looked_up == [code, code]
