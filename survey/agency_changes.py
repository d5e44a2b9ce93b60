"""Changing the agency tree: create, rename, move, merge, retire, restore.

Each change keeps the closure table right (every summary and permission
check reads it) and is recorded in the administration log.
"""

from sqlalchemy import delete, func, insert, select, update

from survey import audit
from survey.agencies import create_agency, subtree_ids
from survey.extensions import db
from survey.models import Agency, AgencyClosure, AgencyProcedure, Response, SurveyPoint
from survey.models.types import utcnow
from survey.point_admin import retire_logged

FIELDS = ("code", "name", "kind", "parent_id", "retired_at", "merged_into_id")


class TreeError(ValueError):
    """A change the tree cannot take (message in Vietnamese, shown as is)."""


def add(code: str, name: str, kind: str, parent: Agency | None) -> Agency:
    if db.session.scalar(select(Agency.id).where(Agency.code == code)):
        raise TreeError(f"Mã đơn vị {code} đã có.")
    agency = create_agency(code, name, kind, parent)
    audit.record("agency", agency.code, "create", agency.id, after=audit.snapshot(agency, FIELDS))
    return agency


def rename(agency: Agency, name: str, kind: str | None = None) -> None:
    before = audit.snapshot(agency, FIELDS)
    agency.name = name
    agency.kind = kind or agency.kind
    audit.record("agency", agency.code, "rename", agency.id, before, audit.snapshot(agency, FIELDS))


def _closure_rows(stmt) -> list[tuple[int, int]]:
    return [tuple(row) for row in db.session.execute(stmt)]


def move(agency: Agency, new_parent: Agency | None, action: str = "move") -> None:
    """Re-hang a whole subtree: drop its links to old ancestors, add the new ones."""
    below = _closure_rows(
        select(AgencyClosure.descendant_id, AgencyClosure.depth).where(AgencyClosure.ancestor_id == agency.id)
    )
    inside = [agency_id for agency_id, _depth in below]
    if new_parent is not None and new_parent.id in inside:
        raise TreeError("Không thể chuyển một đơn vị vào dưới chính nó hoặc đơn vị trực thuộc của nó.")
    before = audit.snapshot(agency, FIELDS)
    db.session.execute(
        delete(AgencyClosure).where(
            AgencyClosure.descendant_id.in_(inside), AgencyClosure.ancestor_id.not_in(inside)
        )
    )
    above = []
    if new_parent is not None:
        above = _closure_rows(
            select(AgencyClosure.ancestor_id, AgencyClosure.depth).where(
                AgencyClosure.descendant_id == new_parent.id
            )
        )
    rows = [
        {"ancestor_id": a, "descendant_id": d, "depth": da + dd + 1} for a, da in above for d, dd in below
    ]
    if rows:
        db.session.execute(insert(AgencyClosure), rows)
    base = new_parent.depth + 1 if new_parent is not None else 0
    for agency_id, depth in below:
        db.session.execute(update(Agency).where(Agency.id == agency_id).values(depth=base + depth))
    agency.parent_id = new_parent.id if new_parent is not None else None
    db.session.flush()
    db.session.expire_all()
    audit.record("agency", agency.code, action, agency.id, before, audit.snapshot(agency, FIELDS))


def merge(source: Agency, target: Agency) -> dict:
    """Fold `source` into `target`: points, procedures and children follow.

    Responses keep their original agency_id, so the old unit's figures stay
    its own for the periods before the merge; the old unit then hangs under
    the target, so the target's summaries include that history.
    """
    if source.id == target.id or source.is_retired or target.is_retired:
        raise TreeError("Chọn hai đơn vị khác nhau, đều đang hoạt động.")
    if target.id in subtree_ids(source.id):
        raise TreeError("Không thể sáp nhập một đơn vị vào đơn vị trực thuộc của nó.")
    source_id, target_id = source.id, target.id
    for child in [c for c in source.children if not c.is_retired]:
        move(child, target)
    points = _move_points(source_id, target_id)
    procedures = _copy_procedures(source_id, target_id)
    source = db.session.get(Agency, source_id)
    target = db.session.get(Agency, target_id)
    move(source, target, action="merge_move")
    before = audit.snapshot(source, FIELDS)
    source.retired_at, source.active, source.merged_into_id = utcnow(), False, target.id
    moved = {"points": points, "procedures": procedures, "into": target.code}
    audit.record(
        "agency", source.code, "merge", source.id, before, {**audit.snapshot(source, FIELDS), **moved}
    )
    audit.record("agency", target.code, "merge_in", target.id, None, {"from": source.code, **moved})
    return moved


def _move_points(source_id: int, target_id: int) -> int:
    result = db.session.execute(
        update(SurveyPoint).where(SurveyPoint.agency_id == source_id).values(agency_id=target_id)
    )
    return result.rowcount


def _copy_procedures(source_id: int, target_id: int) -> int:
    have = set(
        db.session.scalars(select(AgencyProcedure.procedure_id).where(AgencyProcedure.agency_id == target_id))
    )
    theirs = set(
        db.session.scalars(select(AgencyProcedure.procedure_id).where(AgencyProcedure.agency_id == source_id))
    )
    db.session.add_all([AgencyProcedure(agency_id=target_id, procedure_id=p) for p in theirs - have])
    return len(theirs - have)


def active_points(agency: Agency) -> list[SurveyPoint]:
    stmt = select(SurveyPoint).where(SurveyPoint.agency_id == agency.id, SurveyPoint.status == "active")
    return list(db.session.scalars(stmt))


def retire(agency: Agency) -> int:
    """Retire a unit with no active units under it; its points stop too."""
    if agency.is_retired:
        raise TreeError("Đơn vị đã ngừng hoạt động.")
    if any(not child.is_retired for child in agency.children):
        raise TreeError("Đơn vị còn đơn vị trực thuộc đang hoạt động; hãy chuyển hoặc sáp nhập chúng trước.")
    points = active_points(agency)
    for point in points:
        retire_logged(point)
    before = audit.snapshot(agency, FIELDS)
    agency.retired_at, agency.active = utcnow(), False
    audit.record("agency", agency.code, "retire", agency.id, before, audit.snapshot(agency, FIELDS))
    return len(points)


def restore(agency: Agency) -> None:
    """Undo a retirement (not a merge: its points now belong to another unit)."""
    if not agency.is_retired or agency.merged_into_id is not None:
        raise TreeError("Chỉ khôi phục được đơn vị đã ngừng hoạt động (không phải đơn vị đã sáp nhập).")
    if agency.parent is not None and agency.parent.is_retired:
        raise TreeError("Đơn vị cấp trên đã ngừng hoạt động; hãy khôi phục đơn vị cấp trên trước.")
    before = audit.snapshot(agency, FIELDS)
    agency.retired_at, agency.active = None, True
    audit.record("agency", agency.code, "restore", agency.id, before, audit.snapshot(agency, FIELDS))


def merge_facts(agency: Agency) -> dict[str, int]:
    """What a merge will carry over, for the confirmation page."""

    def count(model, column) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(column == agency.id)) or 0

    return {
        "points": count(SurveyPoint, SurveyPoint.agency_id),
        "procedures": count(AgencyProcedure, AgencyProcedure.agency_id),
        "children": sum(1 for child in agency.children if not child.is_retired),
        "responses": count(Response, Response.agency_id),
    }
