"""The administrative procedure (TTHC) catalogue and who handles what."""

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db


class Procedure(db.Model):
    __tablename__ = "procedures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Official code as on the National Public Service Portal, e.g. 1.001193.
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(1000))
    field: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AgencyProcedure(db.Model):
    __tablename__ = "agency_procedures"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"), primary_key=True, index=True)

    procedure: Mapped[Procedure] = relationship()
