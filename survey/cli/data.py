import sys

import click
from flask import current_app

from survey.demo import people
from survey.demo.seed import already_seeded, seed
from survey.dossier_counts import import_dossier_counts
from survey.extensions import db
from survey.importer import ImportFileError, ImportReport, import_agencies, import_procedures
from survey.integrity.sealer import pending_count, seal
from survey.rollups import freshness


@click.command("seed-demo")
@click.option("--days", default=365, show_default=True, help="Days of synthetic responses.")
def seed_demo(days: int) -> None:
    """Load the demo province (Lạng Sơn) once; running it again changes nothing."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("seed-demo is refused when HAILONG_ENV=production.")
    if already_seeded():
        seed(days)
        click.echo("Dữ liệu mẫu đã có sẵn; không tạo thêm.")
    else:
        with click.progressbar(length=days, label="Tạo phiếu mẫu", file=sys.stderr) as bar:
            created = seed(days, progress=bar.update)
        with click.progressbar(length=days + 1, label="Tổng hợp số liệu", file=sys.stderr) as bar:
            freshness.rebuild_all(progress=bar.update)
        click.echo(f"Đã tạo tỉnh mẫu với {created} phiếu khảo sát mẫu.")
        seal_demo()
    click.echo("Tài khoản dùng thử (chỉ cho bản demo):")
    for line in people.describe_demo_users():
        click.echo("  " + line)


def seal_demo() -> None:
    """Seal the demo answers at once, as the production timer would have
    (docs/integrity.md), so the integrity page and evidence packs show a seal."""
    with click.progressbar(length=max(pending_count(), 1), label="Niêm phong", file=sys.stderr) as bar:
        record = seal(progress=bar.update)
    click.echo(f"Niêm phong #{record.id}: {record.tree_size} lá, gốc {record.root_hash}")


@click.group("import")
def import_group() -> None:
    """Import agencies or procedures from CSV (all rows or nothing)."""


def _run_import(importer, file) -> None:
    try:
        report: ImportReport = importer(file.read())
    except ImportFileError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    if not report.ok:
        db.session.rollback()
        for line, reason in report.errors:
            click.echo(f"Dòng {line}: {reason}", err=True)
        raise click.ClickException(f"{len(report.errors)} dòng lỗi; không nhập dòng nào.")
    click.echo(f"Đã nhập: {report.created} mới, {report.updated} cập nhật.")


@import_group.command("agencies")
@click.argument("file", type=click.File("rb"))
def import_agencies_command(file) -> None:
    """CSV columns: code,name,kind,parent_code."""
    _run_import(import_agencies, file)


@import_group.command("procedures")
@click.argument("file", type=click.File("rb"))
def import_procedures_command(file) -> None:
    """CSV columns: code,name,field,agency_code."""
    _run_import(import_procedures, file)


@import_group.command("dossiers")
@click.argument("file", type=click.File("rb"))
def import_dossiers(file) -> None:
    """Dossiers received per month: agency_code,procedure_code,month,received (procedure may be empty)."""
    _run_import(import_dossier_counts, file)
