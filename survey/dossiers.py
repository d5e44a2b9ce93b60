"""One-time survey links for dossier receipts (giấy tiếp nhận hồ sơ và hẹn trả kết quả).

The one-stop software asks for a link with a dossier code; the citizen scans
it from the receipt and answers once. The answer is then tied to a real
transaction (channel "dossier", responses.dossier_link_id), which makes the
evidence much stronger than a poster anyone can scan.

The dossier code itself is personal data and is never stored: only an HMAC
of it under DOSSIER_HASH_KEY, enough to hand back the same link when the
software asks twice.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from survey import qr
from survey.agencies import get_by_code, subtree_ids
from survey.codes import new_code, normalise
from survey.extensions import db
from survey.models import ApiToken, DossierLink, Procedure, SurveyPoint
from survey.models.survey_point import STATUS_ACTIVE
from survey.models.types import utcnow
from survey.points import create_point

TOKEN_LENGTH = 14  # 31**14 ≈ 7.6e20: not guessable, still QR-alphanumeric
RECEIPT_COUNTER = "Giấy tiếp nhận hồ sơ"
MAX_CODE_LENGTH = 100

OPEN, USED, EXPIRED = "open", "used", "expired"


@dataclass
class DossierLinkError(Exception):
    status: int
    error: str
    message: str


def _key() -> bytes:
    """DOSSIER_HASH_KEY, or a key derived from SECRET_KEY when it is not set
    (then rotating SECRET_KEY only means a repeated request gets a new link)."""
    configured = current_app.config["DOSSIER_HASH_KEY"]
    if configured:
        return configured.encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"dossier-link-hash", hashlib.sha256).digest()


def dossier_hash(dossier_code: str) -> str:
    canonical = " ".join(dossier_code.split()).upper()
    return hmac.new(_key(), canonical.encode(), hashlib.sha256).hexdigest()


def _text(payload: dict, name: str) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value.strip():
        raise DossierLinkError(400, "invalid", f"Thiếu trường {name} (chuỗi ký tự).")
    if len(value) > MAX_CODE_LENGTH:
        raise DossierLinkError(400, "invalid", f"Trường {name} dài quá {MAX_CODE_LENGTH} ký tự.")
    return value.strip()


def issue_link(api_token: ApiToken, payload: dict) -> tuple[DossierLink, bool]:
    """(link, created). The same dossier always gets the same link back."""
    dossier_code, procedure_code, agency_code = (
        _text(payload, name) for name in ("dossier_code", "procedure_code", "agency_code")
    )
    agency = get_by_code(agency_code)
    if agency is None or agency.id not in subtree_ids(api_token.agency_id):
        raise DossierLinkError(
            404, "not_found", f"Không tìm thấy đơn vị {agency_code} trong phạm vi của mã truy cập."
        )
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == procedure_code))
    if procedure is None:
        raise DossierLinkError(404, "not_found", f"Không tìm thấy thủ tục {procedure_code}.")
    digest = dossier_hash(dossier_code)
    existing = _by_hash(digest)
    if existing is not None:
        return _same_dossier(existing, agency.id, procedure.id), False
    link = DossierLink(
        token=new_code(TOKEN_LENGTH),
        dossier_hash=digest,
        survey_point=point_for(agency, procedure),
        procedure=procedure,
        api_token_id=api_token.id,
        expires_at=utcnow() + timedelta(days=current_app.config["DOSSIER_LINK_DAYS"]),
    )
    db.session.add(link)
    try:
        db.session.commit()
    except IntegrityError:  # the same dossier asked for twice at the same moment
        db.session.rollback()
        return _same_dossier(_by_hash(digest), agency.id, procedure.id), False
    return link, True


def _by_hash(digest: str) -> DossierLink | None:
    return db.session.scalar(select(DossierLink).where(DossierLink.dossier_hash == digest))


def _same_dossier(link: DossierLink, agency_id: int, procedure_id: int) -> DossierLink:
    if link.survey_point.agency_id != agency_id or link.procedure_id != procedure_id:
        raise DossierLinkError(
            409, "conflict", "Hồ sơ này đã có đường dẫn đánh giá cho một đơn vị hoặc thủ tục khác."
        )
    return link


def point_for(agency, procedure) -> SurveyPoint:
    """The agency's active point for the procedure; one is created the first time."""
    stmt = (
        select(SurveyPoint)
        .where(
            SurveyPoint.agency_id == agency.id,
            SurveyPoint.procedure_id == procedure.id,
            SurveyPoint.status == STATUS_ACTIVE,
        )
        .order_by(SurveyPoint.id)
        .limit(1)
    )
    return db.session.scalar(stmt) or create_point(agency, procedure, RECEIPT_COUNTER)


def find_link(token: str) -> DossierLink | None:
    stmt = (
        select(DossierLink)
        .options(joinedload(DossierLink.survey_point).joinedload(SurveyPoint.agency))
        .where(DossierLink.token == normalise(token))
    )
    return db.session.scalar(stmt)


def state(link: DossierLink, now: datetime | None = None) -> str:
    if link.used_at is not None:
        return USED
    return EXPIRED if link.is_expired(now or utcnow()) else OPEN


def public_url(link: DossierLink) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL']}/d/{link.token}"


def qr_text(link: DossierLink) -> str:
    config = current_app.config
    return qr.compact_url(config["PUBLIC_BASE_URL"], f"d/{link.token}", config["QR_UPPERCASE_URL"])


def as_json(link: DossierLink) -> dict:
    base = current_app.config["PUBLIC_BASE_URL"]
    return {
        "url": public_url(link),
        "qr_png": f"{base}/qr/d/{link.token}.png",
        "qr_svg": f"{base}/qr/d/{link.token}.svg",
        "expires_at": link.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "dossier_link_id": link.id,
    }
