import sys

import click
from sqlalchemy import select

from survey.agencies import get_by_code
from survey.auth.passwords import password_problems
from survey.extensions import db
from survey.models import User
from survey.models.user import ROLE_HEAD, ROLE_STAFF, ROLES


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--agency", "agency_code", help="Agency code of the user's scope.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email: str, role: str, agency_code: str | None, password_stdin: bool) -> None:
    """Create a staff account; the password is prompted for or read from stdin."""
    email = email.strip().lower()
    if db.session.scalar(select(User).where(User.email == email)):
        raise click.ClickException(f"Email {email} đã được dùng.")
    agency = get_by_code(agency_code) if agency_code else None
    if agency_code and agency is None:
        raise click.ClickException(f"Không tìm thấy đơn vị {agency_code}.")
    if role in (ROLE_HEAD, ROLE_STAFF) and agency is None:
        raise click.ClickException("Vai trò này cần --agency.")
    password = _read_password(password_stdin)
    if problems := password_problems(password, email):
        raise click.ClickException(" ".join(problems))
    user = User(email=email, role=role, agency=agency)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Đã tạo tài khoản {email} ({role}).")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True)
    return password
