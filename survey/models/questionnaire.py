"""Questionnaires with versioned questions and the criteria they measure.

A version that has responses is immutable: editing makes a new version, so
every stored answer keeps the exact wording the citizen saw.
"""

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models.types import utcnow


class Criterion(db.Model):
    """Reference table of what a question measures (SIPAS factor, overall...)."""

    __tablename__ = "criteria"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    sipas_factor: Mapped[int | None] = mapped_column(Integer)


class QuestionnaireVersion(db.Model):
    __tablename__ = "questionnaire_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40))  # e.g. "v1"
    # NULL: the province-wide default; otherwise a version made for one agency.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    title_vi: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    scale: Mapped[str] = mapped_column(String(10), default="L5")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    questions: Mapped[list["Question"]] = relationship(
        back_populates="questionnaire", order_by="Question.position"
    )
    agency: Mapped["Agency | None"] = relationship()  # noqa: F821 (survey.models.agency)


class Question(db.Model):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(20))  # "Q1", "Q9", ...
    # scale | choice | text | procedure
    kind: Mapped[str] = mapped_column(String(20))
    text_vi: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    criterion_code: Mapped[str | None] = mapped_column(ForeignKey("criteria.code"))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    # [{"value": 5, "vi": "...", "en": "...", "na": false}, ...]
    options: Mapped[list] = mapped_column(JSON, default=list)
    # {"question": "Q6", "in": [2, 3]}: shown only when that answer is given.
    show_if: Mapped[dict | None] = mapped_column(JSON)

    questionnaire: Mapped[QuestionnaireVersion] = relationship(back_populates="questions")
