"""Which questionnaire version an agency uses, from which date."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models.agency import Agency
from survey.models.questionnaire import QuestionnaireVersion
from survey.models.types import utcnow


class AgencyQuestionnaire(db.Model):
    """From `valid_from` (Vietnam date) the agency and its subtree use this version,
    until a later assignment for it or a nearer ancestor takes over."""

    __tablename__ = "agency_questionnaire"
    __table_args__ = (UniqueConstraint("agency_id", "valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"))
    valid_from: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    agency: Mapped[Agency] = relationship()
    questionnaire: Mapped[QuestionnaireVersion] = relationship()
