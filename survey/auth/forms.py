from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Vui lòng nhập email.")),
            Email(_l("Email không hợp lệ.")),
            Length(max=254),
        ],
    )
    password = PasswordField(
        _l("Mật khẩu"), validators=[DataRequired(_l("Vui lòng nhập mật khẩu.")), Length(max=200)]
    )


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Mật khẩu mới"),
        validators=[
            DataRequired(_l("Vui lòng nhập mật khẩu.")),
            Length(min=10, max=200, message=_l("Mật khẩu cần từ 10 đến 200 ký tự.")),
        ],
    )
    confirm = PasswordField(
        _l("Nhập lại mật khẩu"),
        validators=[
            DataRequired(_l("Vui lòng nhập lại mật khẩu.")),
            EqualTo("password", _l("Hai mật khẩu không khớp.")),
        ],
    )
