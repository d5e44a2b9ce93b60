"""How numbers and labels read in the report, in the report's language
(Vietnamese by default: decimal comma; English through Flask-Babel), with n
and the interval always."""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from survey.antiabuse import REASON_BURST_DEVICE, REASON_BURST_NETWORK, REASON_HONEYPOT, REASON_OUT_OF_HOURS
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
# Every code survey/antiabuse.py writes, and the older codes still found in
# databases (tests/test_evidence_outputs.py checks that none is missing).
REASONS_VI = {
    REASON_BURST_DEVICE: _l("nhiều phiếu rất hài lòng dồn dập từ một thiết bị"),
    REASON_BURST_NETWORK: _l("nhiều phiếu rất hài lòng dồn dập từ một mạng"),
    REASON_OUT_OF_HOURS: _l("gửi ngoài giờ làm việc"),
    REASON_HONEYPOT: _l("điền vào ô ẩn chống phiếu tự động"),
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


def reason_text(codes: str) -> str:
    """An exclusion's reason in words. One decision can carry several codes
    ("burst_device,out_of_hours"); a code this version does not know (typed
    in the database, or from a newer version) is still named, not hidden."""
    labels = [_reason_label(code.strip()) for code in codes.split(",") if code.strip()]
    return " + ".join(labels) or _("không ghi lý do")


def _reason_label(code: str) -> str:
    known = REASONS_VI.get(code)
    return str(known) if known is not None else _("lý do khác (%(code)s)", code=code)


def utc_moment_text(stamp: str) -> str:
    """A stored UTC instant ("2026-12-03T06:58:19.000000Z") as 03/12/2026 06:58:19:
    day first, as every other date in the report (both languages)."""
    return datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S").strftime("%d/%m/%Y %H:%M:%S")
