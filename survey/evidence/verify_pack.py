"""Checking a pack: every file against SHA256SUMS and the manifest, the
leaves against the seal root, every record against its leaf, and optionally
against a root published earlier or an earlier pack (history not rewritten)."""

import hashlib
import io
import json
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field

from survey.integrity.merkle import TreeBuilder

OPTIONAL_NAMES = {"SHA256SUMS"}


@dataclass
class PackCheck:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    manifest: dict | None = None
    roots: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_pack(path, published: tuple[int, str] | None = None, previous=None) -> PackCheck:
    """`published`: (size, root) held from earlier; `previous`: an earlier pack.
    Members are hashed as streams: memory stays small for a province-year."""
    check = PackCheck()
    targets = [(published[0], published[1], "gốc đã công bố")] if published else []
    if previous is not None:
        targets += earlier_seal(previous, check)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        check.problems.append(f"Không mở được tệp ZIP: {exc}.")
        return check
    with archive:
        hashes = member_hashes(archive, check)
        check_sums(archive, hashes, check)
        check_manifest(archive, hashes, check)
        if check.manifest is not None:
            check_leaves(archive, check, {size for size, _, _ in targets})
    for target in targets:
        compare_root(check, target)
    return check


def earlier_seal(previous, check: PackCheck) -> list[tuple[int, str, str]]:
    earlier = verify_pack(previous)
    if not earlier.ok or earlier.manifest is None or not earlier.manifest.get("seal"):
        check.problems.append("Gói trước không hợp lệ: " + "; ".join(earlier.problems[:3]))
        return []
    seal = earlier.manifest["seal"]
    return [(seal["tree_size"], seal["root_hash"], f"niêm phong #{seal['id']} của gói trước")]


READ_ERRORS = (zipfile.BadZipFile, OSError, ValueError, zlib.error)  # CRC or deflate errors


def member_hashes(archive: zipfile.ZipFile, check: PackCheck) -> dict[str, str]:
    hashes = {}
    for info in archive.infolist():
        digest = hashlib.sha256()
        try:
            with archive.open(info) as fh:
                for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                    digest.update(chunk)
        except READ_ERRORS as exc:
            check.problems.append(f"Tệp {info.filename} bị hỏng trong gói ZIP ({exc}).")
            continue
        hashes[info.filename] = digest.hexdigest()
    return hashes


def _read(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        return archive.read(name)
    except (KeyError, *READ_ERRORS):
        return None


def check_sums(archive: zipfile.ZipFile, hashes: dict[str, str], check: PackCheck) -> None:
    data = _read(archive, "SHA256SUMS")
    if data is None:
        check.problems.append("Thiếu tệp SHA256SUMS.")
        return
    listed = {}
    for line in data.decode("utf-8", "replace").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    names = {info.filename for info in archive.infolist()}
    for name, digest in listed.items():
        if name not in names:
            check.problems.append(f"Tệp {name} bị thiếu trong gói.")
        elif name in hashes and hashes[name] != digest:
            check.problems.append(f"Tệp {name} đã bị thay đổi (SHA-256 không khớp).")
    for name in sorted(names - set(listed) - OPTIONAL_NAMES):
        check.problems.append(f"Tệp {name} không có trong danh sách SHA256SUMS (được thêm vào sau).")


def check_manifest(archive: zipfile.ZipFile, hashes: dict[str, str], check: PackCheck) -> None:
    try:
        check.manifest = json.loads(_read(archive, "manifest.json") or b"")
    except ValueError:
        check.problems.append("Thiếu hoặc hỏng tệp manifest.json.")
        return
    for name, info in check.manifest.get("files", {}).items():
        if name in hashes and hashes[name] != info.get("sha256"):
            message = f"Tệp {name} đã bị thay đổi (SHA-256 không khớp)."
            if message not in check.problems:
                check.problems.append(message + " (theo manifest.json)")


class LeafFile:
    """integrity/leaves.bin unpacked to a temporary file and read 32 bytes at
    a time: memory stays flat however many leaves the log has."""

    def __init__(self, handle) -> None:
        self.handle = handle
        handle.seek(0, 2)
        self.bytes = handle.tell()

    def __len__(self) -> int:
        return self.bytes // 32

    def __getitem__(self, index: int) -> bytes:
        self.handle.seek(index * 32)
        return self.handle.read(32)

    def __iter__(self):
        self.handle.seek(0)
        for chunk in iter(lambda: self.handle.read(32 * 4096), b""):
            yield from (chunk[i : i + 32] for i in range(0, len(chunk), 32))


def check_leaves(archive: zipfile.ZipFile, check: PackCheck, sizes: set[int]) -> None:
    seal = check.manifest.get("seal")
    with tempfile.TemporaryFile() as handle:
        try:
            with archive.open("integrity/leaves.bin") as member:
                shutil.copyfileobj(member, handle, 1 << 20)
        except (KeyError, *READ_ERRORS):
            handle.seek(0)
            handle.truncate()  # missing or unreadable: no leaves, so the seal's root cannot match
        leaves = LeafFile(handle)
        if seal is None or leaves.bytes % 32:
            check.problems.append("Tệp integrity/leaves.bin không hợp lệ hoặc gói không có niêm phong.")
            return
        rebuild_roots(leaves, check, {seal["tree_size"]} | sizes)
        if len(leaves) != seal["tree_size"] or check.roots.get(seal["tree_size"]) != seal["root_hash"]:
            check.problems.append(
                f"Gốc Merkle tính từ integrity/leaves.bin không khớp niêm phong #{seal['id']}."
            )
        try:
            with archive.open("integrity/records.jsonl") as fh:
                check_records(io.TextIOWrapper(fh, encoding="utf-8", errors="replace"), leaves, check)
        except (KeyError, *READ_ERRORS):
            check.problems.append("Thiếu hoặc hỏng tệp integrity/records.jsonl.")
    check.notes.append(f"Niêm phong #{seal['id']}: {seal['tree_size']} lá, gốc {seal['root_hash']}.")


def rebuild_roots(leaves: LeafFile, check: PackCheck, wanted: set[int]) -> None:
    builder = TreeBuilder()
    check.roots[0] = builder.root()
    for leaf in leaves:
        builder.add(leaf)
        if builder.size in wanted:
            check.roots[builder.size] = builder.root()


def check_records(lines, leaves: LeafFile, check: PackCheck) -> None:
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
        except ValueError:
            check.problems.append(f"integrity/records.jsonl dòng {number}: không đọc được.")
            continue
        index = record["leaf_index"]
        digest = hashlib.sha256(b"\x00" + record["leaf"].encode("utf-8")).digest()
        if index is not None and (index >= len(leaves) or leaves[index] != digest):
            check.problems.append(f"integrity/records.jsonl dòng {number}: bản ghi không khớp lá #{index}.")


def compare_root(check: PackCheck, target: tuple[int, str, str]) -> None:
    size, root, label = target
    rebuilt = check.roots.get(size)
    if rebuilt is None:
        check.problems.append(f"Gói không có đủ {size} lá để so với {label}.")
    elif rebuilt != root.lower():
        check.problems.append(
            f"Gốc của {size} lá đầu khác {label}: dữ liệu đã niêm phong trước đây bị viết lại."
        )
    else:
        check.notes.append(f"Khớp {label} ({size} lá).")
