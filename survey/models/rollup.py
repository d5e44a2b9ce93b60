"""Pre-aggregated counts so that dashboards read periods x agencies, not responses.

Derived data only: every row can be rebuilt from responses, answers and
exclusions (`flask --app wsgi rollups refresh --all`). Closed local days are
rolled up; the open day is read raw. Keys have no foreign keys on purpose
(rebuilt wholesale); `procedure_id` 0 means "no procedure given".
See docs/definitions.md, "Roll-ups".
"""

from datetime import date
from uuid import uuid4

from sqlalchemy import BigInteger, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.extensions import db
from survey.models.types import BigId


class _Totals:
    responses: Mapped[int] = mapped_column(Integer, default=0)
    counted: Mapped[int] = mapped_column(Integer, default=0)
    satisfied: Mapped[int] = mapped_column(Integer, default=0)


class _Distribution:
    n1: Mapped[int] = mapped_column(Integer, default=0)
    n2: Mapped[int] = mapped_column(Integer, default=0)
    n3: Mapped[int] = mapped_column(Integer, default=0)
    n4: Mapped[int] = mapped_column(Integer, default=0)
    n5: Mapped[int] = mapped_column(Integer, default=0)
    na: Mapped[int] = mapped_column(Integer, default=0)
    # Uncoded "not satisfied" answers of 3-/4-level scales (survey/scales.py).
    nu: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class RollupDayTotals(_Totals, db.Model):
    """(agency, local day, survey point, procedure, channel): response counts."""

    __tablename__ = "rollup_day_totals"
    __table_args__ = (Index("ix_rollup_day_totals_day", "day"),)

    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    point_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)


class RollupDayCriteria(_Distribution, db.Model):
    """(agency, local day, criterion): counted answers per value 1-5 and N/A."""

    __tablename__ = "rollup_day_criteria"
    __table_args__ = (Index("ix_rollup_day_criteria_day", "day"),)

    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    criterion: Mapped[str] = mapped_column(String(40), primary_key=True)


class RollupMonthAgency(_Totals, db.Model):
    __tablename__ = "rollup_month_agency"
    __table_args__ = (Index("ix_rollup_month_agency_month", "month"),)

    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)


class RollupMonthCriteria(_Distribution, db.Model):
    __tablename__ = "rollup_month_criteria"
    __table_args__ = (Index("ix_rollup_month_criteria_month", "month"),)

    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    criterion: Mapped[str] = mapped_column(String(40), primary_key=True)


class RollupMonthProcedure(_Totals, db.Model):
    __tablename__ = "rollup_month_procedure"

    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class RollupMonthPoint(_Totals, db.Model):
    __tablename__ = "rollup_month_point"

    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    point_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class RollupDirty(db.Model):
    """A closed (agency, day) whose roll-up must be recomputed.

    Append-only markers without a unique key, so concurrent writers never
    conflict; the refresher deletes the ones it has processed.
    """

    __tablename__ = "rollup_dirty"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    agency_id: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)


def new_version() -> str:
    return uuid4().hex


class RollupState(db.Model):
    """One row: the last local day rolled up for every agency, and two version
    tokens that name the state of what the dashboards show.

    `data_version` changes whenever roll-up rows are recomputed (a day closed,
    a late response, an exclusion); `catalog_version` whenever agencies, the
    tree, procedures, survey points, dossier counts or criteria change. They
    are random, never counters, so a restored backup or a recreated database
    cannot reuse a token that named other numbers. survey/dashboards/cache.py
    keys rendered figures on them.
    """

    __tablename__ = "rollup_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    built_through: Mapped[date | None] = mapped_column(Date)
    data_version: Mapped[str] = mapped_column(String(32), default=new_version, server_default="")
    catalog_version: Mapped[str] = mapped_column(String(32), default=new_version, server_default="")


class DossierCount(db.Model):
    """Dossiers received in a month (imported), for answers per 100 dossiers."""

    __tablename__ = "dossier_counts"
    __table_args__ = (Index("ix_dossier_counts_agency_month", "agency_id", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(db.ForeignKey("agencies.id"))
    procedure_id: Mapped[int | None] = mapped_column(db.ForeignKey("procedures.id"))
    month: Mapped[date] = mapped_column(Date)
    received: Mapped[int] = mapped_column(BigInteger)
