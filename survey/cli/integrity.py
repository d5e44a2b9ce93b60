import sys

import click
from sqlalchemy import func, select

from survey.extensions import db
from survey.integrity.sealer import latest_seal, pending_count, seal
from survey.integrity.verify import verify
from survey.models import SealedLeaf


@click.command("seal")
def seal_command() -> None:
    """Seal settled responses and exclusions (run every few minutes by a timer)."""
    previous = latest_seal()
    with click.progressbar(length=max(pending_count(), 1), label="Niêm phong", file=sys.stderr) as bar:
        record = seal(progress=bar.update)
    added = record.tree_size - (previous.tree_size if previous else 0)
    click.echo(f"Niêm phong #{record.id}: {record.tree_size} lá (+{added}), gốc {record.root_hash}")
    click.echo(f"Còn {pending_count()} phiếu chưa niêm phong (mới gửi, chờ ổn định).")


@click.command("verify-integrity")
@click.option("--root", "root", help="Gốc Merkle đã công bố trước đây (hex).")
@click.option("--size", "size", type=int, help="Số lá của gốc đã công bố.")
def verify_integrity_command(root: str | None, size: int | None) -> None:
    """Check every sealed response and exclusion; exit 1 naming the first broken place."""
    if (root is None) != (size is None):
        raise click.UsageError("--root và --size phải đi cùng nhau.")
    total = db.session.scalar(select(func.count()).select_from(SealedLeaf)) or 0
    with click.progressbar(length=max(total, 1), label="Kiểm tra", file=sys.stderr) as bar:
        report = verify((size, root) if root else None, progress=bar.update)
    waiting = pending_count()
    if report.ok:
        last = latest_seal()
        where = f"gốc {last.root_hash}" if last else "chưa có niêm phong nào"
        click.echo(f"Toàn vẹn: {report.leaves} lá, {report.seals} niêm phong đều khớp ({where}).")
        if waiting:  # normal: sent after the last seal's cutoff; the next `seal` takes them
            click.echo(f"Chưa niêm phong: {waiting} phiếu gửi sau lần niêm phong cuối (không phải lỗi).")
        return
    click.echo(f"PHÁT HIỆN {len(report.problems)} chỗ không khớp. Chỗ đầu tiên:", err=True)
    for line in report.problems[:50]:
        click.echo("  " + line, err=True)
    sys.exit(1)
