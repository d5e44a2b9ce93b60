"""Staff accounts with a role and an agency scope."""

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from survey.extensions import db
from survey.models.agency import Agency
from survey.models.types import utcnow

ROLE_ADMIN = "admin"
ROLE_COMMITTEE = "committee"
ROLE_HEAD = "head"
ROLE_STAFF = "staff"
ROLE_AUDITOR = "auditor"
ROLES = (ROLE_ADMIN, ROLE_COMMITTEE, ROLE_HEAD, ROLE_STAFF, ROLE_AUDITOR)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20))
    # NULL scope = the whole installation (administrators, province-wide roles).
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    # Auditors may be limited to a period as well as a subtree.
    scope_from: Mapped[date | None] = mapped_column(Date)
    scope_to: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    agency: Mapped[Agency | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def read_only(self) -> bool:
        return self.role == ROLE_AUDITOR
