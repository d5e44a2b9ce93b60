"""Responses: append-only. Nothing in the product updates or deletes one.

A later exclusion (suspicious burst, test answer) is a record of its own in
`response_exclusions`; the latest record for a response decides its state.
"""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models.types import BigId, utcnow

CHANNEL_QR = "qr"
CHANNEL_KIOSK = "kiosk"
CHANNEL_DOSSIER = "dossier"
CHANNEL_INDEPENDENT = "independent"


def _partial(name: str, predicate: str, *columns: str, unique: bool = False) -> Index:
    """An index of the rows matching `predicate` only (both engines support
    them): small, and not written at all for the other rows. A query uses it
    when its WHERE repeats the predicate as a literal (or implies it)."""
    return Index(
        name, *columns, unique=unique, sqlite_where=text(predicate), postgresql_where=text(predicate)
    )


class Response(db.Model):
    __tablename__ = "responses"
    __table_args__ = (
        Index("ix_responses_agency_submitted", "agency_id", "submitted_at"),
        # The submit's checks, each one short index range whatever the traffic:
        # unhappy answers at an agency (spike alerts, followup/alerts.py) and
        # top ratings from one device or network (bursts, antiabuse.py).
        _partial("ix_responses_unhappy", "overall <= 2", "agency_id", "submitted_at"),
        # Each with its own key in the predicate ("key = ?" implies it), so that
        # neither half of the burst check can be served by the other's index.
        _partial(
            "ix_responses_top_device", "overall = 5 AND device_key IS NOT NULL", "device_key", "submitted_at"
        ),
        _partial(
            "ix_responses_top_network",
            "overall = 5 AND network_key IS NOT NULL",
            "network_key",
            "submitted_at",
        ),
        # Only the responses with a comment: the summary pages count and page them
        # per subtree and period (index-only, a few thousand entries, not a range of all).
        _partial("ix_responses_comments", "comment IS NOT NULL", "agency_id", "submitted_at"),
        # A dossier is answered once (unique); answers by QR code, nearly all of
        # them, have no dossier and no entry to write.
        _partial(
            "ix_responses_dossier_link_id", "dossier_link_id IS NOT NULL", "dossier_link_id", unique=True
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    # One nonce per rendered form: a double tap or retry stores one response.
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    survey_point_id: Mapped[int] = mapped_column(ForeignKey("survey_points.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    procedure_id: Mapped[int | None] = mapped_column(ForeignKey("procedures.id"))
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    channel: Mapped[str] = mapped_column(String(20), default=CHANNEL_QR)
    # The required overall rating (Q9), kept on the row for fast aggregation.
    overall: Mapped[int | None] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    # Daily-rotating keyed hashes, never a raw IP address.
    device_key: Mapped[str | None] = mapped_column(String(64))
    network_key: Mapped[str | None] = mapped_column(String(64))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when the answer came through a one-time dossier link: the answer is
    # tied to a real transaction. Unique (ix_responses_dossier_link_id), so a
    # dossier is answered once.
    dossier_link_id: Mapped[int | None] = mapped_column(ForeignKey("dossier_links.id"))

    answers: Mapped[list["Answer"]] = relationship(back_populates="response")


class Answer(db.Model):
    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    # Option code (1-5 on the L5 scale); NULL when the answer is "not applicable"
    # or an uncoded answer of a 3-/4-level scale ("not satisfied": see scales.py).
    value: Mapped[int | None] = mapped_column(SmallInteger)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    # The scale id (L5/L4/L3) of a rating answer and the Vietnamese label of the
    # option chosen, so an answer stays interpretable whatever the scale. NULL
    # scale on rows older than this column: they are all L5 (questionnaire v1).
    scale: Mapped[str | None] = mapped_column(String(10))
    label: Mapped[str | None] = mapped_column(String(200))

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped["Question"] = relationship()  # noqa: F821 (survey.models.questionnaire)


class ResponseExclusion(db.Model):
    """An exclusion or re-inclusion decision: who, when, why. Never a deletion."""

    __tablename__ = "response_exclusions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id"), index=True)
    action: Mapped[str] = mapped_column(String(10))  # "exclude" | "include"
    reason: Mapped[str] = mapped_column(String(60))  # e.g. "burst", "test", "manual"
    note: Mapped[str | None] = mapped_column(Text)
    pending_review: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
