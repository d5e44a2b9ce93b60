"""Agencies as a tree of any depth, with a closure table for subtree queries."""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models.types import utcnow


class Agency(db.Model):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(60))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    quality_target: Mapped[float | None] = mapped_column(Float)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Retired units stay in the tree: their responses keep pointing at them.
    retired_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Set when the unit was merged into another (2025 reform); it then sits
    # under the surviving unit so that unit's summaries include its history.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))

    parent: Mapped["Agency | None"] = relationship(
        remote_side=[id], back_populates="children", foreign_keys=[parent_id]
    )
    children: Mapped[list["Agency"]] = relationship(
        back_populates="parent", order_by="Agency.name", foreign_keys=[parent_id]
    )
    merged_into: Mapped["Agency | None"] = relationship(remote_side=[id], foreign_keys=[merged_into_id])

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def __repr__(self) -> str:
        return f"<Agency {self.code}>"


class AgencyClosure(db.Model):
    """One row per (ancestor, descendant) pair, including (a, a) at depth 0.

    "This agency and everything under it" is then one indexed lookup, which
    every dashboard and every permission check needs.
    """

    __tablename__ = "agency_closure"

    ancestor_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    descendant_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True, index=True)
    depth: Mapped[int] = mapped_column(Integer)
