import sys

import click

from survey.extensions import db
from survey.rollups import freshness


@click.group("rollups")
def rollups_group() -> None:
    """Pre-aggregated counts behind the dashboards."""


@rollups_group.command("refresh")
@click.option("--all", "everything", is_flag=True, help="Rebuild every closed day from scratch.")
def refresh(everything: bool) -> None:
    """Roll up closed days and recompute days changed late (run it every few minutes)."""
    days = len(freshness.pending_days()) if not everything else None
    with click.progressbar(length=days or 0, label="Tổng hợp theo ngày", file=sys.stderr) as bar:
        if everything:
            bar.length = None
            done = freshness.rebuild_all(progress=bar.update)
        else:
            done = freshness.catch_up(progress=bar.update)
    db.session.commit()
    click.echo(
        f"Đã tổng hợp {done} ngày; dữ liệu đã tổng hợp đến hết ngày {freshness.built_through():%d/%m/%Y}."
    )
