"""Suspicious answers are kept and marked, never dropped (integrity, domain §4).

After a response is stored, `review()` appends an exclusion record pending
review, with the reason, when the answer looks like ballot-stuffing: a
filled honeypot, a burst of top ratings on one point from one device or one
network within minutes, or a submission outside opening hours. Every
threshold is configuration (README). Device and network keys are daily
rotating keyed hashes (netid.py), never a raw address.
"""

from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import bindparam, literal_column, select, text, union_all

from survey.extensions import db
from survey.i18n import to_local
from survey.models import Response, ResponseExclusion
from survey.models.response import CHANNEL_KIOSK
from survey.models.types import utcnow

REASON_HONEYPOT = "honeypot"
REASON_BURST_DEVICE = "burst_device"
REASON_BURST_NETWORK = "burst_network"
REASON_OUT_OF_HOURS = "out_of_hours"
# Every REASON_* code has words in the report (survey/evidence/report/text.py).
TOP_RATING = 5
# A literal, so that both engines use the partial indexes of top ratings.
TOP_RATING_SQL = text(f"responses.overall = {TOP_RATING}")


def parse_hours(spec: str) -> tuple[time, time]:
    """ "07:00-17:30" -> (07:00, 17:30); "24:00" is the end of the day."""
    start, end = (part.strip() for part in spec.split("-"))
    end_time = time.max if end == "24:00" else time.fromisoformat(end)
    return time.fromisoformat(start), end_time


def parse_days(spec: str) -> set[int]:
    """ "1-6" or "1,2,3,4,5" -> ISO weekdays (Monday = 1)."""
    days: set[int] = set()
    for part in spec.split(","):
        low, _, high = part.strip().partition("-")
        days.update(range(int(low), int(high or low) + 1))
    return days


def out_of_hours(moment_utc: datetime, hours: str, days: str) -> bool:
    local = to_local(moment_utc)
    start, end = parse_hours(hours)
    return local.isoweekday() not in parse_days(days) or not (start <= local.time() <= end)


def _top_ratings_from(column, reason: int):
    return select(Response.id, literal_column(str(reason))).where(
        column == bindparam(column.key),
        Response.survey_point_id == bindparam("point_id"),
        TOP_RATING_SQL,
        Response.submitted_at >= bindparam("since"),
        Response.submitted_at <= bindparam("until"),
    )


# Built once (the submit runs it for every top rating): one statement, each
# half through its own partial index (an OR would let SQLite scan the whole
# window by time instead). A missing key is bound as NULL and matches nothing.
TOP_RATINGS_FROM = union_all(
    _top_ratings_from(Response.device_key, 1), _top_ratings_from(Response.network_key, 2)
)


def burst_params(response, config) -> dict | None:
    """The burst query's parameters for this answer, or None when it cannot
    be part of a burst (not a top rating, or neither key known)."""
    if response.overall != TOP_RATING or (response.device_key is None and response.network_key is None):
        return None
    return {
        "device_key": response.device_key,
        "network_key": response.network_key,
        "point_id": response.survey_point_id,
        "since": response.submitted_at - timedelta(minutes=config["BURST_WINDOW_MINUTES"]),
        "until": response.submitted_at,
    }


def _burst_reasons(response, config, connection=None, rows=None) -> dict[int, set[str]]:
    """Top ratings on this point from this device or network within the
    window, each with its reason, when a key reaches its threshold.

    One query through the partial indexes of top ratings by device and by
    network (models/response.py): it reads only those keys' top ratings of
    the last minutes, however busy the rest of the site is. `rows` are that
    query's rows when the caller ran it already (public/after_commit.py)."""
    params = burst_params(response, config)
    if params is None:
        return {}
    # A kiosk is one device for many citizens: it has its own, higher threshold.
    device_top = (
        config["BURST_KIOSK_TOP"] if response.channel == CHANNEL_KIOSK else config["BURST_DEVICE_TOP"]
    )
    if rows is None:
        connection = connection if connection is not None else db.session.connection()
        rows = connection.execute(TOP_RATINGS_FROM, params).all()
    found: dict[int, set[str]] = {}
    for kind, threshold, reason in (
        (1, device_top, REASON_BURST_DEVICE),
        (2, config["BURST_NETWORK_TOP"], REASON_BURST_NETWORK),
    ):
        ids = [row[0] for row in rows if row[1] == kind]
        if len(ids) >= threshold:
            for response_id in ids:
                found.setdefault(response_id, set()).add(reason)
    return found


def reasons_for(response, honeypot_filled: bool, connection=None, burst_rows=None) -> dict[int, set[str]]:
    """response id -> reasons to exclude it pending review (this one and its burst).

    `response` is a Response or a responses.Stored (what the submit path has)."""
    config = current_app.config
    found = _burst_reasons(response, config, connection, burst_rows)
    if honeypot_filled:
        found.setdefault(response.id, set()).add(REASON_HONEYPOT)
    if out_of_hours(response.submitted_at, config["OPENING_HOURS"], config["OPENING_DAYS"]):
        found.setdefault(response.id, set()).add(REASON_OUT_OF_HOURS)
    return found


def review(
    response, honeypot_filled: bool = False, connection=None, burst_rows=None
) -> list[ResponseExclusion]:
    """Append pending exclusions for what looks suspicious; commit them. The
    burst query runs on `connection` when given; the (rare) records are
    written in the session."""
    found = reasons_for(response, honeypot_filled, connection, burst_rows)
    if not found:
        return []
    already = set(
        db.session.scalars(
            select(ResponseExclusion.response_id).where(ResponseExclusion.response_id.in_(found))
        )
    )
    records = [
        ResponseExclusion(
            response_id=response_id,
            action="exclude",
            reason=",".join(sorted(reasons)),
            note="Tự động: chờ xem xét",
            pending_review=True,
            created_at=utcnow(),
        )
        for response_id, reasons in sorted(found.items())
        if response_id not in already
    ]
    db.session.add_all(records)
    db.session.commit()
    return records
