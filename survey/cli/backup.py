"""`backup --output FILE` and `restore FILE` (docs/operations.md)."""

import os

import click
from sqlalchemy import func, select

from survey.backup import BackupError, backup, restore
from survey.extensions import db


@click.command("backup")
@click.option("--output", "output", required=True, help="Tệp sao lưu sẽ ghi.")
def backup_command(output: str) -> None:
    """Consistent backup while the service runs (SQLite backup API / pg_dump)."""
    click.echo("Đang sao lưu…", err=True)
    try:
        backup(db.engine, output)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Đã sao lưu vào {output} ({os.path.getsize(output):,} byte).".replace(",", "."))


@click.command("restore")
@click.argument("backup_file")
def restore_command(backup_file: str) -> None:
    """Restore a backup into the configured, empty database."""
    click.echo("Đang khôi phục…", err=True)
    try:
        restore(db.engine, backup_file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    from survey.models import Response

    responses = db.session.scalar(select(func.count()).select_from(Response))
    click.echo(f"Đã khôi phục {backup_file}: {responses} phiếu trả lời. Chạy verify-integrity để kiểm tra.")
