"""Scan counts: visits per survey point per day, nothing about the visitor."""

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from survey.extensions import db


class ScanCount(db.Model):
    """One row per (point, Vietnam-time day); a visit adds one to `count`.

    No IP, device, time of day or referrer: the scan-to-answer conversion
    needs only how many times a code was opened.
    """

    __tablename__ = "scan_counts"

    survey_point_id: Mapped[int] = mapped_column(ForeignKey("survey_points.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
