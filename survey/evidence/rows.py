"""Streaming the responses of a scope, one batch at a time, as flat rows.

Keyset paging on the id keeps memory flat for a province-year (a million
responses); each batch brings its answers, exclusion state and leaf indices.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import and_, func, select

from survey.evidence.scope import EvidenceScope
from survey.extensions import db
from survey.i18n import to_local
from survey.integrity.leaves import KIND_EXCLUSION, KIND_RESPONSE
from survey.integrity.records import answers_by_response, encoded
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


def batches(scope: EvidenceScope) -> Iterator[Batch]:
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
        yield _batch(page, keys)
        last = page[-1].id


def _select():
    return (
        select(
            Response.id,
            Response.submitted_at,
            Response.channel,
            Response.comment,
            Response.is_demo,
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


def _batch(page: list, keys: dict[int, str]) -> Batch:
    ids = [row.id for row in page]
    answers = answers_by_response(ids)
    decisions = latest_decisions(ids)
    leaves = leaf_indices(KIND_RESPONSE, ids)
    rows = [_row(r, answers[r.id], decisions.get(r.id), leaves.get(r.id, (None,))[0], keys) for r in page]
    return Batch(rows, _records(ids, leaves))


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


def latest_decisions(ids: list[int]) -> dict:
    latest = (
        select(func.max(ResponseExclusion.id))
        .where(ResponseExclusion.response_id.in_(ids))
        .group_by(ResponseExclusion.response_id)
    )
    stmt = select(ResponseExclusion.response_id, ResponseExclusion.action, ResponseExclusion.reason).where(
        ResponseExclusion.id.in_(latest)
    )
    return {row.response_id: row for row in db.session.execute(stmt)}


def leaf_indices(kind: str, ids: list[int]) -> dict[int, tuple[int, int]]:
    """record id -> (leaf index, leaf version) for the sealed ones."""
    stmt = select(SealedLeaf.record_id, SealedLeaf.leaf_index, SealedLeaf.leaf_version).where(
        and_(SealedLeaf.kind == kind, SealedLeaf.record_id.in_(ids))
    )
    return {record_id: (index, version) for record_id, index, version in db.session.execute(stmt)}


def _records(ids: list[int], leaves: dict[int, tuple[int, int]]) -> list[tuple[int | None, bytes]]:
    """Canonical leaf data (in the sealed leaf's version) of the responses and
    of every decision about them."""
    data = encoded(KIND_RESPONSE, ids, {i: v for i, (_, v) in leaves.items()})
    records = [(leaves.get(i, (None,))[0], data[i]) for i in ids]
    exclusion_ids = list(
        db.session.scalars(select(ResponseExclusion.id).where(ResponseExclusion.response_id.in_(ids)))
    )
    if exclusion_ids:
        ex_leaves = leaf_indices(KIND_EXCLUSION, exclusion_ids)
        ex_data = encoded(KIND_EXCLUSION, exclusion_ids, {i: v for i, (_, v) in ex_leaves.items()})
        records += [(ex_leaves.get(i, (None,))[0], ex_data[i]) for i in sorted(exclusion_ids)]
    return records
