import sys
from datetime import date

import click

from survey import periods
from survey.agencies import get_by_code
from survey.evidence.jobs import finish
from survey.evidence.pack import build_pack
from survey.evidence.scope import EvidenceScope, default_period
from survey.evidence.verify_pack import verify_pack
from survey.extensions import db
from survey.i18n import to_local
from survey.models import EvidenceJob
from survey.models.types import utcnow
from survey.summaries import summarise


def _date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"Ngày không hợp lệ: {value!r} (cần YYYY-MM-DD).", param_hint=name) from exc
    if not periods.year_supported(day):
        span = f"năm từ {periods.FIRST_YEAR} đến {periods.LAST_YEAR}"
        raise click.BadParameter(f"Ngày ngoài khoảng cho phép: {value!r} ({span}).", param_hint=name)
    return day


@click.command("evidence-pack")
@click.option("--agency", "agency_code", required=True, help="Mã đơn vị.")
@click.option("--subtree", is_flag=True, help="Gồm cả các đơn vị trực thuộc.")
@click.option("--from", "date_from", help="Từ ngày (YYYY-MM-DD), mặc định: 12 tháng trọn vẹn gần nhất.")
@click.option("--to", "date_to", help="Đến ngày (YYYY-MM-DD), tính cả ngày này.")
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True), help="Tệp ZIP.")
@click.option(
    "--lang",
    type=click.Choice(["vi", "en"]),
    default="vi",
    show_default=True,
    help="Ngôn ngữ của báo cáo PDF (vi: tiếng Việt, en: tiếng Anh).",
)
def evidence_pack_command(agency_code, subtree, date_from, date_to, output, lang) -> None:
    """Build the ISO 9001 evidence pack (report, data, manifest) for an agency and a period."""
    agency = get_by_code(agency_code)
    if agency is None:
        raise click.ClickException(f"Không có đơn vị mã {agency_code!r}.")
    start, end = default_period(to_local(utcnow()).date())
    start, end = _date(date_from, "--from") or start, _date(date_to, "--to") or end
    if start > end:
        raise click.ClickException("Ngày bắt đầu phải trước ngày kết thúc.")
    scope = EvidenceScope(agency, subtree, start, end)
    total = summarise(scope.agency_ids, scope.period).responses
    with click.progressbar(length=max(total, 1), label="Tạo gói minh chứng", file=sys.stderr) as bar:
        result = build_pack(
            scope, output, progress=lambda stage, n: bar.update(n) if stage == "data" else None, lang=lang
        )
    record_cli_pack(scope, result, lang)
    seal = result.manifest["seal"]
    click.echo(f"Đã tạo {result.path}: {result.size} byte, SHA-256 {result.sha256}")
    click.echo(f"Niêm phong #{seal['id']}: {seal['tree_size']} lá, gốc {seal['root_hash']}")
    if not result.manifest["integrity_check"]["ok"]:
        click.echo("CẢNH BÁO: kiểm tra toàn vẹn phát hiện chỗ không khớp (xem báo cáo, mục 6).", err=True)


def record_cli_pack(scope: EvidenceScope, result, lang: str = "vi") -> None:
    """Packs made on the command line are listed with the others (who: none)."""
    job = EvidenceJob(
        agency_id=scope.agency.id,
        subtree=scope.subtree,
        date_from=scope.date_from,
        date_to=scope.date_to,
        lang=lang,
    )
    db.session.add(job)
    job.rows_total = result.manifest["counts"]["responses"]
    finish(job, result)


@click.command("verify-pack")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--root", help="Gốc Merkle giữ từ trước (hex).")
@click.option("--size", type=int, help="Số lá của gốc đó.")
@click.option(
    "--previous", type=click.Path(exists=True, dir_okay=False), help="Một gói trước đó để đối chiếu."
)
def verify_pack_command(file, root, size, previous) -> None:
    """Exit 0 for an untouched pack; 1 naming every changed file otherwise."""
    if (root is None) != (size is None):
        raise click.UsageError("--root và --size phải đi cùng nhau.")
    check = verify_pack(file, (size, root) if root else None, previous)
    for note in check.notes:
        click.echo(note)
    if check.ok:
        click.echo("Gói nguyên vẹn: mọi tệp khớp SHA-256, dữ liệu khớp niêm phong.")
        return
    for problem in check.problems:
        click.echo(problem, err=True)
    sys.exit(1)
