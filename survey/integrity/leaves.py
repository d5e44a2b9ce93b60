"""Canonical, versioned encoding of one record as a Merkle leaf.

The encoding is a contract with auditors: docs/integrity.md spells it out
so that a few lines of standard-library Python reproduce every hash.
JSON, keys sorted, no whitespace, UTF-8 (not ASCII-escaped), text NFC-
normalised, times as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC), no floats.
"""

import hashlib
import json
import unicodedata
from datetime import datetime

from survey.models import Answer, Response, ResponseExclusion

KIND_RESPONSE = "response"
KIND_EXCLUSION = "exclusion"
# Bump when a field is added; stored per leaf so old leaves keep verifying.
# v1: the skeleton's fields. v2: + dossier_link_id (answer tied to a dossier).
# v3: each answer also carries its scale id and the label of the option chosen.
LEAF_VERSION = 3
LEAF_VERSIONS = (1, 2, 3)


def _text(value: str | None) -> str | None:
    return None if value is None else unicodedata.normalize("NFC", value)


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def response_fields(response: Response, answers: list[Answer], version: int = LEAF_VERSION) -> dict:
    """What a citizen sent and where; answers sorted by question id."""
    if version >= 3:
        rows = sorted(
            ([a.question_id, a.value, bool(a.not_applicable), a.scale, _text(a.label)] for a in answers),
            key=lambda row: row[0],
        )
    else:
        rows = sorted(
            ([a.question_id, a.value, bool(a.not_applicable)] for a in answers), key=lambda row: row[0]
        )
    fields = {
        "kind": KIND_RESPONSE,
        "v": version,
        "id": response.id,
        "nonce": response.nonce,
        "survey_point_id": response.survey_point_id,
        "agency_id": response.agency_id,
        "procedure_id": response.procedure_id,
        "questionnaire_id": response.questionnaire_id,
        "submitted_at": _time(response.submitted_at),
        "channel": response.channel,
        "overall": response.overall,
        "comment": _text(response.comment),
        "locale": response.locale,
        "is_demo": bool(response.is_demo),
        "answers": rows,
    }
    if version >= 2:
        fields["dossier_link_id"] = response.dossier_link_id
    return fields


def exclusion_fields(exclusion: ResponseExclusion, version: int = LEAF_VERSION) -> dict:
    """Who decided what, when and why; the review workflow flag is left out
    because it legitimately changes after the decision."""
    return {
        "kind": KIND_EXCLUSION,
        "v": version,
        "id": exclusion.id,
        "response_id": exclusion.response_id,
        "action": exclusion.action,
        "reason": _text(exclusion.reason),
        "note": _text(exclusion.note),
        "created_by_id": exclusion.created_by_id,
        "created_at": _time(exclusion.created_at),
    }


def encode(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def leaf_hash(data: bytes) -> str:
    """RFC 6962 leaf hash: SHA-256 of 0x00 followed by the encoded record."""
    return hashlib.sha256(b"\x00" + data).hexdigest()
