"""The figures every screen, API and report shows, computed in one place.

`summarise()` is the single entry point: dashboards, the JSON API and the
evidence report call it, so their numbers agree. Definitions are in
docs/definitions.md; the arithmetic is in survey/stats.py.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, case, func, select

from survey.exclusions import excluded_response_ids
from survey.extensions import db
from survey.models import Answer, Criterion, Question, Response
from survey.stats import Rate

SCALE_VALUES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Period:
    """[start, end) in naive UTC; None means unbounded."""

    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class CriterionFigures:
    code: str
    name_vi: str
    name_en: str
    counts: dict[int, int]  # answer value 1..5 -> number of counted answers
    not_applicable: int
    rate: Rate

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        return sum(v * c for v, c in self.counts.items()) / self.n if self.n else None


@dataclass(frozen=True)
class Summary:
    responses: int  # all received, excluded ones included
    counted: int  # not excluded
    satisfied: int  # counted, overall answer 4 or 5
    rate: Rate
    criteria: list[CriterionFigures]


def _filters(agency_ids: list[int] | None, period: Period, procedure_id: int | None) -> list:
    conditions = []
    if agency_ids is not None:
        conditions.append(Response.agency_id.in_(agency_ids))
    if period.start is not None:
        conditions.append(Response.submitted_at >= period.start)
    if period.end is not None:
        conditions.append(Response.submitted_at < period.end)
    if procedure_id is not None:
        conditions.append(Response.procedure_id == procedure_id)
    return conditions


def summarise(
    agency_ids: list[int] | None, period: Period = Period(), procedure_id: int | None = None
) -> Summary:
    min_sample = current_app.config["MIN_SAMPLE"]
    conditions = _filters(agency_ids, period, procedure_id)
    counted = Response.id.not_in(excluded_response_ids())
    total, counted_n, satisfied = db.session.execute(
        select(
            func.count(Response.id),
            func.count(case((counted, 1))),
            func.count(case((and_(counted, Response.overall >= 4), 1))),
        ).where(*conditions)
    ).one()
    criteria = _criteria(conditions + [counted], min_sample)
    return Summary(total, counted_n, satisfied, Rate(satisfied, counted_n, min_sample), criteria)


def _criteria(conditions: list, min_sample: int) -> list[CriterionFigures]:
    """Per-criterion distributions of scale answers; N/A kept apart."""
    stmt = (
        select(Question.criterion_code, Answer.value, Answer.not_applicable, func.count())
        .join(Answer, Answer.question_id == Question.id)
        .join(Response, Response.id == Answer.response_id)
        .where(Question.kind == "scale", *conditions)
        .group_by(Question.criterion_code, Answer.value, Answer.not_applicable)
    )
    counts: dict[str, dict[int, int]] = {}
    not_applicable: dict[str, int] = {}
    for code, value, is_na, n in db.session.execute(stmt):
        if is_na or value is None:
            not_applicable[code] = not_applicable.get(code, 0) + n
        else:
            counts.setdefault(code, {v: 0 for v in SCALE_VALUES})[value] = n
    names = {c.code: c for c in db.session.scalars(select(Criterion))}
    result = []
    for code in sorted(set(counts) | set(not_applicable), key=_criterion_order(names)):
        dist = counts.get(code, {v: 0 for v in SCALE_VALUES})
        rate = Rate(dist[4] + dist[5], sum(dist.values()), min_sample)
        info = names.get(code)
        result.append(
            CriterionFigures(
                code,
                info.name_vi if info else code,
                info.name_en if info else code,
                dist,
                not_applicable.get(code, 0),
                rate,
            )
        )
    return result


def _criterion_order(names: dict):
    order = list(names)
    return lambda code: order.index(code) if code in order else len(order)
