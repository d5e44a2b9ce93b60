"""Agency tree operations: creating nodes and asking for subtrees."""

from sqlalchemy import insert, select

from survey.extensions import db
from survey.models import Agency, AgencyClosure


def create_agency(code: str, name: str, kind: str, parent: Agency | None = None, **extra) -> Agency:
    """Add an agency and its closure rows (itself plus every ancestor)."""
    agency = Agency(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        depth=(parent.depth + 1) if parent else 0,
        **extra,
    )
    db.session.add(agency)
    db.session.flush()
    rows = [{"ancestor_id": agency.id, "descendant_id": agency.id, "depth": 0}]
    if parent is not None:
        ancestors = db.session.execute(
            select(AgencyClosure.ancestor_id, AgencyClosure.depth).where(
                AgencyClosure.descendant_id == parent.id
            )
        )
        rows += [
            {"ancestor_id": a_id, "descendant_id": agency.id, "depth": depth + 1} for a_id, depth in ancestors
        ]
    db.session.execute(insert(AgencyClosure), rows)
    return agency


def subtree_ids(agency_id: int) -> list[int]:
    """Ids of an agency and everything under it (one indexed lookup).

    Returned as a list so callers pass `= ANY(ids)` / `IN (...)` with real
    values: PostgreSQL misestimates `IN (SELECT ... closure)` (perf-baselines).
    """
    stmt = select(AgencyClosure.descendant_id).where(AgencyClosure.ancestor_id == agency_id)
    return list(db.session.scalars(stmt))


def ancestors(agency: Agency) -> list[Agency]:
    """From the root down to the agency's parent, for breadcrumbs."""
    stmt = (
        select(Agency)
        .join(AgencyClosure, AgencyClosure.ancestor_id == Agency.id)
        .where(AgencyClosure.descendant_id == agency.id, AgencyClosure.depth > 0)
        .order_by(AgencyClosure.depth.desc())
    )
    return list(db.session.scalars(stmt))


def get_by_code(code: str) -> Agency | None:
    return db.session.scalar(select(Agency).where(Agency.code == code))
