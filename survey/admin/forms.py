"""Console forms. Validation lives here; a failed submit keeps what was typed."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, EmailField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from survey.kinds import is_known

CODE = Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Mã chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang."))


def _known_kind(_form, field) -> None:
    from wtforms.validators import ValidationError

    if not is_known(field.data):
        raise ValidationError(_l("Loại đơn vị không hợp lệ."))


class AgencyForm(FlaskForm):
    code = StringField(
        _l("Mã đơn vị"), validators=[DataRequired(_l("Vui lòng nhập mã.")), Length(max=40), CODE]
    )
    name = StringField(_l("Tên đơn vị"), validators=[DataRequired(_l("Vui lòng nhập tên.")), Length(max=300)])
    kind = SelectField(_l("Loại đơn vị"), validators=[_known_kind])
    parent = SelectField(_l("Đơn vị cấp trên"), validators=[Optional()])


class RenameForm(FlaskForm):
    name = StringField(_l("Tên mới"), validators=[DataRequired(_l("Vui lòng nhập tên.")), Length(max=300)])
    kind = SelectField(_l("Loại đơn vị"), validators=[_known_kind])


def _percent(_form, field) -> None:
    from wtforms.validators import ValidationError

    from survey.quality_targets import TargetError, parse_percent

    try:
        field.parsed = parse_percent(field.data)
    except TargetError as error:
        raise ValidationError(str(error)) from None


class TargetForm(FlaskForm):
    target = StringField(_l("Mục tiêu chất lượng (% hài lòng)"), validators=[Length(max=20), _percent])


class ParentForm(FlaskForm):
    parent = SelectField(_l("Chuyển vào dưới"), validators=[Optional()])


class MergeForm(FlaskForm):
    target = SelectField(_l("Sáp nhập vào đơn vị"), validators=[DataRequired(_l("Chọn đơn vị."))])
    confirmed = HiddenField()


class ConfirmForm(FlaskForm):
    """An empty form: its CSRF token is the confirmation."""


class ImportForm(FlaskForm):
    file = FileField(_l("Tệp CSV"), validators=[FileRequired(_l("Chọn một tệp CSV."))])
    retire_missing = BooleanField(_l("Ngừng áp dụng các thủ tục không có trong tệp"), default=True)


class ApplyImportForm(FlaskForm):
    payload = HiddenField(validators=[DataRequired()])
    retire_missing = HiddenField()


class AssignProcedureForm(FlaskForm):
    procedure = StringField(
        _l("Mã thủ tục"), validators=[DataRequired(_l("Nhập mã thủ tục.")), Length(max=20)]
    )


class PointForm(FlaskForm):
    agency = SelectField(_l("Đơn vị"), validators=[DataRequired()])
    procedure = StringField(_l("Mã thủ tục (để trống: cả đơn vị)"), validators=[Optional(), Length(max=20)])
    counter = StringField(
        _l("Quầy"), validators=[Optional(), Length(max=100, message=_l("Tên quầy tối đa %(max)d ký tự."))]
    )
    per_procedure = BooleanField(_l("Tạo một điểm cho mỗi thủ tục của đơn vị"))


class CounterForm(FlaskForm):
    counter = StringField(
        _l("Quầy"), validators=[Optional(), Length(max=100, message=_l("Tên quầy tối đa %(max)d ký tự."))]
    )


class RetirePointForm(FlaskForm):
    replacement = StringField(
        _l("Mã điểm thay thế (không bắt buộc)"), validators=[Optional(), Length(max=16)]
    )
    confirmed = HiddenField()


class AssignQuestionnaireForm(FlaskForm):
    questionnaire = SelectField(_l("Phiên bản phiếu"), coerce=int)
    valid_from = DateField(_l("Áp dụng từ ngày"), validators=[DataRequired(_l("Nhập ngày (dd/mm/yyyy)."))])


class UserForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Vui lòng nhập email.")),
            Email(_l("Email không hợp lệ.")),
            Length(max=254),
        ],
    )
    full_name = StringField(_l("Họ và tên"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Vai trò"))
    agency = SelectField(_l("Phạm vi (đơn vị)"), validators=[Optional()])


class TokenForm(FlaskForm):
    name = StringField(
        _l("Tên hệ thống tích hợp"), validators=[DataRequired(_l("Vui lòng nhập tên.")), Length(max=200)]
    )
    agency = SelectField(_l("Phạm vi (đơn vị)"), validators=[DataRequired()])
