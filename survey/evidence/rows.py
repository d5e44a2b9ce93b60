"""Streaming the responses of a scope, one batch at a time, in one pass.

Keyset paging on the id keeps memory flat for a province-year (a million
responses). Each response is read once and serves three uses: the flat row
of the data files, its canonical leaf data for integrity/records.jsonl, and
the check of that leaf data against the sealed leaf hash (so a pack verifies
exactly the records it hands over, without re-reading the whole log).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, select

from survey.evidence.scope import EvidenceScope
from survey.extensions import db
from survey.i18n import to_local
from survey.integrity.leaves import (
    KIND_EXCLUSION,
    KIND_RESPONSE,
    LEAF_VERSION,
    encode,
    exclusion_fields,
    leaf_hash,
    response_fields,
)
from survey.integrity.records import EXCLUSION_COLUMNS, RESPONSE_COLUMNS, answers_by_response
from survey.integrity.verify import KIND_LABELS
from survey.models import (
    Agency,
    Procedure,
    Question,
    QuestionnaireVersion,
    Response,
    ResponseExclusion,
    SealedLeaf,
    SurveyPoint,
)

BATCH = 2000
FIXED_COLUMNS = [
    "response_id",
    "leaf_index",
    "submitted_at_utc",
    "submitted_at_local",
    "agency_code",
    "agency_name",
    "procedure_code",
    "procedure_name",
    "survey_point",
    "channel",
    "questionnaire",
]
TAIL_COLUMNS = ["comment", "counted", "exclusion_reason", "is_demo"]
NOT_APPLICABLE = "NA"


@dataclass
class Batch:
    rows: list[dict]
    records: list[tuple[int | None, bytes]]  # (leaf index or None, canonical leaf data)
    problems: list[str] = field(default_factory=list)
    sealed: int = 0  # responses of this batch that a seal holds


@dataclass(frozen=True)
class Leaf:
    index: int
    version: int
    digest: str


def question_keys() -> tuple[dict[int, str], list[str]]:
    """Question id -> key, and the answer columns in questionnaire order."""
    stmt = select(Question.id, Question.key, Question.position).where(Question.kind.in_(("scale", "choice")))
    ids, order = {}, {}
    for qid, key, position in db.session.execute(stmt.order_by(Question.position, Question.id)):
        ids[qid] = key
        order.setdefault(key, position)
    return ids, sorted(order, key=lambda k: (order[k], k))


def columns() -> list[str]:
    return FIXED_COLUMNS + question_keys()[1] + TAIL_COLUMNS


def batches(scope: EvidenceScope, cutoff: datetime | None = None) -> Iterator[Batch]:
    """`cutoff`: the last seal's; a record stamped before it but not sealed
    was inserted behind the sealer's back and is reported."""
    keys, _ = question_keys()
    period, last = scope.period, 0
    base = [
        Response.agency_id.in_(scope.agency_ids),
        Response.submitted_at >= period.start,
        Response.submitted_at < period.end,
    ]
    while True:
        stmt = _select().where(*base, Response.id > last).order_by(Response.id).limit(BATCH)
        page = list(db.session.execute(stmt))
        if not page:
            return
        yield _batch(page, keys, cutoff)
        last = page[-1].id


def _select():
    return (
        select(
            *RESPONSE_COLUMNS,
            Agency.code.label("agency_code"),
            Agency.name.label("agency_name"),
            Procedure.code.label("procedure_code"),
            Procedure.name.label("procedure_name"),
            SurveyPoint.code.label("point_code"),
            QuestionnaireVersion.code.label("q_code"),
            QuestionnaireVersion.version.label("q_version"),
        )
        .join(Agency, Agency.id == Response.agency_id)
        .join(SurveyPoint, SurveyPoint.id == Response.survey_point_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Response.questionnaire_id)
        .outerjoin(Procedure, Procedure.id == Response.procedure_id)
    )


