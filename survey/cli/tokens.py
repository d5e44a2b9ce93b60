import click
from sqlalchemy import select

from survey.agencies import get_by_code
from survey.api import tokens
from survey.extensions import db
from survey.models import ApiToken


@click.group("api-token")
def token_group() -> None:
    """Issue, list and revoke API tokens for integrating systems."""


@token_group.command("create")
@click.option("--name", required=True, help="The integrating system, e.g. 'Một cửa điện tử xã X'.")
@click.option("--agency", "agency_code", required=True, help="The token sees this agency's subtree.")
def create(name: str, agency_code: str) -> None:
    """Create a token and print it once (only its hash is stored)."""
    agency = get_by_code(agency_code)
    if agency is None:
        raise click.ClickException(f"Không tìm thấy đơn vị {agency_code}.")
    token, plain = tokens.issue(name, agency)
    db.session.commit()
    click.echo(plain)
    click.echo(f"Mã #{token.id} cho {agency.code}. Hãy lưu lại ngay: mã chỉ hiện một lần.", err=True)


@token_group.command("list")
def list_tokens() -> None:
    """List tokens (prefix, agency, status, last use)."""
    for token in db.session.scalars(select(ApiToken).order_by(ApiToken.id)):
        status = "active" if token.is_active else "revoked"
        click.echo(
            f"{token.id}\t{token.prefix}…\t{token.agency.code}\t{status}\t{token.last_used_at or ''}\t{token.name}"
        )


@token_group.command("revoke")
@click.argument("token_id", type=int)
def revoke(token_id: int) -> None:
    """Revoke a token by its number (see `api-token list`)."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException(f"Không có mã #{token_id}.")
    tokens.revoke(token)
    db.session.commit()
    click.echo(f"Đã thu hồi mã #{token_id}.")
