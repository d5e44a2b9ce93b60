"""The figures every screen, API and report shows, computed in one place.

Dashboards, the JSON API and the evidence report call these functions, so
their numbers agree. Definitions are in docs/definitions.md; the arithmetic
is in survey/stats.py; the counting reads roll-ups (survey/rollups/) for a
reporting period in Vietnam time, or raw rows for arbitrary instants.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app, has_request_context, request
from sqlalchemy import and_, case, func, select

from survey import periods
from survey.exclusions import excluded_response_ids
from survey.extensions import db
from survey.models import Answer, Criterion, Question, Response
from survey.questionnaire_v1 import CRITERIA
from survey.rollups import read
from survey.rollups.freshness import built_through, ensure_fresh
from survey.stats import Rate

SCALE_VALUES = (1, 2, 3, 4, 5)
CRITERION_ORDER = [code for code, *_ in CRITERIA]


@dataclass(frozen=True)
class Period:
    """[start, end) in naive UTC; None means unbounded (raw rows are read)."""

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
    # Answers of a 3-/4-level scale without a 1-5 code ("not satisfied",
    # survey/scales.py): in the denominator, never satisfied, not in the mean.
    uncoded: int = 0

    @property
    def n(self) -> int:
        return sum(self.counts.values()) + self.uncoded

    @property
    def mean(self) -> float | None:
        coded = sum(self.counts.values())
        return sum(v * c for v, c in self.counts.items()) / coded if coded else None


@dataclass(frozen=True)
class Figures:
    """Counts for one cell (agency, procedure, month...) and their rate."""

    responses: int  # all received, excluded ones included
    counted: int  # not excluded
    satisfied: int  # counted, overall answer 4 or 5
    rate: Rate


@dataclass(frozen=True)
class Summary(Figures):
    criteria: list[CriterionFigures] = field(default_factory=list)


def _min_sample() -> int:
    return current_app.config["MIN_SAMPLE"]


def figures(counts: list[int] | None) -> Figures:
    responses, counted, satisfied = counts or (0, 0, 0)
    return Figures(responses, counted, satisfied, Rate(satisfied, counted, _min_sample()))


def segments(period: periods.Period) -> list[read.Segment]:
    """How to read the period: roll-ups when fresh enough, raw rows otherwise.

    Checked once per web request (a page asks for many periods)."""
    cached = getattr(request, "_rollups_built", False) if has_request_context() else False
    if cached is False:
        ready = ensure_fresh(current_app.config["ROLLUP_MAX_CATCHUP_DAYS"])
        cached = built_through() if ready else None
        if has_request_context():
            request._rollups_built = cached
    return read.plan(period.start, period.end, cached)


def summarise(agency_ids: list[int] | None, period=Period(), procedure_id: int | None = None) -> Summary:
    """Headline and per-criterion figures for a subtree (ids) and period.

    `period` is a periods.Period (local days, read from roll-ups) or a
    summaries.Period (UTC instants, read from raw rows)."""
    if not isinstance(period, periods.Period):
        return _summarise_raw(agency_ids, period, procedure_id)
    plan = segments(period)
    scope = read.Scope(agency_ids=agency_ids, procedure_id=procedure_id)
    head = figures(read.totals(plan, scope).get(()))
    dists = {key[0]: counts for key, counts in read.criteria(plan, scope).items()}
    return Summary(head.responses, head.counted, head.satisfied, head.rate, criteria_figures(dists))


def period_totals(agency_ids: list[int] | None, period_list: list[periods.Period]) -> list[Figures]:
    """Headline counts of several periods (this one, the one before, a year ago).

    When every period is made of whole rolled-up months, one grouped query
    over the month rows answers them all; otherwise one read per period."""
    plans = [segments(p) for p in period_list]
    scope = read.Scope(agency_ids=agency_ids)
    if not all(s.source == "month" for plan in plans for s in plan):
        return [figures(read.totals(plan, scope).get(())) for plan in plans]
    months = sorted({s.month for plan in plans for s in plan})
    counts = read.totals([read.Segment("month", m, m, m) for m in months], scope, ("month",))
    result = []
    for plan in plans:
        cells = [counts.get((s.month,), (0, 0, 0)) for s in plan]
        result.append(figures([sum(column) for column in zip(*cells, strict=True)] if cells else None))
    return result


def with_criteria(head: Figures, agency_ids: list[int] | None, period: periods.Period) -> Summary:
    """The per-criterion figures of a period added to its headline counts."""
    scope = read.Scope(agency_ids=agency_ids)
    dists = {key[0]: counts for key, counts in read.criteria(segments(period), scope).items()}
    return Summary(head.responses, head.counted, head.satisfied, head.rate, criteria_figures(dists))


def criteria_figures(dists: dict[str, list[int]], names: dict | None = None) -> list[CriterionFigures]:
    """Turn n1..n5, N/A and uncoded counts per criterion code into figures, in questionnaire order.

    Uncoded answers (3-/4-level "not satisfied", survey/scales.py) are in the
    denominator and never satisfied; N/A answers are in no denominator."""
    names = names if names is not None else _criterion_names()
    result = []
    for code in sorted(dists, key=_order):
        *counts, na, uncoded = dists[code]
        dist = dict(zip(SCALE_VALUES, counts, strict=True))
        info = names.get(code)
        rate = Rate(dist[4] + dist[5], sum(counts) + uncoded, _min_sample())
        result.append(
            CriterionFigures(
                code, info.name_vi if info else code, info.name_en if info else code, dist, na, rate, uncoded
            )
        )
    return result


def _criterion_names() -> dict:
    cached = getattr(request, "_criterion_names", None) if has_request_context() else None
    if cached is None:
        cached = {c.code: c for c in db.session.scalars(select(Criterion))}
        if has_request_context():
            request._criterion_names = cached
    return cached


def _order(code: str) -> int:
    return CRITERION_ORDER.index(code) if code in CRITERION_ORDER else len(CRITERION_ORDER)


def breakdown(agency_ids: list[int] | None, period: periods.Period, by: str) -> dict:
    """Figures per procedure id (None = not given), survey point id or channel."""
    counts = read.totals(segments(period), read.Scope(agency_ids=agency_ids), (by,))
    result = {key[0]: figures(value) for key, value in counts.items()}
    if by == "procedure" and 0 in result:
        result[None] = result.pop(0)
    return result


def by_unit(units: list[int], period: periods.Period, by_channel: bool = False) -> dict:
    """Figures per unit, each unit counting its whole subtree (closure table).

    With by_channel the keys are (unit id, channel)."""
    by = ("ancestor", "channel") if by_channel else ("ancestor",)
    counts = read.totals(segments(period), read.Scope(under=units), by)
    return {(key if by_channel else key[0]): figures(value) for key, value in counts.items()}


def unit_channel_counts(units: list[int], period_list: list[periods.Period]) -> list[dict]:
    """Counts per (unit, channel), each unit with its subtree, for several periods.

    One grouped read of the month rows when every period is made of whole
    rolled-up months (the overview's period and the one before); otherwise
    one read per period."""
    plans = [segments(p) for p in period_list]
    scope = read.Scope(under=units)
    if not all(s.source == "month" for plan in plans for s in plan):
        return [read.totals(plan, scope, ("ancestor", "channel")) for plan in plans]
    months = sorted({s.month for plan in plans for s in plan})
    counts = read.totals(
        [read.Segment("month", m, m, m) for m in months], scope, ("ancestor", "channel", "month")
    )
    result = []
    for plan in plans:
        wanted = {s.month for s in plan}
        merged: dict[tuple, list[int]] = {}
        for (unit, channel, month), cell in counts.items():
            if month in wanted:
                total = merged.setdefault((unit, channel), [0, 0, 0])
                for i, value in enumerate(cell):
                    total[i] += value
        result.append(merged)
    return result


def criteria_by_unit(units: list[int], period: periods.Period) -> dict[int, list[CriterionFigures]]:
    """Per-criterion figures for each unit's subtree (the committee heat map)."""
    counts = read.criteria(segments(period), read.Scope(under=units), ("ancestor", "criterion"))
    grouped: dict[int, dict[str, list[int]]] = {}
    for (unit, code), value in counts.items():
        grouped.setdefault(unit, {})[code] = value
    names = _criterion_names()
    return {unit: criteria_figures(dists, names) for unit, dists in grouped.items()}


def trend(agency_ids: list[int] | None, first: date, last: date) -> list[tuple[date, Figures]]:
    """Monthly figures from the month of `first` to the month of `last`."""
    span = periods.custom(periods.month_start(first), periods.month_end(last))
    counts = read.totals(segments(span), read.Scope(agency_ids=agency_ids), ("month",))
    months = [m.start for m in periods.months_back(last, _months_between(first, last))]
    return [(m, figures(counts.get((m,)))) for m in months]


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


# Raw path: arbitrary UTC instants (e.g. an evidence pack cut at a moment).


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


def _summarise_raw(agency_ids: list[int] | None, period: Period, procedure_id: int | None) -> Summary:
    conditions = _filters(agency_ids, period, procedure_id)
    counted = Response.id.not_in(excluded_response_ids())
    total, counted_n, satisfied = db.session.execute(
        select(
            func.count(Response.id),
            func.count(case((counted, 1))),
            func.count(case((and_(counted, Response.overall >= 4), 1))),
        ).where(*conditions)
    ).one()
    stmt = (
        select(Question.criterion_code, Answer.value, Answer.not_applicable, func.count())
        .join(Answer, Answer.question_id == Question.id)
        .join(Response, Response.id == Answer.response_id)
        .where(Question.kind == "scale", counted, *conditions)
        .group_by(Question.criterion_code, Answer.value, Answer.not_applicable)
    )
    dists: dict[str, list[int]] = {}
    for code, value, is_na, n in db.session.execute(stmt):
        row = dists.setdefault(code, [0] * 7)  # n1..n5, N/A, uncoded
        row[5 if is_na else 6 if value is None else value - 1] += n
    rate = Rate(satisfied, counted_n, _min_sample())
    return Summary(total, counted_n, satisfied, rate, criteria_figures(dists))
