"""Dissatisfaction spikes: recorded at once, shown on the agency's pages,
emailed through a real (local) SMTP server."""

import re
import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from survey.extensions import db
from survey.followup import alerts
from survey.followup import settings as followup_settings
from survey.followup.alerts import is_spike
from survey.models import Alert, QuestionnaireVersion, Response
from survey.models.types import utcnow
from survey.public import after_commit
from tests import factories
from tests.plans import generic_plan


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp(app, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_FROM", "hailong@tinh.vn")
    yield inbox
    controller.stop()


def _duty_officer(agency, email="truc@xa.vn", **rules):
    values = {**followup_settings.defaults().__dict__, "duty_officer_email": email, **rules}
    followup_settings.save(agency.id, values, None)


def test_spike_rule():
    assert is_spike(4, 2, 4, 0.5)
    assert not is_spike(3, 3, 4, 0.5)
    assert not is_spike(10, 4, 4, 0.5)


def test_half_unhappy_among_four_answers_raises_point_and_agency_alerts(client, login, province):
    for overall in (5, 1, 2):
        factories.answer(province.point_a, overall=overall)
    assert db.session.scalar(db.select(db.func.count(Alert.id))) == 0
    factories.answer(province.point_a, overall=4)
    alerts = db.session.scalars(db.select(Alert).order_by(Alert.level)).all()
    assert [(a.level, a.answers, a.unhappy) for a in alerts] == [("agency", 4, 2), ("point", 4, 2)]
    factories.answer(province.point_a, overall=1)  # same window: no second alert
    assert db.session.scalar(db.select(db.func.count(Alert.id))) == 2

    head = factories.user("lanhdao@xa.vn", "head", province.commune_a)
    login(head)
    page = client.get(f"/agencies/{province.commune_a.code}").text
    assert page.count('data-testid="alert"') == 2 and "2/4" in page
    ack = client.post(f"/alerts/{alerts[0].id}/ack")
    assert ack.status_code == 302
    assert client.get(f"/agencies/{province.commune_a.code}").text.count('data-testid="alert"') == 1


def test_answers_outside_the_window_do_not_count(province):
    for overall in (1, 1, 1):
        old = factories.answer(province.point_a, overall=overall)
        old.submitted_at -= timedelta(minutes=20)
    db.session.commit()
    factories.answer(province.point_a, overall=1)
    assert db.session.scalar(db.select(db.func.count(Alert.id))) == 0


def test_agency_level_alert_across_points(province):
    factories.answer(province.point_a, overall=1)
    factories.answer(province.point_a, overall=1)
    factories.answer(province.point_a_agency, overall=1)
    factories.answer(province.point_a_agency, overall=5)
    levels = db.session.scalars(db.select(Alert.level)).all()
    assert levels == ["agency"]


def test_thresholds_are_configurable(province):
    _duty_officer(province.commune_a, alert_min_answers=2, alert_unhappy_share=1.0)
    factories.answer(province.point_a, overall=1)
    factories.answer(province.point_a, overall=2)
    assert db.session.scalar(db.select(db.func.count(Alert.id))) == 2


def test_alert_is_emailed_to_the_duty_officer(smtp, province):
    _duty_officer(province.commune_a)
    for overall in (1, 1, 2, 5):
        factories.answer(province.point_a, overall=overall)
    assert len(smtp.messages) == 2
    recipients, message = smtp.messages[0]
    assert recipients == ["truc@xa.vn"] and message["From"] == "hailong@tinh.vn"
    assert "không hài lòng" in message["Subject"]
    body = message.get_content()
    assert "3/4" in body and f"https://hailong.example.vn/agencies/{province.commune_a.code}" in body
    assert all(a.emailed_at is not None for a in db.session.scalars(db.select(Alert)))


def test_check_alerts_command_finds_spikes_and_retries_email(smtp, runner, app, monkeypatch, province):
    _duty_officer(province.commune_b)
    port = app.config["SMTP_PORT"]
    monkeypatch.setitem(app.config, "SMTP_PORT", 1)  # the relay is down while citizens answer
    for overall in (1, 1, 1, 1):
        factories.answer(province.point_b, overall=overall)
    assert smtp.messages == [] and db.session.scalar(db.select(db.func.count(Alert.id))) == 2
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    result = runner.invoke(args=["check-alerts"])
    assert result.exit_code == 0 and "email đã gửi: 2" in result.output
    assert len(smtp.messages) == 2


def test_check_alerts_command_records_a_spike_that_no_request_checked(runner, province):
    rows = [factories.answer(province.point_b, overall=1) for _ in range(4)]
    db.session.execute(db.delete(Alert))
    db.session.commit()
    assert all(db.session.get(Response, r.id) for r in rows)
    result = runner.invoke(args=["check-alerts"])
    assert result.exit_code == 0 and "Cảnh báo mới: 2" in result.output


def _answers(province, first: int, count: int, at, overall) -> list[dict]:
    version = db.session.scalar(db.select(QuestionnaireVersion.id))
    point = province.point_a
    return [
        {
            "nonce": f"plan-{n}",
            "survey_point_id": point.id,
            "agency_id": point.agency_id,
            "questionnaire_id": version,
            "submitted_at": at(n),
            "channel": "qr",
            "overall": overall(n),
            "locale": "vi",
            "is_demo": False,
        }
        for n in range(first, first + count)
    ]


def test_the_spike_gate_reads_only_unhappy_answers_whatever_the_statistics(app, province):
    """A department using the service alone, with a long history the server has
    analyzed, then a burst of happy answers it has not: the gate's prepared plan
    must still walk the partial index of unhappy answers of that agency in the
    window, not every answer of the window by date (which PostgreSQL chose, and
    then read thousands of rows at every submit: docs/survey.md, Speed)."""
    now = utcnow()
    history = _answers(
        province, 0, 20_000, lambda n: now - timedelta(days=1, minutes=5 * n), lambda n: n % 5 + 1
    )
    db.session.execute(db.insert(Response), history)
    db.session.commit()
    db.session.execute(db.text("ANALYZE"))
    burst = _answers(province, 20_000, 3_000, lambda n: now - timedelta(seconds=n % 3_000 / 10), lambda n: 5)
    db.session.execute(db.insert(Response), burst)
    db.session.commit()

    gate_rows, gate_and_burst = after_commit._statements(3)
    for plan in (generic_plan(gate_rows), generic_plan(gate_and_burst)):
        gate = plan.split("ix_responses_unhappy")
        assert len(gate) == 2, plan
        assert "ix_responses_submitted_at" not in plan and "ix_responses_agency_submitted" not in plan, plan
        # Both ends of the window bound the index scan: (agency, since) < entry <= (agency, now).
        assert re.search(r"\(?agency_id, ?submitted_at\)?\s*>", gate[1], re.IGNORECASE), plan
        assert re.search(r"\(?agency_id, ?submitted_at\)?\s*<", gate[1], re.IGNORECASE), plan


def test_the_gate_counts_the_agency_s_unhappy_answers_in_the_window_and_nothing_else(province):
    """The window as bounds on (agency, time) selects exactly what "this agency,
    since < time <= now" does: not the neighbours' answers just before or after
    in that order, nor the agency's own just outside the window, nor happy ones."""
    now, since = utcnow(), utcnow() - timedelta(minutes=60)
    inside, edge = now - timedelta(minutes=30), since
    rows = [
        (province.point_a, inside, 1),  # counted
        (province.point_a, now, 2),  # counted: the window includes now
        (province.point_a, edge, 1),  # not counted: the window starts after `since`
        (province.point_a, now + timedelta(seconds=1), 1),  # after now
        (province.point_a, inside, 3),  # neutral
        (province.point_b, inside, 1),  # another agency
        (province.point_b, now - timedelta(days=400), 1),
        (province.point_b, now + timedelta(days=400), 1),
    ]
    db.session.execute(db.insert(Response), [_one(province, n, *row) for n, row in enumerate(rows)])
    db.session.commit()
    counted = db.session.execute(
        alerts.unhappy_rows(100), {"agency_id": province.point_a.agency_id, "since": since, "now": now}
    ).scalars()
    assert len(list(counted)) == 2
    fewer = alerts.unhappy_rows(1)  # at most what a spike needs
    assert (
        len(
            db.session.execute(
                fewer, {"agency_id": province.point_a.agency_id, "since": since, "now": now}
            ).all()
        )
        == 1
    )


def _one(province, n, point, at, overall) -> dict:
    return _answers(province, n, 1, lambda _: at, lambda _: overall)[0] | {
        "survey_point_id": point.id,
        "agency_id": point.agency_id,
    }
