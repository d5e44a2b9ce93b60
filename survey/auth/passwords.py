"""Password rules for staff accounts (CLI and any password form)."""

from flask_babel import gettext as _

MIN_LENGTH = 10
MAX_LENGTH = 200
# The few passwords people pick first; a long list belongs in a file, but
# these cover what guessers try first on a Vietnamese government site.
COMMON = {
    "1234567890",
    "12345678910",
    "0123456789",
    "qwertyuiop",
    "password123",
    "matkhau123",
    "matkhau1234",
    "abc@123456",
    "admin@1234",
    "admin12345",
    "123456789a",
    "a123456789",
    "hailong123",
}


def password_problems(password: str, email: str = "") -> list[str]:
    """Every rule the password breaks, in Vietnamese; [] when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("Mật khẩu cần ít nhất %(n)d ký tự.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_("Mật khẩu dài tối đa %(n)d ký tự.", n=MAX_LENGTH))
    if len(set(password)) < 4:
        problems.append(_("Mật khẩu cần ít nhất 4 ký tự khác nhau."))
    if password.lower() in COMMON:
        problems.append(_("Mật khẩu này quá phổ biến, dễ bị đoán."))
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in password.lower():
        problems.append(_("Mật khẩu không được chứa tên đăng nhập (email)."))
    return problems
