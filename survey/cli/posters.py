import sys

import click
from flask import current_app

from survey.agencies import get_by_code
from survey.posters.pages import LAYOUTS
from survey.posters.service import build_pdf, points_for


@click.command("posters")
@click.option("--agency", "agency_code", required=True, help="Agency code.")
@click.option("--subtree", is_flag=True, help="Also every agency under it.")
@click.option("--layout", type=click.Choice(LAYOUTS), default="a4", show_default=True)
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True), help="FILE.pdf")
@click.option("--hotline", default=None, help="Printed under the code (default: POSTER_HOTLINE).")
@click.option("--logo", is_flag=True, help="Agency logo in the centre of each code (QR_LOGO_DIR).")
def posters(agency_code, subtree, layout, output, hotline, logo) -> None:
    """One PDF with the posters of every active survey point of an agency."""
    agency = get_by_code(agency_code)
    if agency is None:
        raise click.ClickException(f"Không tìm thấy đơn vị {agency_code}.")
    points = points_for(agency, subtree)
    if not points:
        raise click.ClickException(f"{agency.code} không có điểm khảo sát đang dùng.")
    hotline = current_app.config["POSTER_HOTLINE"] if hotline is None else hotline
    with click.progressbar(length=len(points), label="Tạo áp phích", file=sys.stderr) as bar:
        data = build_pdf(points, layout, hotline, logo, progress=bar.update)
    try:
        with open(output, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise click.ClickException(f"Không ghi được tệp {output}: {exc.strerror}.") from exc
    click.echo(f"Đã tạo {len(points)} áp phích ({layout}) vào {output}.")
