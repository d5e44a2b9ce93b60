"""The data-integrity facts a pack and its report state, checked while the
pack is written rather than by re-verifying the whole log for every pack.

What a pack checks (docs/evidence.md): the chain of seals; every record it
hands over against its sealed leaf (in the data pass, survey/evidence/rows.py);
records of its scope stamped in a sealed period but missing from the log;
the whole leaf log against the root of every seal (hashes only, while
integrity/leaves.bin is written); and sealed records deleted anywhere (one
SQL anti-join). Records of other agencies are re-encoded only by
`verify-integrity`, which production runs on a schedule.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from survey.evidence.scope import EvidenceScope
from survey.extensions import db
from survey.integrity.merkle import TreeBuilder
from survey.integrity.sealer import seal_digest
from survey.integrity.verify import Report, check_chain, check_deleted, check_roots
from survey.models import IntegritySeal, SealedLeaf

LEAF_PAGE = 20000


@dataclass
class IntegrityStatement:
    seal: dict | None
    seals_in_period: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    sealed: int = 0
    unsealed: int = 0
    seals: list[IntegritySeal] = field(default_factory=list, repr=False)

    @property
    def cutoff(self):
        return self.seals[-1].cutoff if self.seals else None

    @property
    def tree_size(self) -> int:
        return self.seals[-1].tree_size if self.seals else 0


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


def open_statement(scope: EvidenceScope) -> IntegrityStatement:
    """The seals and their chain; the data pass adds its findings later."""
    seals = list(db.session.scalars(select(IntegritySeal).order_by(IntegritySeal.id)))
    period = scope.period
    daily = {s.sealed_at.date(): s for s in seals if period.start <= s.sealed_at < period.end}
    report = Report()
    check_chain(seals, report)
    return IntegrityStatement(
        seal=seal_dict(seals[-1]) if seals else None,
        seals_in_period=[seal_dict(daily[day]) for day in sorted(daily)],  # the last seal of each day
        problems=report.problems,
        seals=seals,
    )


def check_leaf_log(statement: IntegrityStatement, sink: Callable[[bytes], None]) -> None:
    """Stream the leaf hashes up to the last seal into `sink` (leaves.bin),
    rebuilding the root at every seal's size; then look for deleted records."""
    report, sizes = Report(), {s.tree_size for s in statement.seals}
    builder, last = TreeBuilder(), -1
    report.roots[0] = builder.root()
    while True:
        stmt = select(SealedLeaf.leaf_index, SealedLeaf.leaf_hash).where(
            SealedLeaf.leaf_index > last, SealedLeaf.leaf_index < statement.tree_size
        )
        page = db.session.execute(stmt.order_by(SealedLeaf.leaf_index).limit(LEAF_PAGE)).all()
        if not page:
            break
        for index, digest in page:
            if index != builder.size:
                report.problems.append(
                    f"Lá #{builder.size}–#{index - 1}: bị xoá khỏi sổ niêm phong (thiếu lá)."
                )
            while builder.size < index:  # keep later leaves in place after a gap
                sink(bytes(32))
                builder.add(bytes(32))
            value = bytes.fromhex(digest)
            sink(value)
            builder.add(value)
            if builder.size in sizes:
                report.roots[builder.size] = builder.root()
        last = page[-1][0]
    report.leaves = builder.size
    check_roots(statement.seals, report)
    check_deleted(report)
    statement.problems += report.problems
