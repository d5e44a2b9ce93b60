import csv
import sys

import click
from sqlalchemy import select

from survey.agencies import get_by_code
from survey.extensions import db
from survey.models import Procedure
from survey.points import EXPORT_COLUMNS, create_point, export_rows, find_point, public_url
from survey.retirement import RetirementError, retire_point


@click.group("survey-points")
def points_group() -> None:
    """Create and list survey points (QR codes)."""


@points_group.command("create")
@click.option("--agency", "agency_code", required=True)
@click.option("--procedure", "procedure_code")
@click.option("--counter")
def create(agency_code: str, procedure_code: str | None, counter: str | None) -> None:
    """Create a survey point; prints its code and URL."""
    agency = get_by_code(agency_code)
    if agency is None:
        raise click.ClickException(f"Không tìm thấy đơn vị {agency_code}.")
    procedure = None
    if procedure_code:
        procedure = db.session.scalar(select(Procedure).where(Procedure.code == procedure_code))
        if procedure is None:
            raise click.ClickException(f"Không tìm thấy thủ tục {procedure_code}.")
    point = create_point(agency, procedure, counter)
    db.session.commit()
    click.echo(f"{point.code}\t{public_url(point.code)}")


@points_group.command("export")
@click.option("--agency", "agency_code", help="Only this agency and its subtree.")
def export(agency_code: str | None) -> None:
    """Print every survey point as CSV to standard output."""
    ids = None
    if agency_code:
        from survey.agencies import subtree_ids

        agency = get_by_code(agency_code)
        if agency is None:
            raise click.ClickException(f"Không tìm thấy đơn vị {agency_code}.")
        ids = subtree_ids(agency.id)
    writer = csv.DictWriter(sys.stdout, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in export_rows(ids):
        writer.writerow(row)


@points_group.command("retire")
@click.argument("code")
@click.option("--replacement", "replacement_code", help="Code of the point that takes over.")
def retire(code: str, replacement_code: str | None) -> None:
    """Retire a point (damaged or moved poster); its code keeps working and
    its page sends citizens to the replacement."""
    point = find_point(code)
    if point is None:
        raise click.ClickException(f"Không tìm thấy điểm khảo sát {code}.")
    replacement = None
    if replacement_code:
        replacement = find_point(replacement_code)
        if replacement is None:
            raise click.ClickException(f"Không tìm thấy điểm thay thế {replacement_code}.")
    try:
        retire_point(point, replacement)
    except RetirementError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    target = f" → {replacement.code}\t{public_url(replacement.code)}" if replacement else ""
    click.echo(f"Đã ngừng sử dụng {point.code}{target}")
