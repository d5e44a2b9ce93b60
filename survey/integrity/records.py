"""Reading the records that become leaves, in batches, as plain rows.

Core rows (not ORM objects) keep sealing and verifying a million responses
light; the leaf encoder only needs attribute access.
"""

from sqlalchemy import select

from survey.extensions import db
from survey.integrity.leaves import (
    KIND_EXCLUSION,
    KIND_RESPONSE,
    LEAF_VERSION,
    encode,
    exclusion_fields,
    response_fields,
)
from survey.models import Answer, Response, ResponseExclusion

BATCH = 2000

RESPONSE_COLUMNS = (
    Response.id,
    Response.nonce,
    Response.survey_point_id,
    Response.agency_id,
    Response.procedure_id,
    Response.questionnaire_id,
    Response.submitted_at,
    Response.channel,
    Response.overall,
    Response.comment,
    Response.locale,
    Response.is_demo,
    Response.dossier_link_id,
)
EXCLUSION_COLUMNS = (
    ResponseExclusion.id,
    ResponseExclusion.response_id,
    ResponseExclusion.action,
    ResponseExclusion.reason,
    ResponseExclusion.note,
    ResponseExclusion.created_by_id,
    ResponseExclusion.created_at,
)


def answers_by_response(ids: list[int]) -> dict[int, list]:
    grouped: dict[int, list] = {i: [] for i in ids}
    stmt = select(
        Answer.response_id,
        Answer.question_id,
        Answer.value,
        Answer.not_applicable,
        Answer.scale,
        Answer.label,
    ).where(Answer.response_id.in_(ids))
    for row in db.session.execute(stmt):
        grouped[row.response_id].append(row)
    return grouped


def encoded_responses(ids: list[int], versions: dict[int, int]) -> dict[int, bytes]:
    """id -> canonical leaf bytes, for the ids that still exist."""
    rows = db.session.execute(select(*RESPONSE_COLUMNS).where(Response.id.in_(ids)))
    answers = answers_by_response(ids)
    return {
        row.id: encode(response_fields(row, answers[row.id], versions.get(row.id, LEAF_VERSION)))
        for row in rows
    }


def encoded_exclusions(ids: list[int], versions: dict[int, int]) -> dict[int, bytes]:
    rows = db.session.execute(select(*EXCLUSION_COLUMNS).where(ResponseExclusion.id.in_(ids)))
    return {row.id: encode(exclusion_fields(row, versions.get(row.id, LEAF_VERSION))) for row in rows}


ENCODERS = {KIND_RESPONSE: encoded_responses, KIND_EXCLUSION: encoded_exclusions}


def encoded(kind: str, ids: list[int], versions: dict[int, int] | None = None) -> dict[int, bytes]:
    """Canonical leaf data; `versions` gives the encoding a stored leaf used
    (default: the current one, for new leaves)."""
    return ENCODERS[kind](ids, versions or {}) if ids else {}
