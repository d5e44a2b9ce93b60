"""Creating and changing questionnaire versions.

A saved version is never changed: saving an edit always creates a new version
for the agency, so every stored answer keeps the exact wording the citizen
saw. (Even an unanswered version is not corrected in place: a citizen may
have its form open, and other workers keep it cached for a minute.) The
newest version of an agency, or of its nearest ancestor, is the one citizens
get (questionnaires.version_for).
"""

from dataclasses import dataclass

from sqlalchemy import exists, func, select

from survey import scales
from survey.extensions import db
from survey.models import Agency, Question, QuestionnaireVersion, Response
from survey.public import catalogue

OVERALL = "overall"


@dataclass
class QuestionSpec:
    key: str
    kind: str  # scale | choice | text | procedure
    text_vi: str
    text_en: str
    required: bool
    criterion_code: str | None
    na_vi: str = ""
    na_en: str = ""
    options: list | None = None  # kept from the source for choice questions
    show_if: dict | None = None


class VersionError(ValueError):
    """A questionnaire that citizens could not answer or we could not count."""


def has_responses(version: QuestionnaireVersion) -> bool:
    return bool(db.session.scalar(select(exists().where(Response.questionnaire_id == version.id))))


def response_counts(version_ids: list[int]) -> dict[int, int]:
    stmt = (
        select(Response.questionnaire_id, func.count())
        .where(Response.questionnaire_id.in_(version_ids))
        .group_by(Response.questionnaire_id)
    )
    return dict(db.session.execute(stmt).all())


def check(specs: list[QuestionSpec]) -> None:
    keys = [spec.key for spec in specs]
    if not specs:
        raise VersionError("Phiếu phải có ít nhất một câu hỏi.")
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise VersionError(f"Mã câu hỏi bị trùng: {', '.join(duplicates)}.")
    overall = [spec for spec in specs if spec.criterion_code == OVERALL]
    if len(overall) != 1 or overall[0].kind != "scale":
        raise VersionError("Phiếu phải có đúng một câu hỏi đánh giá chung (tiêu chí “overall”).")
    for spec in specs:
        if spec.kind == "choice" and not spec.options:
            raise VersionError(f"Câu {spec.key}: câu hỏi lựa chọn chỉ có thể giữ lại từ phiên bản trước.")


def _options(spec: QuestionSpec, scale_id: str) -> list:
    if spec.kind == "scale":
        return scales.SCALES[scale_id].as_options(spec.na_vi or None, spec.na_en or None)
    return list(spec.options or [])


def _fill(version: QuestionnaireVersion, specs: list[QuestionSpec]) -> None:
    for position, spec in enumerate(specs):
        version.questions.append(
            Question(
                position=position,
                key=spec.key,
                kind=spec.kind,
                text_vi=spec.text_vi,
                text_en=spec.text_en,
                criterion_code=spec.criterion_code,
                required=spec.required or spec.criterion_code == OVERALL,
                options=_options(spec, version.scale),
                show_if=spec.show_if,
            )
        )


def _next_number(agency: Agency) -> int:
    stmt = select(func.max(QuestionnaireVersion.version)).where(
        (QuestionnaireVersion.agency_id == agency.id) | QuestionnaireVersion.agency_id.is_(None)
    )
    return (db.session.scalar(stmt) or 0) + 1


def save(
    agency: Agency,
    title_vi: str,
    title_en: str,
    scale_id: str,
    specs: list[QuestionSpec],
) -> QuestionnaireVersion:
    """A new version for `agency` (an edit of `source`, if given)."""
    check(specs)
    if scale_id not in scales.SCALES:
        raise VersionError("Thang đo không hợp lệ.")
    number = _next_number(agency)
    version = QuestionnaireVersion(
        code=f"v{number}",
        agency_id=agency.id,
        version=number,
        title_vi=title_vi,
        title_en=title_en,
        scale=scale_id,
    )
    db.session.add(version)
    _fill(version, specs)
    db.session.commit()
    catalogue.clear()
    return version
