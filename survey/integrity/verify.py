"""Rebuild the tree from today's rows and say exactly what no longer matches.

Checks, in order: the chain of seals; every sealed leaf against the row it
was made from (edited or deleted rows, located by leaf index); every seal's
root against the stored leaves (a rewritten leaf log); records stamped in a
sealed period but absent from the log (insertions); and, when given, a root
published outside the database (a history rewritten consistently).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import and_, select

from survey.extensions import db
from survey.integrity.leaves import KIND_EXCLUSION, KIND_RESPONSE, leaf_hash
from survey.integrity.merkle import TreeBuilder
from survey.integrity.records import encoded
from survey.integrity.sealer import STAMPS, seal_digest
from survey.models import IntegritySeal, SealedLeaf

KIND_LABELS = {KIND_RESPONSE: "phiếu", KIND_EXCLUSION: "quyết định loại phiếu"}
PAGE = 5000
LEAF_COLUMNS = (
    SealedLeaf.leaf_index,
    SealedLeaf.kind,
    SealedLeaf.record_id,
    SealedLeaf.leaf_hash,
    SealedLeaf.leaf_version,
)


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    leaves: int = 0
    seals: int = 0
    roots: dict[int, str] = field(default_factory=dict)  # tree size -> root rebuilt

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(published: tuple[int, str] | None = None, progress: Callable[[int], None] | None = None) -> Report:
    report = Report()
    seals = list(db.session.scalars(select(IntegritySeal).order_by(IntegritySeal.id)))
    report.seals = len(seals)
    check_chain(seals, report)
    sizes = {s.tree_size for s in seals} | ({published[0]} if published else set())
    check_leaves(sizes, report, progress)
    check_roots(seals, report)
    if seals:
        check_insertions(seals[-1], report)
    if published:
        check_published(published, report)
    return report


def check_chain(seals: list[IntegritySeal], report: Report) -> None:
    previous = None
    for seal in seals:
        if seal.seal_hash != seal_digest(seal):
            report.problems.append(f"Niêm phong #{seal.id}: nội dung niêm phong đã bị sửa.")
        expected = previous.seal_hash if previous else None
        if seal.previous_hash != expected:
            report.problems.append(f"Niêm phong #{seal.id}: không nối tiếp niêm phong trước (chuỗi bị đứt).")
        if previous and seal.tree_size < previous.tree_size:
            report.problems.append(f"Niêm phong #{seal.id}: số lá giảm so với niêm phong trước.")
        previous = seal


def check_leaves(sizes: set[int], report: Report, progress) -> None:
    """Stream the leaf log in order, compare each leaf with its row."""
    builder, last = TreeBuilder(), -1
    report.roots[0] = builder.root()
    while True:
        page = list(
            db.session.execute(
                select(SealedLeaf)
                .where(SealedLeaf.leaf_index > last)
                .order_by(SealedLeaf.leaf_index)
                .limit(PAGE)
            ).scalars()
        )
        if not page:
            break
        _check_page(page, builder, sizes, report)
        last = page[-1].leaf_index
        if progress:
            progress(len(page))
    report.leaves = builder.size


def _check_page(page: list, builder: TreeBuilder, sizes: set[int], report: Report) -> None:
    rows = {}
    for kind in KIND_LABELS:
        versions = {leaf.record_id: leaf.leaf_version for leaf in page if leaf.kind == kind}
        rows[kind] = encoded(kind, list(versions), versions)
    for leaf in page:
        if leaf.leaf_index != builder.size:
            report.problems.append(
                f"Lá #{builder.size}–#{leaf.leaf_index - 1}: bị xoá khỏi sổ niêm phong (thiếu lá)."
            )
        label = f"Lá #{leaf.leaf_index}: {KIND_LABELS.get(leaf.kind, leaf.kind)} id {leaf.record_id}"
        data = rows.get(leaf.kind, {}).get(leaf.record_id)
        if data is None:
            report.problems.append(f"{label} không còn trong cơ sở dữ liệu (bị xoá sau khi niêm phong).")
        elif leaf_hash(data) != leaf.leaf_hash:
            report.problems.append(f"{label} đã bị sửa sau khi niêm phong.")
        while builder.size < leaf.leaf_index:  # keep positions of later leaves after a gap
            builder.add(bytes(32))
        builder.add(bytes.fromhex(leaf.leaf_hash))
        if builder.size in sizes:
            report.roots[builder.size] = builder.root()


def check_roots(seals: list[IntegritySeal], report: Report) -> None:
    for seal in seals:
        rebuilt = report.roots.get(seal.tree_size)
        if rebuilt is None:
            report.problems.append(
                f"Niêm phong #{seal.id}: sổ chỉ còn {report.leaves} lá, ít hơn {seal.tree_size}."
            )
        elif rebuilt != seal.root_hash:
            report.problems.append(
                f"Niêm phong #{seal.id}: gốc Merkle của {seal.tree_size} lá đầu không khớp (sổ niêm phong bị sửa)."
            )
    if seals and report.leaves > seals[-1].tree_size:
        report.problems.append(
            f"Sổ có {report.leaves} lá, nhiều hơn niêm phong cuối ({seals[-1].tree_size})."
        )


def check_insertions(last: IntegritySeal, report: Report) -> None:
    """Rows stamped before the last cutoff should all have been sealed."""
    for kind, (model, stamp) in STAMPS.items():
        leaf = and_(SealedLeaf.kind == kind, SealedLeaf.record_id == model.id)
        stmt = (
            select(model.id, stamp)
            .outerjoin(SealedLeaf, leaf)
            .where(SealedLeaf.leaf_index.is_(None), stamp < last.cutoff)
            .order_by(stamp, model.id)
        )
        for record_id, moment in db.session.execute(stmt):
            report.problems.append(
                f"{KIND_LABELS[kind].capitalize()} id {record_id} (thời điểm {moment:%Y-%m-%d %H:%M:%S} UTC) "
                f"nằm trong khoảng đã niêm phong nhưng không có trong sổ: được chèn thêm sau khi niêm phong."
            )


def check_deleted(report: Report, limit: int = 100) -> None:
    """Sealed records whose row is gone, in one anti-join per kind (no
    re-encoding): what a pack checks for the records it does not carry."""
    for kind, (model, _) in STAMPS.items():
        gone = ~select(model.id).where(model.id == SealedLeaf.record_id).exists()
        stmt = select(SealedLeaf.leaf_index, SealedLeaf.record_id).where(SealedLeaf.kind == kind, gone)
        for index, record_id in db.session.execute(stmt.order_by(SealedLeaf.leaf_index).limit(limit)):
            report.problems.append(
                f"Lá #{index}: {KIND_LABELS[kind]} id {record_id} không còn trong cơ sở dữ liệu "
                "(bị xoá sau khi niêm phong)."
            )


def check_published(published: tuple[int, str], report: Report) -> None:
    size, root = published
    rebuilt = report.roots.get(size)
    if rebuilt is None:
        report.problems.append(f"Gốc đã công bố: sổ không có đủ {size} lá.")
    elif rebuilt != root.lower():
        report.problems.append(
            f"Gốc đã công bố ({size} lá, {root[:16]}…) không khớp với dữ liệu hôm nay ({rebuilt[:16]}…): "
            "lịch sử đã bị viết lại."
        )
