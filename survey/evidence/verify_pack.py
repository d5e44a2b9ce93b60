"""Checking a pack: every file against SHA256SUMS and the manifest, the
leaves against the seal root, every record against its leaf, and optionally
against a root published earlier or an earlier pack (history not rewritten)."""

import hashlib
import json
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
    """`published`: (size, root) held from earlier; `previous`: an earlier pack."""
    check = PackCheck()
    targets = [(published[0], published[1], "gốc đã công bố")] if published else []
    if previous is not None:
        targets += earlier_seal(previous, check)
    members = read_members(path, check)
    if members is None:
        return check
    check_sums(members, check)
    check_manifest(members, check)
    if check.manifest is not None:
        check_leaves(members, check, {size for size, _, _ in targets})
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


def read_members(path, check: PackCheck) -> dict[str, bytes] | None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        check.problems.append(f"Không mở được tệp ZIP: {exc}.")
        return None
    members = {}
    with archive:
        for info in archive.infolist():
            try:
                members[info.filename] = archive.read(info)
            except (zipfile.BadZipFile, OSError, ValueError, zlib.error) as exc:  # CRC or deflate error
                check.problems.append(f"Tệp {info.filename} bị hỏng trong gói ZIP ({exc}).")
    return members


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_sums(members: dict[str, bytes], check: PackCheck) -> None:
    if "SHA256SUMS" not in members:
        check.problems.append("Thiếu tệp SHA256SUMS.")
        return
    listed = {}
    for line in members["SHA256SUMS"].decode("utf-8", "replace").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    for name, digest in listed.items():
        if name not in members:
            check.problems.append(f"Tệp {name} bị thiếu trong gói.")
        elif _sha(members[name]) != digest:
            check.problems.append(f"Tệp {name} đã bị thay đổi (SHA-256 không khớp).")
    for name in sorted(set(members) - set(listed) - OPTIONAL_NAMES):
        check.problems.append(f"Tệp {name} không có trong danh sách SHA256SUMS (được thêm vào sau).")


def check_manifest(members: dict[str, bytes], check: PackCheck) -> None:
    try:
        check.manifest = json.loads(members["manifest.json"])
    except (KeyError, ValueError):
        check.problems.append("Thiếu hoặc hỏng tệp manifest.json.")
        return
    for name, info in check.manifest.get("files", {}).items():
        if name in members and _sha(members[name]) != info.get("sha256"):
            message = f"Tệp {name} đã bị thay đổi (SHA-256 không khớp)."
            if message not in check.problems:
                check.problems.append(message + " (theo manifest.json)")


def check_leaves(members: dict[str, bytes], check: PackCheck, sizes: set[int]) -> None:
    seal = check.manifest.get("seal")
    raw = members.get("integrity/leaves.bin", b"")
    if seal is None or len(raw) % 32:
        check.problems.append("Tệp integrity/leaves.bin không hợp lệ hoặc gói không có niêm phong.")
        return
    leaves = [raw[i : i + 32] for i in range(0, len(raw), 32)]
    wanted = {seal["tree_size"]} | sizes
    builder = TreeBuilder()
    check.roots[0] = builder.root()
    for leaf in leaves:
        builder.add(leaf)
        if builder.size in wanted:
            check.roots[builder.size] = builder.root()
    if builder.size != seal["tree_size"] or check.roots.get(seal["tree_size"]) != seal["root_hash"]:
        check.problems.append(f"Gốc Merkle tính từ integrity/leaves.bin không khớp niêm phong #{seal['id']}.")
    check_records(members.get("integrity/records.jsonl", b""), leaves, check)
    check.notes.append(f"Niêm phong #{seal['id']}: {seal['tree_size']} lá, gốc {seal['root_hash']}.")


def check_records(data: bytes, leaves: list[bytes], check: PackCheck) -> None:
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        record = json.loads(line)
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
