"""Bearer tokens for integrating systems, scoped to an agency subtree.

Only a SHA-256 of the token is stored; the token itself is shown once.
"""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models.agency import Agency
from survey.models.types import utcnow


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Shown in lists so a token can be recognised without revealing it.
    prefix: Mapped[str] = mapped_column(String(12))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)

    agency: Mapped[Agency] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
