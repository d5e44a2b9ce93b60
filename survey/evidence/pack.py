"""Building the evidence pack: one ZIP an auditor can check on their own.

Layout (docs/evidence.md):
  report.pdf, data/responses.{csv,xlsx,json}, integrity/leaves.bin,
  integrity/records.jsonl, integrity/check_pack.py, VERIFY.txt,
  manifest.json (SHA-256 of every other file, filters, seal), SHA256SUMS.
Files are streamed to a temporary directory, then zipped; memory stays flat.
"""

import hashlib
import json
import os
import secrets
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from survey import __version__
from survey.evidence import auditor
from survey.evidence.datafiles import CsvWriter, JsonWriter, XlsxWriter, raw_layout_text, safe_cells
from survey.evidence.figures import ReportFigures, gather
from survey.evidence.report.render import render_report
from survey.evidence.rows import batches, columns
from survey.evidence.scope import EvidenceScope
from survey.evidence.statement import IntegrityStatement, check_leaf_log, open_statement
from survey.integrity.sealer import seal
from survey.models.types import utcnow

FORMAT = "hailong-evidence-pack/1"
Progress = Callable[[str, int], None]  # (stage, rows done in this step)


@dataclass
class PackResult:
    path: str
    sha256: str
    size: int
    manifest: dict


def build_pack(
    scope: EvidenceScope, output: str, progress: Progress | None = None, lang: str = "vi"
) -> PackResult:
    report = progress or (lambda stage, n: None)
    generated_at = utcnow()
    seal()
    report("seal", 0)
    statement = open_statement(scope)
    figures = gather(scope)
    doc_id = document_id(scope, generated_at)
    workdir = tempfile.mkdtemp(prefix="hailong-pack-")
    try:
        layout = write_data(workdir, scope, figures, statement, report)
        write_leaves(workdir, statement)
        with open(os.path.join(workdir, "report.pdf"), "wb") as fh:
            fh.write(render_report(figures, statement, doc_id, generated_at, lang))
        report("report", 0)
        write_auditor_files(workdir, doc_id, scope, statement, layout)
        manifest = write_manifest(workdir, doc_id, generated_at, scope, figures, statement, layout)
        zip_directory(workdir, output)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return PackResult(output, sha256_file(output), os.path.getsize(output), manifest)


def document_id(scope: EvidenceScope, generated_at: datetime) -> str:
    """HLQR-agency-from-to-generated time-suffix. The random suffix tells apart
    packs made in the same second (the Vietnamese and the English pack of one
    period, two users, CLI and web): a signed paper names exactly one pack."""
    stamp = f"{scope.date_from:%Y%m%d}-{scope.date_to:%Y%m%d}-{generated_at:%Y%m%d%H%M%S}"
    return f"HLQR-{scope.agency.code}-{stamp}-{secrets.token_hex(3).upper()}"


def write_data(
    workdir: str,
    scope: EvidenceScope,
    figures: ReportFigures,
    statement: IntegrityStatement,
    report: Progress,
) -> dict:
    """One pass over the scope's responses feeds every data file and the
    integrity records; returns how the XLSX raw rows were laid out."""
    os.makedirs(os.path.join(workdir, "data"))
    os.makedirs(os.path.join(workdir, "integrity"))
    cols = columns()
    csv_file = CsvWriter(os.path.join(workdir, "data", "responses.csv"), cols)
    xlsx = XlsxWriter(os.path.join(workdir, "data", "responses.xlsx"), figures, cols)
    header = {"format": FORMAT, "filters": scope.as_dict(), "columns": cols}
    json_file = JsonWriter(os.path.join(workdir, "data", "responses.json"), header)
    with open(os.path.join(workdir, "integrity", "records.jsonl"), "w", encoding="utf-8") as records:
        for batch in batches(scope, statement.cutoff):
            cells = safe_cells(batch.rows, cols)
            csv_file.write(cells)
            xlsx.write(cells)
            json_file.write(batch.rows)
            records.writelines(_record_line(index, data) for index, data in batch.records)
            statement.problems += batch.problems
            statement.sealed += batch.sealed
            statement.unsealed += len(batch.rows) - batch.sealed
            report("data", len(batch.rows))
    for writer in (csv_file, xlsx, json_file):
        writer.close()
    return xlsx.layout()


def _record_line(index: int | None, data: bytes) -> str:
    return json.dumps({"leaf_index": index, "leaf": data.decode("utf-8")}, ensure_ascii=False) + "\n"


def write_leaves(workdir: str, statement: IntegrityStatement) -> None:
    with open(os.path.join(workdir, "integrity", "leaves.bin"), "wb") as fh:
        check_leaf_log(statement, fh.write)


def write_auditor_files(
    workdir: str, doc_id: str, scope: EvidenceScope, statement: IntegrityStatement, layout: dict
) -> None:
    with open(os.path.join(workdir, "integrity", "check_pack.py"), "w", encoding="utf-8") as fh:
        fh.write(auditor.CHECK_SCRIPT)
    seal_info = statement.seal or {"id": "—", "tree_size": 0, "root_hash": "—"}
    text = auditor.VERIFY_TEXT.format(
        document_id=doc_id,
        agency=f"{scope.agency.name} ({scope.agency.code})",
        date_from=scope.date_from.strftime("%d/%m/%Y"),
        date_to=scope.date_to.strftime("%d/%m/%Y"),
        seal_id=seal_info["id"],
        tree_size=seal_info["tree_size"],
        root_hash=seal_info["root_hash"],
        raw_layout=raw_layout_text(layout),
    )
    with open(os.path.join(workdir, "VERIFY.txt"), "w", encoding="utf-8") as fh:
        fh.write(text)


def write_manifest(workdir, doc_id, generated_at, scope, figures, statement, layout) -> dict:
    files = {
        name: {
            "sha256": sha256_file(os.path.join(workdir, name)),
            "bytes": os.path.getsize(os.path.join(workdir, name)),
        }
        for name in member_names(workdir)
    }
    summary = figures.summary
    manifest = {
        "format": FORMAT,
        "document_id": doc_id,
        "generated_at": generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "product": "Hài Lòng QR",
        "product_version": __version__,
        "filters": scope.as_dict(),
        "counts": {
            "responses": summary.responses,
            "counted": summary.counted,
            "excluded": summary.responses - summary.counted,
            "sealed": statement.sealed,
            "not_yet_sealed": statement.unsealed,
        },
        "seal": statement.seal,
        "seals_in_period": statement.seals_in_period,
        "integrity_check": {
            "ok": not statement.problems,
            "problems": statement.problems[:20],
            "problem_count": len(statement.problems),
        },
        "xlsx_raw_sheets": layout,
        "files": files,
    }
    with open(os.path.join(workdir, "manifest.json"), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=2)
    sums = [f"{sha256_file(os.path.join(workdir, n))}  {n}" for n in member_names(workdir)]
    with open(os.path.join(workdir, "SHA256SUMS"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(sums) + "\n")
    return manifest


def member_names(workdir: str) -> list[str]:
    names = []
    for root, _, files in os.walk(workdir):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), workdir).replace(os.sep, "/")
            if rel != "SHA256SUMS":
                names.append(rel)
    return sorted(names)


def zip_directory(workdir: str, output: str) -> None:
    partial = output + ".part"
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name in member_names(workdir) + ["SHA256SUMS"]:
            archive.write(os.path.join(workdir, name), name)
    os.replace(partial, output)


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
