"""One-time survey links printed on dossier receipts (giấy tiếp nhận hồ sơ).

The dossier code (mã hồ sơ) is personal data, so only a keyed HMAC of it is
kept: enough to give the same link back when the one-stop software asks
twice, useless to anyone reading the table.
"""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models.api_token import ApiToken
from survey.models.procedure import Procedure
from survey.models.survey_point import SurveyPoint
from survey.models.types import utcnow


class DossierLink(db.Model):
    __tablename__ = "dossier_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The secret part of the URL (/d/<token>); QR-alphanumeric alphabet.
    token: Mapped[str] = mapped_column(String(24), unique=True)
    dossier_hash: Mapped[str] = mapped_column(String(64), unique=True)
    survey_point_id: Mapped[int] = mapped_column(ForeignKey("survey_points.id"), index=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"))
    api_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)

    survey_point: Mapped[SurveyPoint] = relationship()
    procedure: Mapped[Procedure] = relationship()
    api_token: Mapped[ApiToken | None] = relationship()

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at
