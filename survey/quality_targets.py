"""An agency's quality objective (ISO 9001 clause 6.2), e.g. "at least 90 % satisfied".

Stored as a fraction in agencies.quality_target; None means the province's
DEFAULT_TARGET applies. Typed as a percentage, with a decimal comma or point.
"""

from flask_babel import lazy_gettext as _l

from survey import audit
from survey.models import Agency

FIELDS = ("quality_target",)


class TargetError(ValueError):
    """A value that is not a percentage between 0 and 100 (Vietnamese message)."""


def parse_percent(text: str | None) -> float | None:
    """'92,5' or '92.5' or '92,5 %' -> 0.925; '' -> None (use the default)."""
    cleaned = (text or "").strip().removesuffix("%").strip().replace(" ", "")
    if not cleaned:
        return None
    if cleaned.count(",") + cleaned.count(".") > 1:
        raise TargetError(_l("Mục tiêu phải là một số phần trăm, ví dụ 90 hoặc 92,5."))
    try:
        value = float(cleaned.replace(",", "."))
    except ValueError:
        raise TargetError(_l("Mục tiêu phải là một số phần trăm, ví dụ 90 hoặc 92,5.")) from None
    if not 0 <= value <= 100:
        raise TargetError(_l("Mục tiêu phải nằm trong khoảng từ 0 đến 100 %."))
    return round(value / 100, 6)


def set_target(agency: Agency, target: float | None) -> bool:
    """Change the objective and log it; False when nothing changed."""
    if agency.quality_target == target:
        return False
    before = audit.snapshot(agency, FIELDS)
    agency.quality_target = target
    audit.record("agency", agency.code, "set_target", agency.id, before, audit.snapshot(agency, FIELDS))
    return True
