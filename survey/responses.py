"""Storing a citizen's response: exactly once, append-only."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey import scales
from survey.extensions import db
from survey.models import Answer, Procedure, QuestionnaireVersion, Response, SurveyPoint
from survey.models.response import CHANNEL_QR
from survey.questionnaire_v1 import OVERALL_KEY


@dataclass
class Submission:
    """What the citizen sent, already validated by the form."""

    nonce: str
    # question key -> option value: an int code, None for "not applicable",
    # or the posted option code ("5", "na", "ns"...; see scales.option_code)
    answers: dict[str, int | str | None]
    comment: str | None = None
    procedure: Procedure | None = None
    channel: str = CHANNEL_QR
    locale: str = "vi"
    device_key: str | None = None
    network_key: str | None = None
    # A one-time dossier link: the unique column refuses a second answer.
    dossier_link_id: int | None = None
    extra: dict = field(default_factory=dict)


def record(point: SurveyPoint, version: QuestionnaireVersion, sub: Submission) -> tuple[Response, bool]:
    """Insert the response and its answers in one transaction.

    Returns (response, created). A repeated nonce (double tap, retry, back
    and resubmit) returns the response already stored instead of a second one.
    """
    existing = find_by_nonce(sub.nonce)
    if existing is not None:
        return existing, False
    response = _build(point, version, sub)
    place = (point.agency_id, point.id)  # read before the commit expires them
    db.session.add(response)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = find_by_nonce(sub.nonce)
        if existing is None:
            raise
        return existing, False
    from survey.followup.alerts import after_response  # spike alerts, after the commit

    after_response(*place)
    return response, True


def _build(point: SurveyPoint, version: QuestionnaireVersion, sub: Submission) -> Response:
    procedure = point.procedure or sub.procedure
    response = Response(
        nonce=sub.nonce,
        survey_point_id=point.id,
        agency_id=point.agency_id,
        procedure_id=procedure.id if procedure else None,
        questionnaire_id=version.id,
        channel=sub.channel,
        overall=None,
        comment=(sub.comment or "").strip() or None,
        locale=sub.locale,
        device_key=sub.device_key,
        network_key=sub.network_key,
        dossier_link_id=sub.dossier_link_id,
    )
    by_key = {q.key: q for q in version.questions}
    for key, raw in sub.answers.items():
        question = by_key[key]
        option = scales.find_option(question.options, raw)
        if option is None and raw is None:
            option = {"value": None, "na": True}  # an import's "no answer": kept out of denominators
        if option is None:
            raise ValueError(f"{key}: {raw!r} is not an option of this question")
        if key == OVERALL_KEY:
            response.overall = option.get("value")
        response.answers.append(
            Answer(
                question_id=question.id,
                value=option.get("value"),
                not_applicable=bool(option.get("na")),
                scale=scales.scale_of(question.options) if question.kind == "scale" else None,
                label=option.get("vi"),
            )
        )
    return response


def find_by_nonce(nonce: str) -> Response | None:
    return db.session.scalar(select(Response).where(Response.nonce == nonce))
