"""Forms of the follow-up pages. Validation lives here; views only call
validate_on_submit()."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from survey.models.followup import STATUSES

STATUS_LABELS = {
    "new": _l("Mới"),
    "in_progress": _l("Đang xử lý"),
    "answered": _l("Đã trả lời"),
    "closed": _l("Đã đóng"),
}
EVENT_LABELS = {
    "opened": _l("Mở hồ sơ"),
    "assignee": _l("Người xử lý"),
    "status": _l("Trạng thái"),
    "due_on": _l("Hạn trả lời"),
    "answer_text": _l("Nội dung trả lời"),
    "cause": _l("Nguyên nhân"),
    "corrective_action": _l("Hành động khắc phục"),
    "contact_purged": _l("Xóa thông tin liên hệ"),
}
TEXT_MAX = 4000


def _text(label):
    return TextAreaField(label, validators=[Optional(), Length(max=TEXT_MAX)])


class CaseForm(FlaskForm):
    """One form for the whole case; the service records each changed field."""

    assignee = SelectField(_l("Người xử lý"), coerce=int, validate_choice=True)
    status = SelectField(_l("Trạng thái"), choices=[SelectChoice(s, STATUS_LABELS[s]) for s in STATUSES])
    due_on = DateField(
        _l("Hạn trả lời (dd/mm/yyyy)"),
        format="%d/%m/%Y",
        validators=[InputRequired(_l("Vui lòng nhập hạn trả lời dạng dd/mm/yyyy."))],
    )
    answer_text = _text(_l("Nội dung đã trả lời người dân"))
    cause = _text(_l("Nguyên nhân"))
    corrective_action = _text(_l("Hành động khắc phục"))


class ButtonForm(FlaskForm):
    """A button that only carries the CSRF token (open a case, acknowledge)."""


def _count(label, low, high):
    message = _l("Nhập một số từ %(low)d đến %(high)d.", low=low, high=high)
    return IntegerField(label, validators=[InputRequired(message), NumberRange(low, high, message)])


class SettingsForm(FlaskForm):
    low_threshold = _count(_l("Mở hồ sơ khi có câu trả lời từ mức này trở xuống (1–5)"), 1, 4)
    due_working_days = _count(_l("Thời hạn trả lời (ngày làm việc)"), 1, 60)
    purge_after_days = _count(_l("Xóa thông tin liên hệ sau khi đóng hồ sơ (ngày)"), 0, 365)
    alert_window_minutes = _count(_l("Cửa sổ cảnh báo (phút)"), 5, 240)
    alert_min_answers = _count(_l("Số phiếu tối thiểu để cảnh báo"), 2, 500)
    alert_unhappy_percent = _count(_l("Tỷ lệ không hài lòng để cảnh báo (%)"), 10, 100)
    duty_officer_email = EmailField(
        _l("Email cán bộ trực nhận cảnh báo"),
        validators=[Optional(), Email(_l("Email không hợp lệ.")), Length(max=254)],
    )

    def values(self) -> dict:
        return {
            "low_threshold": self.low_threshold.data,
            "due_working_days": self.due_working_days.data,
            "purge_after_days": self.purge_after_days.data,
            "alert_window_minutes": self.alert_window_minutes.data,
            "alert_min_answers": self.alert_min_answers.data,
            "alert_unhappy_share": self.alert_unhappy_percent.data / 100,
            "duty_officer_email": (self.duty_officer_email.data or "").strip() or None,
        }
