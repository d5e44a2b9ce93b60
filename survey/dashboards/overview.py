"""The steering committee's view: every unit under a node, side by side."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from survey import periods
from survey.dashboards.head import target_of
from survey.dossier_counts import dossiers_by_unit
from survey.extensions import db
from survey.models import Agency
from survey.stats import Comparison, Gap, Rate, compare, per_hundred, self_vs_independent, target_status
from survey.summaries import (
    CriterionFigures,
    Figures,
    criteria_by_unit,
    figures,
    read,
    segments,
    unit_channel_counts,
)

HEAT_CRITERIA = (
    "access",
    "procedure_info",
    "official_attitude",
    "official_guidance",
    "result",
    "feedback_handling",
    "overall",
)


@dataclass
class UnitRow:
    agency: Agency
    current: Figures
    previous: Figures
    change: Comparison
    status: str | None
    own: Rate
    independent: Rate
    gap: Gap
    per_hundred: float | None
    rank: int | None = None
    criteria: dict[str, CriterionFigures] | None = None
    has_children: bool = False


def _channel_rates(counts: dict, unit_id: int) -> tuple[Rate, Rate]:
    independent_channels = set(current_app.config["INDEPENDENT_CHANNELS"])
    own, indep = [0, 0], [0, 0]
    for (unit, channel), cell in counts.items():
        if unit == unit_id:
            bucket = indep if channel in independent_channels else own
            bucket[0] += cell.satisfied
            bucket[1] += cell.counted
    min_sample = current_app.config["MIN_SAMPLE"]
    return Rate(own[0], own[1], min_sample), Rate(indep[0], indep[1], min_sample)


def unit_rows(units: list[Agency], period: periods.Period) -> list[UnitRow]:
    ids = [u.id for u in units]
    now_counts, before_counts = unit_channel_counts(ids, [period, periods.previous(period)])
    now, before = _per_unit(now_counts), _per_unit(before_counts)
    channels = {key: figures(cell) for key, cell in now_counts.items()}
    heat = criteria_by_unit(ids, period)
    threshold = current_app.config["GAP_THRESHOLD"]
    dossiers = dossiers_by_unit(ids, period)
    parents = set(db.session.scalars(select(Agency.parent_id).where(Agency.parent_id.in_(ids))))
    rows = []
    for unit in units:
        current = now.get(unit.id) or figures(None)
        earlier = before.get(unit.id) or figures(None)
        own, indep = _channel_rates(channels, unit.id)
        rows.append(
            UnitRow(
                unit,
                current,
                earlier,
                compare(current.rate, earlier.rate),
                target_status(current.rate.ci95, target_of(unit)),
                own,
                indep,
                self_vs_independent(own, indep, threshold),
                per_hundred(current.counted, dossiers[unit.id]),
                criteria={c.code: c for c in heat.get(unit.id, [])},
                has_children=unit.id in parents,
            )
        )
    return rank(rows)


def _per_unit(counts: dict) -> dict:
    """(unit, channel) counts -> figures per unit, all channels together."""
    totals: dict[int, list[int]] = {}
    for (unit, _channel), cell in counts.items():
        total = totals.setdefault(unit, [0, 0, 0])
        for i, value in enumerate(cell):
            total[i] += value
    return {unit: figures(cell) for unit, cell in totals.items()}


def rank(rows: list[UnitRow]) -> list[UnitRow]:
    """Rank by the interval's lower bound; units without enough answers stay unranked."""
    ranked = sorted((r for r in rows if r.current.rate.ci95), key=lambda r: -r.current.rate.ci95[0])
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    return rows


def direct_figures(node: Agency, period: periods.Period) -> Figures:
    """Responses given at the node itself, not at any unit under it."""
    counts = read.totals(segments(period), read.Scope(agency_ids=[node.id]))
    return figures(counts.get(()))


SORTS = {
    "rank": lambda r: (r.rank is None, r.rank or 0),
    "name": lambda r: r.agency.name.lower(),
    "n": lambda r: -r.current.counted,
    "rate": lambda r: (r.current.rate.value is None, -(r.current.rate.value or 0)),
    "gap": lambda r: (r.gap.difference is None, -(r.gap.difference or 0)),
}


def sort_units(rows: list[UnitRow], sort: str) -> list[UnitRow]:
    return sorted(rows, key=SORTS.get(sort, SORTS["rank"]))
