"""What an agency head's page shows, assembled from the summary service."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from survey import periods
from survey.dossier_counts import dossiers_received
from survey.extensions import db
from survey.models import Agency, Procedure, SurveyPoint
from survey.rollups.read import agency_in
from survey.stats import Comparison, compare, per_hundred, target_status
from survey.summaries import (
    Figures,
    Summary,
    breakdown,
    by_unit,
    figures,
    period_totals,
    trend,
    with_criteria,
)

TREND_MONTHS = 12
PROCEDURE_SORTS = ("rate", "n", "name", "change")


def target_of(agency: Agency) -> float:
    return agency.quality_target or current_app.config["DEFAULT_TARGET"]


@dataclass
class ProcedureRow:
    procedure: Procedure | None
    current: Figures
    previous: Figures
    change: Comparison
    below_target: bool
    falling: bool
    too_few: bool


@dataclass
class CounterRow:
    label: str
    current: Figures


def headline(agency: Agency, ids: list[int], period: periods.Period, criteria: bool = True) -> dict:
    """The headline box; `criteria=False` leaves the per-criterion figures out
    (the overview shows only the rate of the whole node)."""
    chosen = [period, periods.previous(period), periods.year_before(period)]
    current, before, year_ago = period_totals(ids, chosen)
    summary: Figures | Summary = with_criteria(current, ids, period) if criteria else current
    target = target_of(agency)
    dossiers = dossiers_received(ids, period)
    return {
        "summary": summary,
        "previous": before,
        "year_ago": year_ago,
        "vs_previous": compare(summary.rate, before.rate),
        "vs_year_ago": compare(summary.rate, year_ago.rate),
        "target": target,
        "status": target_status(summary.rate.ci95, target),
        "dossiers": dossiers,
        "per_hundred": per_hundred(summary.counted, dossiers),
    }


def procedure_rows(
    ids: list[int], period: periods.Period, target: float, sort: str, descending: bool
) -> list:
    current = breakdown(ids, period, "procedure")
    before = breakdown(ids, periods.previous(period), "procedure")
    named = {
        p.id: p
        for p in db.session.scalars(select(Procedure).where(Procedure.id.in_([k for k in current if k])))
    }
    rows = []
    for key, now in current.items():
        earlier = before.get(key) or figures(None)
        change = compare(now.rate, earlier.rate)
        high = now.rate.ci95[1] if now.rate.ci95 else None
        rows.append(
            ProcedureRow(
                named.get(key),
                now,
                earlier,
                change,
                below_target=high is not None and high < target,
                falling=change.direction == "down",
                too_few=not now.rate.enough,
            )
        )
    return sort_procedures(rows, sort, descending)


def sort_procedures(rows: list[ProcedureRow], sort: str, descending: bool) -> list[ProcedureRow]:
    keys = {
        "name": lambda r: (r.procedure.name if r.procedure else "~").lower(),
        "n": lambda r: r.current.counted,
        "rate": lambda r: (r.current.rate.value is not None, r.current.rate.value or 0),
        "change": lambda r: (r.change.difference is not None, r.change.difference or 0),
    }
    return sorted(rows, key=keys.get(sort, keys["rate"]), reverse=descending)


def counter_rows(ids: list[int], period: periods.Period) -> list[CounterRow]:
    """Survey points grouped by their counter label; empty when no point has one."""
    by_point = breakdown(ids, period, "point")
    points = db.session.scalars(
        select(SurveyPoint).where(agency_in(SurveyPoint.agency_id, ids), SurveyPoint.counter.is_not(None))
    )
    grouped: dict[str, list[int]] = {}
    for point in points:
        if point.counter and point.id in by_point:
            grouped.setdefault(point.counter.strip(), [0, 0, 0])
            cell = by_point[point.id]
            for i, value in enumerate((cell.responses, cell.counted, cell.satisfied)):
                grouped[point.counter.strip()][i] += value
    return [CounterRow(label, figures(counts)) for label, counts in sorted(grouped.items())]


def trend_rows(ids: list[int], period: periods.Period) -> list:
    first = periods.add_months(periods.month_start(period.end), -(TREND_MONTHS - 1))
    return trend(ids, first, period.end)


def child_rows(agency: Agency, period: periods.Period) -> list[tuple[Agency, Figures]]:
    children = list(agency.children)
    units = by_unit([c.id for c in children], period) if children else {}
    return [(child, units.get(child.id) or figures(None)) for child in children]
