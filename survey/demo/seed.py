"""`flask seed-demo`: build the demo province once (idempotent)."""

from collections.abc import Callable

from sqlalchemy import select

from survey.demo import followup, people, synthetic, tree
from survey.extensions import db
from survey.models import Agency, AgencyProcedure, Procedure, SurveyPoint
from survey.points import create_point
from survey.questionnaires import ensure_default

# The procedures a commune counter sees most, each with its own poster.
COMMUNE_POSTER_PROCEDURES = ("1.001193", "1.000894", "2.000815")
MAX_PROCEDURE_POINTS = 4


def already_seeded() -> bool:
    return db.session.scalar(select(Agency.id).where(Agency.code == tree.ROOT_CODE)) is not None


def seed(days: int = 365, progress: Callable[[int], None] | None = None) -> int:
    """Create the demo province and its responses; returns responses created."""
    version = ensure_default()
    if already_seeded():
        people.create_demo_users()
        db.session.commit()
        followup.seed_cases()  # demo databases made before follow-up existed
        return 0
    by_kind = tree.build_agencies()
    tree.load_procedures(by_kind)
    points = _create_points([a for agencies in by_kind.values() for a in agencies])
    people.create_demo_users()
    db.session.commit()
    created = synthetic.generate(points, version, days=days, progress=progress)
    followup.seed_cases()
    return created


def _handled(agency: Agency) -> list[Procedure]:
    stmt = (
        select(Procedure)
        .join(AgencyProcedure)
        .where(AgencyProcedure.agency_id == agency.id)
        .order_by(Procedure.code)
    )
    return list(db.session.scalars(stmt))


def _create_points(agencies: list[Agency]) -> list[SurveyPoint]:
    points = []
    for agency in agencies:
        handled = _handled(agency)
        if not handled:
            continue
        points.append(create_point(agency, counter="Bộ phận Một cửa"))
        if agency.kind == "commune_police":
            continue  # police counters sit in the commune centre: one poster
        preferred = [p for p in handled if p.code in COMMUNE_POSTER_PROCEDURES] or handled
        for procedure in preferred[:MAX_PROCEDURE_POINTS]:
            points.append(create_point(agency, procedure))
    db.session.flush()
    return points
