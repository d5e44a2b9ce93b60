"""How numbers and labels read in the report, in the report's language
(Vietnamese by default: decimal comma; English through Flask-Babel), with n
and the interval always."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from survey.i18n import format_int, format_percent
from survey.stats import Rate

STATUS_VI = {"met": _l("Đạt"), "not_met": _l("Chưa đạt"), "uncertain": _l("Chưa chắc chắn")}
WITHHELD = _l("chưa đủ dữ liệu")
CHANNELS_VI = {
    "qr": _l("Mã QR tại quầy"),
    "kiosk": _l("Máy khảo sát tại chỗ"),
    "dossier": _l("Mã QR trên giấy hẹn"),
    "independent": _l("Khảo sát độc lập"),
}
REASONS_VI = {
    "burst": _l("nhiều phiếu dồn dập từ một thiết bị"),
    "test": _l("phiếu thử"),
    "manual": _l("loại thủ công"),
}


def pct(value: float | None) -> str:
    return format_percent(value, 1)


def num(value: int | None) -> str:
    return format_int(value)


def rate_text(rate: Rate) -> str:
    return pct(rate.value) if rate.enough else str(WITHHELD)


def ci_text(rate: Rate) -> str:
    if not rate.enough:
        return "—"
    low, high = rate.ci95
    return f"{pct(low)} – {pct(high)}"


def margin_text(rate: Rate) -> str:
    """Half the width of the interval, in percentage points."""
    if not rate.enough:
        return "—"
    low, high = rate.ci95
    return "±" + format_percent((high - low) / 2, 1).replace(" %", " " + _("điểm %"))


def status_text(status: str | None) -> str:
    return str(STATUS_VI.get(status or "", _l("Chưa đủ dữ liệu để đánh giá")))


def channel_text(code: str) -> str:
    return str(CHANNELS_VI.get(code, code))


def reason_text(code: str) -> str:
    return str(REASONS_VI.get(code, code))
