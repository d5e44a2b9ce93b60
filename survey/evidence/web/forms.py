"""Forms: which pack to make (dates typed dd/mm/yyyy) and a pack to verify."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from survey.periods import FIRST_YEAR, LAST_YEAR, year_supported


def parse_day(text: str) -> date:
    return datetime.strptime(text.strip(), "%d/%m/%Y").date()


class DayField(StringField):
    """A date typed as dd/mm/yyyy; the typed text is kept on error."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.day = None
        if self.data:
            try:
                self.day = parse_day(self.data)
            except ValueError:
                self.day = None

    def pre_validate(self, form):
        if self.data and self.day is None:
            raise ValidationError(_l("Ngày không hợp lệ, cần dạng ngày/tháng/năm, ví dụ 31/12/2026."))
        # Refused here: the pack job would only fail later, computing the previous period.
        if self.day is not None and not year_supported(self.day):
            raise ValidationError(
                _l(
                    "Ngày ngoài khoảng cho phép: năm từ %(first)d đến %(last)d.",
                    first=FIRST_YEAR,
                    last=LAST_YEAR,
                )
            )


class PackForm(FlaskForm):
    agency = SelectField(
        _l("Đơn vị"), validators=[DataRequired(_l("Vui lòng chọn đơn vị."))], validate_choice=True
    )
    subtree = BooleanField(_l("Gồm cả các đơn vị trực thuộc"), default=True)
    date_from = DayField(_l("Từ ngày"), validators=[DataRequired(_l("Vui lòng nhập ngày bắt đầu."))])
    date_to = DayField(_l("Đến ngày"), validators=[DataRequired(_l("Vui lòng nhập ngày kết thúc."))])
    lang = SelectField(
        _l("Ngôn ngữ của báo cáo"),
        choices=[SelectChoice("vi", _l("Tiếng Việt")), SelectChoice("en", _l("Tiếng Anh (English)"))],
        default="vi",
        validate_choice=True,
    )

    def validate_date_to(self, field):
        start = getattr(self.date_from, "day", None)
        if start and getattr(field, "day", None) and field.day < start:
            raise ValidationError(_l("Ngày kết thúc phải sau ngày bắt đầu."))


class VerifyForm(FlaskForm):
    pack = FileField(_l("Tệp gói minh chứng (.zip)"), validators=[FileRequired(_l("Vui lòng chọn tệp ZIP."))])
