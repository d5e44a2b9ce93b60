"""The evidence pack end to end: built by the CLI, checked by us and by an
auditor with only sha256sum and standard-library Python."""

import json
import os
import re
import shutil
import subprocess
import zipfile

import pytest
from sqlalchemy import text

from survey.evidence import pack as pack_module
from survey.extensions import db
from survey.models.types import utcnow
from tests.evidence_helpers import cli_dates, members, populate, rewrite, scope_for, sealed_now

EXPECTED = {
    "report.pdf",
    "data/responses.csv",
    "data/responses.xlsx",
    "data/responses.json",
    "integrity/leaves.bin",
    "integrity/records.jsonl",
    "integrity/check_pack.py",
    "VERIFY.txt",
    "manifest.json",
    "SHA256SUMS",
}


@pytest.fixture
def pack(runner, province, app, monkeypatch, tmp_path):
    populate(province)
    sealed_now(app, monkeypatch)
    path = str(tmp_path / "pack.zip")
    args = [
        "evidence-pack",
        "--agency",
        "T01",
        "--subtree",
        *cli_dates(scope_for(province.root)),
        "--output",
        path,
    ]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Niêm phong #" in result.output
    return path


def test_pack_holds_every_file_and_a_manifest_of_hashes(pack, province):
    content = members(pack)
    assert set(content) == EXPECTED
    manifest = json.loads(content["manifest.json"])
    assert manifest["filters"]["agency_code"] == "T01" and manifest["filters"]["subtree"] is True
    assert manifest["counts"] == {
        "responses": 37,
        "counted": 36,
        "excluded": 1,
        "sealed": 37,
        "not_yet_sealed": 0,
    }
    assert manifest["integrity_check"]["ok"] is True
    assert set(manifest["files"]) == EXPECTED - {"manifest.json", "SHA256SUMS"}
    assert manifest["seal"]["tree_size"] == 38  # 37 responses and one exclusion
    assert manifest["product_version"]
    assert manifest["seal"]["root_hash"] in content["VERIFY.txt"].decode()


def test_untouched_pack_verifies(runner, pack):
    result = runner.invoke(args=["verify-pack", pack])
    assert result.exit_code == 0, result.output
    assert "Gói nguyên vẹn" in result.output


@pytest.mark.parametrize("name", ["report.pdf", "data/responses.csv", "integrity/leaves.bin"])
def test_one_byte_changed_fails_naming_the_file(runner, pack, name):
    def flip(data: bytes) -> bytes:
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]

    rewrite(pack, name, flip)
    result = runner.invoke(args=["verify-pack", pack])
    assert result.exit_code == 1
    assert f"Tệp {name} đã bị thay đổi" in result.output


def test_corrupted_zip_bytes_fail(runner, pack):
    with open(pack, "r+b") as fh:
        fh.seek(200)
        byte = fh.read(1)
        fh.seek(200)
        fh.write(bytes([byte[0] ^ 0xFF]))
    result = runner.invoke(args=["verify-pack", pack])
    assert result.exit_code == 1
    assert "Tệp VERIFY.txt bị hỏng trong gói ZIP" in result.output  # the first member


def test_added_file_is_named(runner, pack):
    with zipfile.ZipFile(pack, "a") as archive:
        archive.writestr("data/extra.csv", "id\n1\n")
    result = runner.invoke(args=["verify-pack", pack])
    assert result.exit_code == 1 and "Tệp data/extra.csv không có trong danh sách" in result.output


