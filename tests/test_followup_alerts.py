"""Dissatisfaction spikes: recorded at once, shown on the agency's pages,
emailed through a real (local) SMTP server."""

import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from survey.extensions import db
from survey.followup import settings as followup_settings
from survey.followup.alerts import is_spike
from survey.models import Alert, Response
from tests import factories


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
