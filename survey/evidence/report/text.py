"""How numbers read in the report: Vietnamese decimal comma, n and interval always."""

from survey.i18n import format_int, format_percent
from survey.stats import Rate

STATUS_VI = {"met": "Đạt", "not_met": "Chưa đạt", "uncertain": "Chưa chắc chắn"}
WITHHELD = "chưa đủ dữ liệu"
CHANNELS_VI = {
    "qr": "Mã QR tại quầy",
    "kiosk": "Máy khảo sát tại chỗ",
    "dossier": "Mã QR trên giấy hẹn",
    "independent": "Khảo sát độc lập",
}
REASONS_VI = {"burst": "nhiều phiếu dồn dập từ một thiết bị", "test": "phiếu thử", "manual": "loại thủ công"}


def pct(value: float | None) -> str:
    return format_percent(value, 1, "vi")


def num(value: int | None) -> str:
    return format_int(value, "vi")


def rate_text(rate: Rate) -> str:
    return pct(rate.value) if rate.enough else WITHHELD


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
    return "±" + format_percent((high - low) / 2, 1, "vi").replace(" %", " điểm %")


def status_text(status: str | None) -> str:
    return STATUS_VI.get(status or "", "Chưa đủ dữ liệu để đánh giá")


def channel_text(code: str) -> str:
    return CHANNELS_VI.get(code, code)


def reason_text(code: str) -> str:
    return REASONS_VI.get(code, code)
