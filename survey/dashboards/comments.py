"""Citizens' comments for a subtree and period, filterable and paged.

Comments are untrusted text: templates autoescape them, exports neutralise
formulas (survey/exports/safe.py).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, exists, select

from survey import periods
from survey.models import Answer, Question, Response
from survey.rollups.read import agency_in

RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class CommentFilter:
    rating: int | None = None  # overall answer, or the criterion's answer when one is chosen
    procedure_id: int | None = None
    criterion: str | None = None
    start: date | None = None  # within the period
    end: date | None = None

    @classmethod
    def from_args(cls, args, criteria: set[str], procedure_ids: set[int]) -> "CommentFilter":
        """Unknown or malformed values are ignored, never an error page."""
        rating = args.get("rating", type=int)
        procedure = args.get("procedure", type=int)
        criterion = args.get("criterion") or None
        return cls(
            rating if rating in RATINGS else None,
            procedure if procedure in procedure_ids else None,
            criterion if criterion in criteria else None,
            _day(args.get("c_from")),
            _day(args.get("c_to")),
        )

    def args(self) -> dict:
        values = {"rating": self.rating, "procedure": self.procedure_id, "criterion": self.criterion}
        values |= {"c_from": self.start.isoformat() if self.start else None}
        values |= {"c_to": self.end.isoformat() if self.end else None}
        return {k: v for k, v in values.items() if v is not None}


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def comments_query(ids: list[int], period: periods.Period, chosen: CommentFilter) -> Select:
    start = max(period.start, chosen.start) if chosen.start else period.start
    end = min(period.end, chosen.end) if chosen.end else period.end
    low, high = periods.custom(start, end).utc_bounds() if start <= end else period.utc_bounds()
    stmt = select(Response).where(
        agency_in(Response.agency_id, ids),
        Response.comment.is_not(None),
        Response.submitted_at >= low,
        Response.submitted_at < high,
    )
    if start > end:
        stmt = stmt.where(Response.id.is_(None))  # an empty date range matches nothing
    if chosen.procedure_id is not None:
        stmt = stmt.where(Response.procedure_id == chosen.procedure_id)
    if chosen.criterion is not None:
        answer = select(Answer.id).join(Question, Question.id == Answer.question_id)
        answer = answer.where(Answer.response_id == Response.id, Question.criterion_code == chosen.criterion)
        if chosen.rating is not None:
            answer = answer.where(Answer.value == chosen.rating)
        stmt = stmt.where(exists(answer))
    elif chosen.rating is not None:
        stmt = stmt.where(Response.overall == chosen.rating)
    return stmt.order_by(Response.submitted_at.desc(), Response.id.desc())
