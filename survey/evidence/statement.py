"""The data-integrity facts a pack and its report state."""

from dataclasses import dataclass, field

from sqlalchemy import and_, func, select

from survey.evidence.scope import EvidenceScope
from survey.extensions import db
from survey.integrity.leaves import KIND_RESPONSE
from survey.integrity.sealer import seal_digest
from survey.integrity.verify import verify
from survey.models import IntegritySeal, Response, SealedLeaf


@dataclass
class IntegrityStatement:
    seal: dict | None
    seals_in_period: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    sealed: int = 0
    unsealed: int = 0


def seal_dict(seal: IntegritySeal) -> dict:
    return {
        "id": seal.id,
        "tree_size": seal.tree_size,
        "root_hash": seal.root_hash,
        "sealed_at": seal.sealed_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "cutoff": seal.cutoff.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "previous_hash": seal.previous_hash,
        "seal_hash": seal_digest(seal),
    }


def build_statement(scope: EvidenceScope, progress=None) -> IntegrityStatement:
    """Verify the whole log now and count what the seal covers in this scope."""
    seals = list(db.session.scalars(select(IntegritySeal).order_by(IntegritySeal.id)))
    period = scope.period
    daily = {s.sealed_at.date(): s for s in seals if period.start <= s.sealed_at < period.end}
    in_period = [daily[day] for day in sorted(daily)]  # the last seal of each day
    report = verify(progress=progress)
    leaf = and_(SealedLeaf.kind == KIND_RESPONSE, SealedLeaf.record_id == Response.id)
    stmt = (
        select(func.count(Response.id), func.count(SealedLeaf.leaf_index))
        .outerjoin(SealedLeaf, leaf)
        .where(
            Response.agency_id.in_(scope.agency_ids),
            Response.submitted_at >= period.start,
            Response.submitted_at < period.end,
        )
    )
    total, sealed = db.session.execute(stmt).one()
    return IntegrityStatement(
        seal=seal_dict(seals[-1]) if seals else None,
        seals_in_period=[seal_dict(s) for s in in_period],
        problems=report.problems,
        sealed=sealed,
        unsealed=total - sealed,
    )
