"""Follow-up of unhappy citizens (ISO 9001 10.2): settings, cases, their
history, and dissatisfaction alerts.

A case points at the (append-only) response and, when the citizen left one,
at the Contact row; the contact details themselves stay in `contacts` so
that purging them never touches the case or the answer.
"""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models.agency import Agency
from survey.models.contact import Contact
from survey.models.response import Response
from survey.models.types import BigId, utcnow
from survey.models.user import User

STATUS_NEW = "new"
STATUS_IN_PROGRESS = "in_progress"
STATUS_ANSWERED = "answered"
STATUS_CLOSED = "closed"
STATUSES = (STATUS_NEW, STATUS_IN_PROGRESS, STATUS_ANSWERED, STATUS_CLOSED)
OPEN_STATUSES = (STATUS_NEW, STATUS_IN_PROGRESS)

SOURCE_AUTO = "auto"
SOURCE_MANUAL = "manual"


class FollowupSettings(db.Model):
    """One agency's follow-up rules; agencies without a row inherit the
    nearest ancestor's, then the installation defaults (config)."""

    __tablename__ = "followup_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), unique=True)
    # An answer at or below this value (1-5 scale) with a contact opens a case.
    low_threshold: Mapped[int] = mapped_column(Integer)
    due_working_days: Mapped[int] = mapped_column(Integer)
    purge_after_days: Mapped[int] = mapped_column(Integer)
    alert_window_minutes: Mapped[int] = mapped_column(Integer)
    alert_min_answers: Mapped[int] = mapped_column(Integer)
    alert_unhappy_share: Mapped[float] = mapped_column(Float)
    duty_officer_email: Mapped[str | None] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    agency: Mapped[Agency] = relationship()


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_agency_status_due", "agency_id", "status", "due_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(BigId, ForeignKey("responses.id"), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    source: Mapped[str] = mapped_column(String(10), default=SOURCE_AUTO)
    status: Mapped[str] = mapped_column(String(20), default=STATUS_NEW)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    due_on: Mapped[date] = mapped_column(Date)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    answer_text: Mapped[str | None] = mapped_column(Text)
    cause: Mapped[str | None] = mapped_column(Text)
    corrective_action: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship()
    agency: Mapped[Agency] = relationship()
    contact: Mapped[Contact | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    events: Mapped[list["CaseEvent"]] = relationship(back_populates="case", order_by="CaseEvent.id")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseEvent(db.Model):
    """Every change to a case: who (NULL = the system), when, what, from, to."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    field: Mapped[str] = mapped_column(String(40))  # "opened", "status", "assignee", ...
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()


LEVEL_POINT = "point"
LEVEL_AGENCY = "agency"


class Alert(db.Model):
    """A dissatisfaction spike at a survey point or an agency."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_agency_created", "agency_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    survey_point_id: Mapped[int | None] = mapped_column(ForeignKey("survey_points.id"))
    level: Mapped[str] = mapped_column(String(10))
    window_start: Mapped[datetime] = mapped_column(DateTime)
    window_end: Mapped[datetime] = mapped_column(DateTime)
    answers: Mapped[int] = mapped_column(Integer)
    unhappy: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)
    email_to: Mapped[str | None] = mapped_column(String(254))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    agency: Mapped[Agency] = relationship()
    acknowledged_by: Mapped[User | None] = relationship()
