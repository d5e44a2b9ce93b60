"""Tamper evidence: the ordered log of sealed leaves and the seals over it.

A leaf is the hash of one record (a response with its answers, or an
exclusion decision) in a canonical encoding (survey/integrity/leaves.py).
The sealer, not the record id, decides the order (docs/integrity.md).
"""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey.extensions import db
from survey.models.types import BigId


class IntegritySeal(db.Model):
    """One checkpoint: the Merkle root over the first `tree_size` leaves."""

    __tablename__ = "integrity_seals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tree_size: Mapped[int] = mapped_column(BigId)
    root_hash: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime] = mapped_column(DateTime)
    # Records stamped before this moment and not sealed by now are insertions.
    cutoff: Mapped[datetime] = mapped_column(DateTime)
    previous_hash: Mapped[str | None] = mapped_column(String(64))
    seal_hash: Mapped[str] = mapped_column(String(64), unique=True)


class SealedLeaf(db.Model):
    __tablename__ = "sealed_leaves"
    __table_args__ = (UniqueConstraint("kind", "record_id", name="uq_sealed_leaves_record"),)

    leaf_index: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(20))  # "response" | "exclusion"
    record_id: Mapped[int] = mapped_column(BigId)
    leaf_version: Mapped[int] = mapped_column(SmallInteger)
    leaf_hash: Mapped[str] = mapped_column(String(64))
    seal_id: Mapped[int] = mapped_column(ForeignKey("integrity_seals.id"), index=True)