def _batch(page: list, keys: dict[int, str], cutoff: datetime | None) -> Batch:
    ids = [row.id for row in page]
    answers = answers_by_response(ids)
    decisions = _decisions(ids)
    leaves = sealed_leaves(KIND_RESPONSE, ids)
    batch = Batch([], [])
    for r in page:
        leaf = leaves.get(r.id)
        data = encode(response_fields(r, answers[r.id], leaf.version if leaf else LEAF_VERSION))
        _check(batch, KIND_RESPONSE, r.id, r.submitted_at, data, leaf, cutoff)
        latest = decisions[r.id][-1] if decisions.get(r.id) else None
        batch.rows.append(_row(r, answers[r.id], latest, leaf.index if leaf else None, keys))
    batch.sealed = len(leaves)
    _exclusion_records(batch, [d for ids_ in decisions.values() for d in ids_], cutoff)
    return batch


def _check(batch: Batch, kind: str, record_id: int, stamp, data: bytes, leaf: Leaf | None, cutoff) -> None:
    """Record the leaf data, and any mismatch with what was sealed."""
    batch.records.append((leaf.index if leaf else None, data))
    label = f"Lá #{leaf.index}: {KIND_LABELS[kind]} id {record_id}" if leaf else ""
    if leaf and leaf_hash(data) != leaf.digest:
        batch.problems.append(f"{label} đã bị sửa sau khi niêm phong.")
    elif leaf is None and cutoff is not None and stamp < cutoff:
        batch.problems.append(
            f"{KIND_LABELS[kind].capitalize()} id {record_id} (thời điểm {stamp:%Y-%m-%d %H:%M:%S} UTC) "
            "nằm trong khoảng đã niêm phong nhưng không có trong sổ: được chèn thêm sau khi niêm phong."
        )


def _exclusion_records(batch: Batch, decisions: list, cutoff) -> None:
    """Every decision about the batch's responses, in id order, checked too."""
    decisions.sort(key=lambda d: d.id)
    leaves = sealed_leaves(KIND_EXCLUSION, [d.id for d in decisions])
    for d in decisions:
        leaf = leaves.get(d.id)
        data = encode(exclusion_fields(d, leaf.version if leaf else LEAF_VERSION))
        _check(batch, KIND_EXCLUSION, d.id, d.created_at, data, leaf, cutoff)


def _row(r, answers: list, decision, leaf_index, keys: dict[int, str]) -> dict:
    row = {
        "response_id": r.id,
        "leaf_index": leaf_index,
        "submitted_at_utc": r.submitted_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "submitted_at_local": to_local(r.submitted_at).strftime("%Y-%m-%d %H:%M:%S"),
        "agency_code": r.agency_code,
        "agency_name": r.agency_name,
        "procedure_code": r.procedure_code,
        "procedure_name": r.procedure_name,
        "survey_point": r.point_code,
        "channel": r.channel,
        "questionnaire": f"{r.q_code}.{r.q_version}",
    }
    for answer in answers:
        if answer.question_id in keys:
            row[keys[answer.question_id]] = answer_cell(answer)
    excluded = decision is not None and decision.action == "exclude"
    row.update(
        comment=r.comment,
        counted=0 if excluded else 1,
        exclusion_reason=decision.reason if excluded else None,
        is_demo=1 if r.is_demo else 0,
    )
    return row


def answer_cell(answer):
    """Code 1-5; NA for not applicable; the label of an uncoded answer of a
    3- or 4-level scale (e.g. "Chưa hài lòng"), which has no code."""
    if answer.not_applicable:
        return NOT_APPLICABLE
    if answer.value is None and answer.label:
        return answer.label
    return answer.value


def _decisions(ids: list[int]) -> dict[int, list]:
    """Response id -> its exclusion decisions, oldest first (the last one rules)."""
    stmt = select(*EXCLUSION_COLUMNS).where(ResponseExclusion.response_id.in_(ids))
    grouped: dict[int, list] = {}
    for row in db.session.execute(stmt.order_by(ResponseExclusion.id)):
        grouped.setdefault(row.response_id, []).append(row)
    return grouped


def sealed_leaves(kind: str, ids: list[int]) -> dict[int, Leaf]:
    """Record id -> its sealed leaf, for the sealed ones."""
    if not ids:
        return {}
    stmt = select(SealedLeaf.record_id, SealedLeaf.leaf_index, SealedLeaf.leaf_version, SealedLeaf.leaf_hash)
    stmt = stmt.where(and_(SealedLeaf.kind == kind, SealedLeaf.record_id.in_(ids)))
    return {rid: Leaf(index, version, digest) for rid, index, version, digest in db.session.execute(stmt)}
