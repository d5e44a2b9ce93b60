"""Appending leaves and a seal: run by `flask seal` or a timer, never on the
citizen's submit path (no global lock there).

Commit order is not id order (docs/integrity.md): the sealer takes the
records that no seal holds yet, stamped before `cutoff` = now minus a settle
time, and records their positions in the same transaction as the seal.
Records stamped before an earlier seal's cutoff but never sealed are left
out on purpose: verification reports them as insertions.
"""

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, insert, or_, select

from survey.extensions import db
from survey.integrity.leaves import KIND_EXCLUSION, KIND_RESPONSE, LEAF_VERSION, leaf_hash
from survey.integrity.merkle import TreeBuilder
from survey.integrity.records import BATCH, encoded
from survey.models import IntegritySeal, Response, ResponseExclusion, SealedLeaf
from survey.models.types import utcnow

STAMPS = {
    KIND_RESPONSE: (Response, Response.submitted_at),
    KIND_EXCLUSION: (ResponseExclusion, ResponseExclusion.created_at),
}


def seal_digest(seal: IntegritySeal) -> str:
    """Hash of one seal, chained into the next one's `previous_hash`."""
    fields = {
        "tree_size": seal.tree_size,
        "root_hash": seal.root_hash,
        "sealed_at": seal.sealed_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "cutoff": seal.cutoff.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "previous_hash": seal.previous_hash,
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def latest_seal() -> IntegritySeal | None:
    return db.session.scalar(select(IntegritySeal).order_by(IntegritySeal.id.desc()).limit(1))


def unsealed_batches(
    kind: str, since: datetime | None, cutoff: datetime, size: int = BATCH
) -> Iterator[list[int]]:
    """Ids of the records of `kind` stamped in [since, cutoff) that no leaf
    holds yet, in (stamp, id) order, `size` at a time. Each batch starts after
    the last (stamp, id) of the one before, so the first seal of a backlog of
    millions (an imported history) never holds all their ids at once."""
    model, stamp = STAMPS[kind]
    leaf = and_(SealedLeaf.kind == kind, SealedLeaf.record_id == model.id)
    stmt = (
        select(model.id, stamp)
        .outerjoin(SealedLeaf, leaf)
        .where(SealedLeaf.leaf_index.is_(None), stamp < cutoff)
    )
    if since is not None:
        stmt = stmt.where(stamp >= since)
    stmt = stmt.order_by(stamp, model.id).limit(size)
    rows = db.session.execute(stmt).all()
    while rows:
        yield [record_id for record_id, _stamp in rows]
        last_id, last_stamp = rows[-1]
        after = or_(stamp > last_stamp, and_(stamp == last_stamp, model.id > last_id))
        rows = db.session.execute(stmt.where(after)).all() if len(rows) == size else []


def stored_tree(size: int) -> TreeBuilder:
    builder = TreeBuilder()
    stmt = select(SealedLeaf.leaf_hash).where(SealedLeaf.leaf_index < size).order_by(SealedLeaf.leaf_index)
    for value in db.session.scalars(stmt.execution_options(yield_per=10000)):
        builder.add(bytes.fromhex(value))
    return builder


def seal(now: datetime | None = None, progress: Callable[[int], None] | None = None) -> IntegritySeal:
    """Seal every settled record not sealed yet; always advances the cutoff."""
    now = now or utcnow()
    previous = latest_seal()
    settle = timedelta(seconds=current_app.config["INTEGRITY_SETTLE_SECONDS"])
    since = previous.cutoff if previous else None
    cutoff = max(now - settle, since) if since else now - settle
    start = previous.tree_size if previous else 0
    record = IntegritySeal(
        tree_size=start, root_hash="", sealed_at=now, cutoff=cutoff, seal_hash=now.isoformat()
    )
    record.previous_hash = previous.seal_hash if previous else None
    db.session.add(record)
    db.session.flush()
    builder = stored_tree(start)
    for kind in (KIND_RESPONSE, KIND_EXCLUSION):
        for ids in unsealed_batches(kind, since, cutoff, size=BATCH):
            _append(record, kind, ids, builder)
            if progress:
                progress(len(ids))
    record.tree_size = builder.size
    record.root_hash = builder.root()
    record.seal_hash = seal_digest(record)
    db.session.commit()
    return record


def _append(record: IntegritySeal, kind: str, ids: list[int], builder: TreeBuilder) -> None:
    data = encoded(kind, ids)
    rows = []
    for record_id in ids:
        digest = leaf_hash(data[record_id])
        rows.append(
            {
                "leaf_index": builder.size,
                "kind": kind,
                "record_id": record_id,
                "leaf_version": LEAF_VERSION,
                "leaf_hash": digest,
                "seal_id": record.id,
            }
        )
        builder.add(bytes.fromhex(digest))
    db.session.execute(insert(SealedLeaf), rows)


def pending_count() -> int:
    """Responses not sealed yet (recent ones are normal)."""
    leaf = and_(SealedLeaf.kind == KIND_RESPONSE, SealedLeaf.record_id == Response.id)
    stmt = select(func.count(Response.id)).outerjoin(SealedLeaf, leaf).where(SealedLeaf.leaf_index.is_(None))
    return db.session.scalar(stmt) or 0
