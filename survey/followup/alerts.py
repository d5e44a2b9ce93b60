"""Dissatisfaction spikes: at least a share of unhappy answers (overall 1
or 2) among at least N answers within a window, at a survey point or an
agency. Checked right after each stored response and by `check-alerts`.

An alert is a row (shown at once on the agency's pages) and, when SMTP is
configured and the agency has a duty officer, an email.
"""

import logging
import math
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, case, func, literal_column, select, text, tuple_, update

from survey.extensions import db
from survey.followup import mail
from survey.followup import settings as followup_settings
from survey.models import Agency, Alert, FollowupSettings, Response, SurveyPoint
from survey.models.followup import LEVEL_AGENCY, LEVEL_POINT
from survey.models.types import utcnow

log = logging.getLogger("survey.followup.alerts")

UNHAPPY_MAX = 2  # "Không hài lòng" or "Rất không hài lòng"
# A literal, not a bound parameter, so that both engines use the partial
# index ix_responses_unhappy (whose predicate it must match).
UNHAPPY_SQL = text(f"responses.overall <= {UNHAPPY_MAX}")


def is_spike(answers: int, unhappy: int, min_answers: int, share: float) -> bool:
    """Pure rule: enough answers and at least `share` of them unhappy."""
    return answers >= min_answers and answers > 0 and unhappy / answers >= share


def _counts(agency_id: int, point_id: int, since: datetime, now: datetime) -> dict[str, tuple[int, int]]:
    """(answers, unhappy) at the point and at its agency, in one indexed
    query: a point's responses are a subset of its agency's."""
    unhappy = Response.overall <= UNHAPPY_MAX
    at_point = Response.survey_point_id == point_id
    stmt = select(
        func.count(Response.id),
        func.count(case((unhappy, 1))),
        func.count(case((at_point, 1))),
        func.count(case((at_point & unhappy, 1))),
    ).where(
        Response.agency_id == agency_id,
        Response.overall.is_not(None),
        Response.submitted_at > since,
        Response.submitted_at <= now,
    )
    agency_n, agency_unhappy, point_n, point_unhappy = db.session.execute(stmt).one()
    return {LEVEL_AGENCY: (agency_n, agency_unhappy), LEVEL_POINT: (point_n, point_unhappy)}


def _recent_alert(level: str, agency_id: int, point_id: int | None, since: datetime) -> bool:
    stmt = select(Alert.id).where(
        Alert.level == level, Alert.agency_id == agency_id, Alert.window_end > since
    )
    stmt = stmt.where(Alert.survey_point_id == point_id) if level == LEVEL_POINT else stmt
    return db.session.scalar(stmt.limit(1)) is not None


def _raise(level: str, agency_id: int, point_id: int | None, window: tuple, counts: tuple) -> Alert | None:
    since, now = window
    if _recent_alert(level, agency_id, point_id, since):
        return None  # one alert per place per window
    alert = Alert(
        agency_id=agency_id,
        survey_point_id=point_id if level == LEVEL_POINT else None,
        level=level,
        window_start=since,
        window_end=now,
        answers=counts[0],
        unhappy=counts[1],
        created_at=now,
    )
    db.session.add(alert)
    db.session.flush()
    log.warning(
        "alert %s: %s/%s unhappy at %s of agency %s", alert.id, counts[1], counts[0], level, agency_id
    )
    return alert


def unhappy_needed(rules) -> int:
    """The fewest unhappy answers a spike can have: with at least
    `alert_min_answers` answers and a share of at least `alert_unhappy_share`
    unhappy, u >= share * n >= share * min."""
    return max(0, math.ceil(rules.alert_unhappy_share * rules.alert_min_answers - 1e-9))


@lru_cache(maxsize=64)
def unhappy_rows(needed: int, prefix: str = ""):
    """The agency's unhappy answers in the window, at most `needed` of them,
    through the partial index of unhappy answers (bound names with `prefix`,
    so that the submit's checks can run beside the burst check in one
    statement: public/after_commit.py). Built once per `needed`: the submit
    runs it every time, and building a statement costs more CPU than SQLite
    takes to answer it.

    The window is written as bounds on (agency_id, submitted_at), read in that
    order, under a literal LIMIT: "agency_id = ? AND submitted_at > ? AND
    submitted_at <= ?" selects the same rows, but PostgreSQL could serve it from
    the plain submitted_at index, filtering the window's every answer, and did
    whenever its statistics underestimated the window (a one-agency server
    under a burst of traffic: docs/survey.md, Speed). Bounds on the pair can
    only be served by an index that starts with both columns, in that order,
    of which the partial one is the smallest; with a LIMIT known when the
    statement is prepared, the driver's generic plan is that index scan too."""
    agency = bindparam(prefix + "agency_id", type_=Response.agency_id.type)
    place = tuple_(Response.agency_id, Response.submitted_at)
    after = tuple_(agency, bindparam(prefix + "since", type_=Response.submitted_at.type))
    until = tuple_(agency, bindparam(prefix + "now", type_=Response.submitted_at.type))
    return (
        select(Response.id)
        .where(UNHAPPY_SQL, place > after, place <= until)
        .order_by(Response.agency_id, Response.submitted_at)
        .limit(literal_column(str(int(needed))))
    )


@lru_cache(maxsize=64)
def _unhappy_in_window(needed: int):
    return select(func.count()).select_from(unhappy_rows(needed).subquery())


def gate(agency_id: int, now: datetime | None = None) -> tuple:
    """(rules, since, now, needed) of the spike check for an agency's answer now."""
    now = now or utcnow()
    rules = followup_settings.effective_cached(agency_id)
    return rules, now - timedelta(minutes=rules.alert_window_minutes), now, unhappy_needed(rules)


