"""Contact details a citizen chose to leave, stored apart from the answers.

Only with explicit consent (recorded with its time and the notice version);
purgeable: purging blanks the details and keeps the record of the purge.
"""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.extensions import db
from survey.models.types import BigId, utcnow


class Contact(db.Model):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(BigId, ForeignKey("responses.id"), unique=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    consent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    notice_version: Mapped[str] = mapped_column(String(20))
    consent_method: Mapped[str] = mapped_column(String(40), default="web_form_checkbox")
    purged_at: Mapped[datetime | None] = mapped_column(DateTime)
    purge_reason: Mapped[str | None] = mapped_column(String(100))

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None
