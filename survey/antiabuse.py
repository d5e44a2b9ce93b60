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
from sqlalchemy import select

from survey.extensions import db
from survey.i18n import to_local
from survey.models import Response, ResponseExclusion
from survey.models.response import CHANNEL_KIOSK
from survey.models.types import utcnow

REASON_HONEYPOT = "honeypot"
REASON_BURST_DEVICE = "burst_device"
REASON_BURST_NETWORK = "burst_network"
REASON_OUT_OF_HOURS = "out_of_hours"
TOP_RATING = 5


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


def _burst_ids(response: Response, column, key: str | None, threshold: int) -> list[int]:
    """Ids of top ratings on this point from this key within the window, if a burst."""
    if key is None or response.overall != TOP_RATING:
        return []
    since = response.submitted_at - timedelta(minutes=current_app.config["BURST_WINDOW_MINUTES"])
    ids = list(
        db.session.scalars(
            select(Response.id).where(
                Response.survey_point_id == response.survey_point_id,
                column == key,
                Response.overall == TOP_RATING,
                Response.submitted_at >= since,
                Response.submitted_at <= response.submitted_at,
            )
        )
    )
    return ids if len(ids) >= threshold else []


def reasons_for(response: Response, honeypot_filled: bool) -> dict[int, set[str]]:
    """response id -> reasons to exclude it pending review (this one and its burst)."""
    config = current_app.config
    found: dict[int, set[str]] = {}
    if honeypot_filled:
        found.setdefault(response.id, set()).add(REASON_HONEYPOT)
    if out_of_hours(response.submitted_at, config["OPENING_HOURS"], config["OPENING_DAYS"]):
        found.setdefault(response.id, set()).add(REASON_OUT_OF_HOURS)
    # A kiosk is one device for many citizens: it has its own, higher threshold.
    device_top = (
        config["BURST_KIOSK_TOP"] if response.channel == CHANNEL_KIOSK else config["BURST_DEVICE_TOP"]
    )
    for column, key, threshold, reason in (
        (Response.device_key, response.device_key, device_top, REASON_BURST_DEVICE),
        (Response.network_key, response.network_key, config["BURST_NETWORK_TOP"], REASON_BURST_NETWORK),
    ):
        for response_id in _burst_ids(response, column, key, threshold):
            found.setdefault(response_id, set()).add(reason)
    return found


def review(response: Response, honeypot_filled: bool = False) -> list[ResponseExclusion]:
    """Append pending exclusions for what looks suspicious; commit them."""
    found = reasons_for(response, honeypot_filled)
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