def may_spike(agency_id: int, rules, since: datetime, now: datetime, connection=None) -> bool:
    """Are there enough unhappy answers at the agency in the window for any
    spike (agency or point: a point's unhappy answers are among its agency's)?
    Counts at most that many through the partial index of unhappy answers,
    so it costs next to nothing when all is well, whatever the traffic."""
    needed = unhappy_needed(rules)
    if needed == 0:
        return True
    params = {"agency_id": agency_id, "since": since, "now": now}
    connection = connection if connection is not None else db.session.connection()
    return connection.execute(_unhappy_in_window(needed), params).scalar() >= needed


def check_place(
    agency_id: int, point_id: int, now: datetime | None = None, connection=None, unhappy: int | None = None
) -> list[Alert]:
    """One small query when nothing is wrong (the agency's unhappy answers
    in the window; its rules are cached), on `connection` when given, or none
    when the caller counted them already (`unhappy`, at most `needed`); the
    counts (in the session) only when a spike is possible."""
    rules, since, now, needed = gate(agency_id, now)
    if unhappy is not None:
        possible = unhappy >= needed
    else:
        possible = may_spike(agency_id, rules, since, now, connection)
    if not possible:
        return []
    found = []
    for level, counts in _counts(agency_id, point_id, since, now).items():
        if is_spike(*counts, rules.alert_min_answers, rules.alert_unhappy_share):
            found.append(_raise(level, agency_id, point_id, (since, now), counts))
    return [a for a in found if a is not None]


def after_response(
    agency_id: int, point_id: int, connection=None, unhappy: int | None = None, now: datetime | None = None
) -> list[Alert]:
    """Called once a response is committed: never loses the answer and adds
    one short indexed query (more only when a spike is possible); an email
    goes out only when a spike is new."""
    try:
        alerts = check_place(agency_id, point_id, now, connection=connection, unhappy=unhappy)
        if alerts:  # nothing to commit otherwise
            db.session.commit()
            send_pending()
        return alerts
    except Exception:  # the answer is already stored; never fail the citizen
        from survey.responses import rollback_or_drop

        rollback_or_drop()
        log.exception("alert check failed at point %s", point_id)
        return []


def _longest_window() -> int:
    longest = db.session.scalar(select(func.max(FollowupSettings.alert_window_minutes)))
    return max(longest or 0, followup_settings.defaults().alert_window_minutes)


def check_all(now: datetime | None = None) -> list[Alert]:
    """Every point that had answers in the longest configured window."""
    now = now or utcnow()
    since = now - timedelta(minutes=_longest_window())
    places = db.session.execute(
        select(Response.agency_id, Response.survey_point_id)
        .where(Response.submitted_at > since, Response.submitted_at <= now)
        .distinct()
    ).all()
    alerts = [a for agency_id, point_id in places for a in check_place(agency_id, point_id, now)]
    db.session.commit()
    return alerts


def _message(alert: Alert) -> tuple[str, str]:
    agency = alert.agency
    where = agency.name
    if alert.survey_point_id:
        point = db.session.get(SurveyPoint, alert.survey_point_id)
        where = f"{agency.name} — {_('điểm khảo sát')} {point.code} {point.counter or ''}".strip()
    subject = _("Cảnh báo: nhiều người dân không hài lòng tại %(where)s", where=where)
    body = _(
        "Trong %(minutes)d phút gần nhất có %(unhappy)d/%(answers)d phiếu không hài lòng tại %(where)s.\n"
        "Xem và xử lý: %(url)s\n",
        minutes=int((alert.window_end - alert.window_start).total_seconds() // 60),
        unhappy=alert.unhappy,
        answers=alert.answers,
        where=where,
        url=_agency_url(agency),
    )
    return subject, body


def _vietnamese_message(alert: Alert) -> tuple[str, str]:
    """Emails are in Vietnamese whoever triggered them; the CLI has no
    request, which Flask-Babel needs, so it gets a bare one."""
    if has_request_context():
        with force_locale("vi"):
            return _message(alert)
    with current_app.test_request_context(), force_locale("vi"):
        return _message(alert)


def _agency_url(agency: Agency) -> str:
    # PUBLIC_BASE_URL, never the request's host (the CLI has no request).
    return f"{current_app.config['PUBLIC_BASE_URL']}/agencies/{agency.code}"


def _claim(alert_id: int, to: str, now: datetime) -> bool:
    """Mark as emailed first, so a timer and a request never both send it."""
    result = db.session.execute(
        update(Alert)
        .where(Alert.id == alert_id, Alert.emailed_at.is_(None))
        .values(emailed_at=now, email_to=to)
    )
    db.session.commit()
    return result.rowcount == 1


def send_pending(now: datetime | None = None) -> int:
    """Email every alert of the last day not yet emailed; returns how many."""
    if not mail.configured():
        return 0
    now = now or utcnow()
    pending = db.session.scalars(
        select(Alert).where(Alert.emailed_at.is_(None), Alert.created_at >= now - timedelta(days=1))
    ).all()
    sent = 0
    for alert in pending:
        to = followup_settings.effective(alert.agency_id).duty_officer_email
        if not to or not _claim(alert.id, to, now):
            continue
        try:
            mail.send(to, *_vietnamese_message(alert))
            sent += 1
        except Exception:  # SMTP or network failure: retry on the next run
            db.session.execute(
                update(Alert).where(Alert.id == alert.id).values(emailed_at=None, email_to=None)
            )
            db.session.commit()
            log.exception("alert %s: email to %s failed", alert.id, to)
    return sent


def acknowledge(alert: Alert, user_id: int) -> None:
    if alert.acknowledged_at is None:
        alert.acknowledged_at = utcnow()
        alert.acknowledged_by_id = user_id
        db.session.commit()
