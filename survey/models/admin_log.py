"""The administration log: every change an administrator makes, with before/after."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.extensions import db
from survey.models.types import BigId, utcnow


class AdminLog(db.Model):
    __tablename__ = "admin_log"
    __table_args__ = (Index("ix_admin_log_agency_at", "agency_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Copied so the entry stays readable after the account changes.
    user_email: Mapped[str] = mapped_column(String(254), default="")
    entity: Mapped[str] = mapped_column(String(40))  # agency, procedure, survey_point, user, ...
    entity_id: Mapped[str] = mapped_column(String(64))
    # The agency the change belongs to: scopes the log and builds each agency's history.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    action: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
