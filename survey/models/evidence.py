"""Evidence packs made (by the web UI in the background, or by the CLI) and
every download of one: who, when, what (ISO 9001 7.5.3)."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models.agency import Agency
from survey.models.types import BigId, utcnow
from survey.models.user import User

JOB_QUEUED = "queued"
JOB_RUNNING = "running"
JOB_DONE = "done"
JOB_FAILED = "failed"


class EvidenceJob(db.Model):
    __tablename__ = "evidence_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # NULL when made with the CLI.
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    subtree: Mapped[bool] = mapped_column(Boolean, default=True)
    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=JOB_QUEUED)
    rows_done: Mapped[int] = mapped_column(BigId, default=0)
    rows_total: Mapped[int] = mapped_column(BigId, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    file_path: Mapped[str | None] = mapped_column(String(500))
    document_id: Mapped[str | None] = mapped_column(String(120))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(BigId)
    seal_root: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    # "host:pid" of the worker running the job, and when it last showed life:
    # how a job whose worker died is told from one still being made.
    worker: Mapped[str | None] = mapped_column(String(120))
    # Language of the report: "vi" (default) or "en".
    lang: Mapped[str] = mapped_column(String(5), default="vi", server_default="vi")
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)

    agency: Mapped[Agency] = relationship()
    requested_by: Mapped[User | None] = relationship()

    @property
    def percent(self) -> int:
        if self.status == JOB_DONE:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class EvidenceDownload(db.Model):
    __tablename__ = "evidence_downloads"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("evidence_jobs.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    downloaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sha256: Mapped[str] = mapped_column(String(64))

    job: Mapped[EvidenceJob] = relationship()
    user: Mapped[User] = relationship()
