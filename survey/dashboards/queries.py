"""Headline figures for an agency subtree, straight from responses."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select

from survey.exclusions import excluded_response_ids
from survey.extensions import db
from survey.models import Response


@dataclass(frozen=True)
class Headline:
    responses: int
    counted: int
    satisfied: int
    answered_overall: int


def headline(agency_ids: list[int], start: datetime | None = None, end: datetime | None = None) -> Headline:
    """Counts over the subtree; `end` is exclusive. Excluded answers are kept
    in `responses` but not in `counted`."""
    counted = Response.id.not_in(excluded_response_ids())
    stmt = select(
        func.count(Response.id),
        func.count(case((counted, 1))),
        func.count(case((and_(counted, Response.overall >= 4), 1))),
        func.count(case((and_(counted, Response.overall.is_not(None)), 1))),
    ).where(Response.agency_id.in_(agency_ids))
    if start is not None:
        stmt = stmt.where(Response.submitted_at >= start)
    if end is not None:
        stmt = stmt.where(Response.submitted_at < end)
    total, counted_n, satisfied, answered = db.session.execute(stmt).one()
    return Headline(total, counted_n, satisfied, answered)