def test_auditor_checks_without_our_software(pack, tmp_path):
    """sha256sum -c and the pack's own stdlib script, run by the system Python."""
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(folder)
    sums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert sums.returncode == 0, sums.stdout + sums.stderr
    assert sums.stdout.count(": OK") == len(EXPECTED) - 1
    python = shutil.which("python3", path="/usr/bin:/bin")
    script = subprocess.run(
        [python, "-I", "integrity/check_pack.py", "."], cwd=folder, capture_output=True, text=True
    )
    assert script.returncode == 0, script.stdout + script.stderr
    assert "root matches leaves.bin: True" in script.stdout and "mismatches: 0" in script.stdout
    # An edited record is caught by the same script.
    records = (folder / "integrity" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(records[0])
    first["leaf"] = first["leaf"].replace('"overall":', '"overall":1')
    records[0] = json.dumps(first, ensure_ascii=False)
    (folder / "integrity" / "records.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    again = subprocess.run(
        [python, "-I", "integrity/check_pack.py", "."], cwd=folder, capture_output=True, text=True
    )
    assert again.returncode == 1 and "mismatches: 1" in again.stdout


def test_tampering_in_the_database_is_stated_in_the_pack(runner, province, app, monkeypatch, tmp_path):
    data = populate(province)
    sealed_now(app, monkeypatch)
    db.session.execute(
        text("UPDATE answers SET value = 5 WHERE response_id = :id"), {"id": data.responses[-1].id}
    )
    db.session.commit()
    path = str(tmp_path / "p.zip")
    args = [
        "evidence-pack",
        "--agency",
        "T01",
        "--subtree",
        *cli_dates(scope_for(province.root)),
        "--output",
        path,
    ]
    result = runner.invoke(args=args)
    assert result.exit_code == 0 and "CẢNH BÁO" in result.output
    manifest = json.loads(members(path)["manifest.json"])
    assert manifest["integrity_check"]["ok"] is False
    assert f"phiếu id {data.responses[-1].id} đã bị sửa" in manifest["integrity_check"]["problems"][0]


def test_rewritten_history_is_caught_against_an_earlier_pack(runner, province, app, monkeypatch, tmp_path):
    data = populate(province)
    sealed_now(app, monkeypatch)
    dates = cli_dates(scope_for(province.root))
    first, second = str(tmp_path / "q1.zip"), str(tmp_path / "q2.zip")
    assert (
        runner.invoke(
            args=["evidence-pack", "--agency", "T01", "--subtree", *dates, "--output", first]
        ).exit_code
        == 0
    )
    # Someone with the database and the server edits an answer and rebuilds every seal.
    db.session.execute(text("UPDATE responses SET overall = 5 WHERE id = :id"), {"id": data.responses[-1].id})
    db.session.execute(text("DELETE FROM sealed_leaves"))
    db.session.execute(text("DELETE FROM integrity_seals"))
    db.session.commit()
    assert (
        runner.invoke(
            args=["evidence-pack", "--agency", "T01", "--subtree", *dates, "--output", second]
        ).exit_code
        == 0
    )
    assert runner.invoke(args=["verify-pack", second]).exit_code == 0  # consistent on its own
    result = runner.invoke(args=["verify-pack", second, "--previous", first])
    assert result.exit_code == 1 and "bị viết lại" in result.output
    manifest = json.loads(members(first)["manifest.json"])
    seal = manifest["seal"]
    root_check = runner.invoke(
        args=["verify-pack", second, "--root", seal["root_hash"], "--size", str(seal["tree_size"])]
    )
    assert root_check.exit_code == 1


def test_a_later_pack_extends_an_earlier_one(runner, province, app, monkeypatch, tmp_path):
    populate(province)
    sealed_now(app, monkeypatch)
    dates = cli_dates(scope_for(province.root))
    first, second = str(tmp_path / "a.zip"), str(tmp_path / "b.zip")
    assert (
        runner.invoke(
            args=["evidence-pack", "--agency", "T01", "--subtree", *dates, "--output", first]
        ).exit_code
        == 0
    )
    from tests import factories

    factories.answer(province.point_a, overall=4)
    assert (
        runner.invoke(
            args=["evidence-pack", "--agency", "T01", "--subtree", *dates, "--output", second]
        ).exit_code
        == 0
    )
    result = runner.invoke(args=["verify-pack", second, "--previous", first])
    assert result.exit_code == 0, result.output
    assert "của gói trước" in result.output


def test_packs_made_in_the_same_second_have_their_own_document_ids(
    runner, province, app, monkeypatch, tmp_path
):
    """The Vietnamese and the English pack of one period, made at once: a
    signed report must name exactly one pack."""
    populate(province)
    sealed_now(app, monkeypatch)
    moment = utcnow().replace(microsecond=0)
    monkeypatch.setattr(pack_module, "utcnow", lambda: moment)
    scope = scope_for(province.root)
    ids = []
    for lang in ("vi", "en"):
        path = str(tmp_path / f"{lang}.zip")
        args = ["evidence-pack", "--agency", "T01", "--subtree", *cli_dates(scope), "--lang", lang]
        assert runner.invoke(args=[*args, "--output", path]).exit_code == 0
        content = members(path)
        doc_id = json.loads(content["manifest.json"])["document_id"]
        assert doc_id in content["VERIFY.txt"].decode()
        ids.append(doc_id)
    assert ids[0] != ids[1]
    prefix = f"HLQR-T01-{scope.date_from:%Y%m%d}-{scope.date_to:%Y%m%d}-{moment:%Y%m%d%H%M%S}-"
    assert all(re.fullmatch(re.escape(prefix) + "[0-9A-F]{6}", doc_id) for doc_id in ids)


def test_bad_arguments_give_clear_messages(runner, province, tmp_path):
    out = str(tmp_path / "x.zip")
    unknown = runner.invoke(args=["evidence-pack", "--agency", "NOPE", "--output", out])
    assert unknown.exit_code != 0 and "Không có đơn vị mã 'NOPE'" in unknown.output
    bad_date = runner.invoke(
        args=["evidence-pack", "--agency", "T01", "--from", "31/12/2026", "--output", out]
    )
    assert bad_date.exit_code != 0 and "Ngày không hợp lệ" in bad_date.output
    assert not os.path.exists(out)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_command_refuses_a_date_outside_the_supported_years(runner, province, tmp_path, day):
    """As the web form does: a clear message, and no pack started for a year the
    report could not even compute its previous period for."""
    path = tmp_path / "p.zip"
    result = runner.invoke(
        args=["evidence-pack", "--agency", "T01", "--from", day, "--to", "2026-01-31", "--output", str(path)]
    )
    assert result.exit_code == 2 and "Ngày ngoài khoảng cho phép" in result.output
    assert not path.exists()
