"""Survey points: what one printed QR code points to. Codes live forever."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models.agency import Agency
from survey.models.procedure import Procedure
from survey.models.types import utcnow

STATUS_ACTIVE = "active"
STATUS_RETIRED = "retired"


class SurveyPoint(db.Model):
    __tablename__ = "survey_points"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    procedure_id: Mapped[int | None] = mapped_column(ForeignKey("procedures.id"))
    counter: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default=STATUS_ACTIVE)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime)
    replacement_id: Mapped[int | None] = mapped_column(ForeignKey("survey_points.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    agency: Mapped[Agency] = relationship()
    procedure: Mapped[Procedure | None] = relationship()
    replacement: Mapped["SurveyPoint | None"] = relationship(remote_side=[id])

    @property
    def is_retired(self) -> bool:
        return self.status == STATUS_RETIRED
