"""Abuse resistance: suspicious answers are kept and marked, never dropped."""

from datetime import datetime

import pytest

from survey import antiabuse, create_app
from survey.extensions import db, limiter
from survey.models import Response, ResponseExclusion
from survey.public import citizen_limits
from survey.summaries import summarise
from tests.conftest import TEST_CONFIG
from tests.plans import generic_plan
from tests.survey_helpers import submit


def _exclusions() -> list[tuple[int, str]]:
    rows = db.session.execute(
        db.select(ResponseExclusion.response_id, ResponseExclusion.reason).order_by(ResponseExclusion.id)
    )
    return [tuple(row) for row in rows]


@pytest.fixture
def configured(app):
    saved = dict(app.config)

    def _set(**values):
        app.config.update(values)

    yield _set
    app.config.clear()
    app.config.update(saved)


def test_burst_of_top_ratings_from_one_device_is_excluded_pending_review(client, province, configured):
    configured(BURST_DEVICE_TOP=3, BURST_NETWORK_TOP=100)
    for _ in range(2):
        submit(client, province.point_a.code, {"Q9": "5"})
    assert _exclusions() == []
    submit(client, province.point_a.code, {"Q9": "5"})
    ids = sorted(db.session.scalars(db.select(Response.id)))
    assert _exclusions() == [(i, "burst_device") for i in ids]  # the whole burst, once each
    assert all(e.pending_review for e in db.session.scalars(db.select(ResponseExclusion)))
    submit(client, province.point_a.code, {"Q9": "3"})  # not a top rating: not part of a burst
    assert len(_exclusions()) == 3
    figures = summarise([province.commune_a.id])
    assert (figures.responses, figures.counted) == (4, 1)  # kept, but not counted


def test_other_devices_on_one_network_are_a_network_burst(app, province, configured):
    configured(BURST_DEVICE_TOP=100, BURST_NETWORK_TOP=3)
    for _ in range(3):
        submit(app.test_client(), province.point_a.code, {"Q9": "5"})  # a new cookie jar: new device
    assert [reason for _, reason in _exclusions()] == ["burst_network"] * 3
    devices = set(db.session.scalars(db.select(Response.device_key)))
    assert len(devices) == 3 and None not in devices


def test_no_raw_ip_address_is_stored(client, province):
    submit(client, province.point_a.code, {"Q9": "4"}, **{"X-Forwarded-For": "203.0.113.7"})
    response = db.session.scalar(db.select(Response))
    stored = " ".join(str(getattr(response, c.key)) for c in Response.__table__.columns)
    assert "127.0.0.1" not in stored and "203.0.113.7" not in stored
    assert len(response.network_key) == 32


def test_answer_outside_opening_hours_is_flagged(client, province, configured):
    configured(OPENING_HOURS="07:00-07:01", OPENING_DAYS="1")
    assert antiabuse.out_of_hours(datetime(2026, 12, 1, 3, 0), "07:00-17:30", "1-6") is False  # Tue 10:00 ICT
    assert antiabuse.out_of_hours(datetime(2026, 12, 1, 14, 0), "07:00-17:30", "1-6") is True  # Tue 21:00 ICT
    assert antiabuse.out_of_hours(datetime(2026, 12, 6, 3, 0), "07:00-17:30", "1-5") is True  # Sunday
    submit(client, province.point_a.code, {"Q9": "4"})
    assert [reason for _, reason in _exclusions()] == ["out_of_hours"]


def test_rate_limit_per_device_gives_a_friendly_page(database_url, province):
    limited = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_SUBMIT_DEVICE": "2 per minute",
        }
    )
    client = limited.test_client()
    try:
        statuses = [submit(client, province.point_a.code, {"Q9": "4"}).status_code for _ in range(3)]
        page = submit(client, province.point_a.code, {"Q9": "4"})
    finally:
        limiter.reset()
        limiter.enabled = False  # the extension is shared with the session's app
        with limited.app_context():
            db.engine.dispose()
    assert statuses == [302, 302, 429]
    assert page.status_code == 429
    assert "Quá nhiều lần gửi" in page.text and "Vui lòng thử lại sau ít phút" in page.text
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 2


def test_an_unreachable_limit_storage_does_not_stop_the_survey(database_url, province):
    """RATELIMIT_STORAGE_URI=redis://... that does not answer: counted in memory meanwhile."""
    limited = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:9/0",  # nothing listens there
            "RATELIMIT_SUBMIT_DEVICE": "2 per minute",
        }
    )
    client = limited.test_client()
    try:
        page = client.get(f"/s/{province.point_a.code}")
        statuses = [submit(client, province.point_a.code, {"Q9": "4"}).status_code for _ in range(3)]
    finally:
        citizen_limits.reset_fallback()
        limiter.enabled = False  # the extension is shared with the session's app
        with limited.app_context():
            db.engine.dispose()
    assert page.status_code == 200
    assert statuses == [302, 302, 429]  # the device limit still holds, counted in memory


def test_page_views_per_network_are_limited_across_both_code_forms(database_url, province):
    """RATELIMIT_FORM_NETWORK counts every view of a network, /s/ and the QR's /S/ alike
    (survey/public/citizen_limits.py), other networks apart."""
    limited = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_FORM_NETWORK": "3 per minute",
        }
    )
    code = province.point_a.code
    try:
        client = limited.test_client()
        statuses = [client.get(path).status_code for path in (f"/s/{code}", f"/S/{code}", f"/s/{code}")]
        over = client.get(f"/S/{code}")
        elsewhere = client.get(f"/s/{code}", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    finally:
        limiter.reset()
        limiter.enabled = False  # the extension is shared with the session's app
        with limited.app_context():
            db.engine.dispose()
    assert statuses == [200, 200, 200] and over.status_code == 429
    assert "Vui lòng thử lại sau ít phút" in over.text
    assert elsewhere.status_code == 200


def test_each_half_of_the_burst_check_reads_its_own_index(app, province):
    # Made here on a near-empty table, as on a new server, where it used to read one
    # half through the other half's index: every top rating of the window, not one device's.
    plan = generic_plan(antiabuse.TOP_RATINGS_FROM)
    device_half, network_half = plan.split("ix_responses_top_")[1:3]
    assert device_half.startswith("device") and network_half.startswith("network"), plan
    assert "device_key" in device_half and "network_key" in network_half
