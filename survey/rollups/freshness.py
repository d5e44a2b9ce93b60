"""Keeping roll-ups correct: closed days are rolled up, late changes marked.

A local day is "closed" GRACE after its midnight, so a response stamped just
before midnight but committed just after is never missed. Writes that touch
a closed day (an exclusion, a response with an earlier time) leave a marker
in `rollup_dirty` from a before_flush listener; the next read, or the
`rollups refresh` command, recomputes those (agency, day) rows.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import delete, event, func, select, text, update
from sqlalchemy.orm import Session

from survey.extensions import db
from survey.models import Response, ResponseExclusion, RollupDirty, RollupState
from survey.models.types import utcnow
from survey.periods import local_date, month_start
from survey.rollups.build import recompute_day, recompute_month

GRACE = timedelta(minutes=10)
LOCK_KEY = 640_601  # PostgreSQL advisory lock id for roll-up refreshes
log = logging.getLogger(__name__)


def closed_through(now: datetime | None = None) -> date:
    """The last local day that no new response can still land in."""
    return local_date((now or utcnow()) - GRACE) - timedelta(days=1)


def built_through() -> date | None:
    return db.session.scalar(select(RollupState.built_through).where(RollupState.id == 1))


def _set_built_through(day: date) -> None:
    state = db.session.get(RollupState, 1)
    if state is None:
        db.session.add(RollupState(id=1, built_through=day))
    else:
        state.built_through = day


def _first_day() -> date | None:
    first = db.session.scalar(select(func.min(Response.submitted_at)))
    return local_date(first) if first is not None else None


def pending_days(now: datetime | None = None, rebuild: bool = False) -> list[date]:
    """Closed days not yet rolled up (all agencies); every day with `rebuild`."""
    last = closed_through(now)
    done = None if rebuild else built_through()
    start = done + timedelta(days=1) if done else _first_day()
    if start is None:
        return []
    return [start + timedelta(days=i) for i in range((last - start).days + 1)]


def _lock() -> None:
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def catch_up(now: datetime | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Roll up every closed day not yet done; returns the number of days."""
    _lock()
    days = pending_days(now)
    months = set()
    for day in days:
        recompute_day(day)
        months.add(month_start(day))
        if progress:
            progress(1)
    for month in sorted(months):
        recompute_month(month)
    _set_built_through(closed_through(now))
    process_markers()
    db.session.commit()
    return len(days)


def process_markers() -> int:
    """Recompute the closed (agency, day) pairs touched by late writes."""
    rows = db.session.execute(select(RollupDirty.id, RollupDirty.agency_id, RollupDirty.day)).all()
    if not rows:
        return 0
    done = built_through()
    by_day: dict[date, set[int]] = defaultdict(set)
    for _, agency_id, day in rows:
        if done is not None and day <= done:
            by_day[day].add(agency_id)
    by_month: dict[date, set[int]] = defaultdict(set)
    for day, agencies in sorted(by_day.items()):
        recompute_day(day, sorted(agencies))
        by_month[month_start(day)] |= agencies
    for month, agencies in sorted(by_month.items()):
        recompute_month(month, sorted(agencies))
    db.session.execute(delete(RollupDirty).where(RollupDirty.id <= max(r[0] for r in rows)))
    return len(by_day)


def rebuild_all(progress: Callable[[int], None] | None = None) -> int:
    """Forget the state and roll up every closed day again."""
    _lock()
    # Keep the row (and its version tokens): only the progress is forgotten.
    db.session.execute(update(RollupState).values(built_through=None))
    db.session.flush()
    return catch_up(progress=progress)


def needs_work(now: datetime | None = None) -> bool:
    done = built_through()
    if done is None or done < closed_through(now):
        return True
    return db.session.scalar(select(RollupDirty.id).limit(1)) is not None


def ensure_fresh(max_days: int, now: datetime | None = None) -> bool:
    """Before a read: catch up if cheap. False means "read raw rows instead"
    (roll-ups never built, or too far behind to catch up inside a request)."""
    if not needs_work(now):
        return True
    if len(pending_days(now)) > max_days:
        log.warning("roll-ups are behind; run `flask --app wsgi rollups refresh`")
        return False
    try:
        catch_up(now)
    except Exception:  # a concurrent refresh won the race: read raw this time
        db.session.rollback()
        log.exception("roll-up refresh failed; reading raw rows")
        return False
    return True


def _touched_day(session: Session, obj) -> tuple[int, date] | None:
    if isinstance(obj, Response):
        if obj.submitted_at is None:
            return None  # stamped now: lands in the open day
        agency_id = obj.agency_id if obj.agency_id is not None else getattr(obj.agency, "id", None)
        return (agency_id, local_date(obj.submitted_at)) if agency_id is not None else None
    if isinstance(obj, ResponseExclusion):
        with session.no_autoflush:
            response = session.get(Response, obj.response_id)
        return (response.agency_id, local_date(response.submitted_at)) if response is not None else None
    return None


@event.listens_for(Session, "before_flush")
def _mark_closed_days(session: Session, _context, _instances) -> None:
    """Leave a marker for every new response or exclusion dated before today."""
    today = local_date(utcnow())
    touched = {_touched_day(session, obj) for obj in list(session.new)}
    for item in touched - {None}:
        agency_id, day = item
        if day < today:
            session.add(RollupDirty(agency_id=agency_id, day=day))
