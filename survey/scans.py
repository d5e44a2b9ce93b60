"""Counting scans (page opens per point per day) and the scan-to-answer conversion.

Only a number per point and day is stored: no address, device, time of day or
referrer, so counting needs no consent and holds no personal data.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from survey.extensions import db
from survey.models import Response, ScanCount

# Vietnam has no daylight saving: a counter's working day is UTC+7.
VIETNAM = timedelta(hours=7)


def today_in_vietnam(now: datetime | None = None) -> date:
    now = now or datetime.now(UTC).replace(tzinfo=None)
    return (now + VIETNAM).date()


def count_scan(point_id: int, day: date | None = None, by: int = 1, commit: bool = True) -> None:
    """Add `by` to the day's count (today by default); one upsert, safe under concurrent scans."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(ScanCount).values(survey_point_id=point_id, day=day or today_in_vietnam(), count=by)
    stmt = stmt.on_conflict_do_update(
        index_elements=[ScanCount.survey_point_id, ScanCount.day], set_={"count": ScanCount.count + by}
    )
    db.session.execute(stmt)
    if commit:
        db.session.commit()


@dataclass(frozen=True)
class Conversion:
    scans: int
    responses: int

    @property
    def rate(self) -> float | None:
        """Answers per scan; None without scans (nothing to divide by)."""
        return self.responses / self.scans if self.scans else None


def _utc_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    start = datetime.combine(first, time()) - VIETNAM
    return start, datetime.combine(last + timedelta(days=1), time()) - VIETNAM


def conversion_by_point(point_ids: list[int], first: date, last: date) -> dict[int, Conversion]:
    """Scans and responses per point over Vietnam-time days first..last (inclusive)."""
    if not point_ids:
        return {}
    scans = dict(
        db.session.execute(
            select(ScanCount.survey_point_id, func.sum(ScanCount.count))
            .where(ScanCount.survey_point_id.in_(point_ids), ScanCount.day.between(first, last))
            .group_by(ScanCount.survey_point_id)
        ).all()
    )
    start, end = _utc_bounds(first, last)
    answers = dict(
        db.session.execute(
            select(Response.survey_point_id, func.count())
            .where(Response.survey_point_id.in_(point_ids))
            .where(Response.submitted_at >= start, Response.submitted_at < end)
            .group_by(Response.survey_point_id)
        ).all()
    )
    return {pid: Conversion(int(scans.get(pid) or 0), int(answers.get(pid) or 0)) for pid in point_ids}


def daily_scans(point_id: int, first: date, last: date) -> dict[date, int]:
    stmt = select(ScanCount.day, ScanCount.count).where(
        ScanCount.survey_point_id == point_id, ScanCount.day.between(first, last)
    )
    return dict(db.session.execute(stmt).all())
