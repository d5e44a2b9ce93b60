"""Loading the default questionnaire and choosing the version for an agency."""

from datetime import datetime

from sqlalchemy import select

from survey import questionnaire_v1 as v1
from survey.agencies import ancestors
from survey.extensions import db
from survey.i18n import to_local
from survey.models import (
    Agency,
    AgencyClosure,
    AgencyQuestionnaire,
    Criterion,
    Question,
    QuestionnaireVersion,
)
from survey.models.types import utcnow


def ensure_criteria() -> None:
    known = set(db.session.scalars(select(Criterion.code)))
    for code, name_vi, name_en, factor in v1.CRITERIA:
        if code not in known:
            db.session.add(Criterion(code=code, name_vi=name_vi, name_en=name_en, sipas_factor=factor))


def ensure_default() -> QuestionnaireVersion:
    """Create questionnaire v1 (province-wide default) if it does not exist."""
    ensure_criteria()
    existing = default_version()
    if existing is not None:
        return existing
    version = QuestionnaireVersion(
        code="v1", agency_id=None, version=1, title_vi=v1.TITLE_VI, title_en=v1.TITLE_EN
    )
    db.session.add(version)
    for position, spec in enumerate(v1.QUESTIONS):
        version.questions.append(
            Question(
                position=position,
                key=spec["key"],
                kind=spec["kind"],
                text_vi=spec["vi"],
                text_en=spec["en"],
                criterion_code=spec["criterion"],
                required=spec.get("required", False),
                options=spec.get("options", []),
                show_if=spec.get("show_if"),
            )
        )
    db.session.flush()
    return version


def default_version() -> QuestionnaireVersion | None:
    stmt = (
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.agency_id.is_(None))
        .order_by(QuestionnaireVersion.version.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


def version_for(agency: Agency) -> QuestionnaireVersion:
    """The newest version made for the agency or its nearest ancestor, else v1."""
    chain = [agency.id] + [a.id for a in reversed(ancestors(agency))]
    for agency_id in chain:
        stmt = (
            select(QuestionnaireVersion)
            .where(QuestionnaireVersion.agency_id == agency_id)
            .order_by(QuestionnaireVersion.version.desc())
            .limit(1)
        )
        found = db.session.scalar(stmt)
        if found is not None:
            return found
    return default_version() or ensure_default()


def assigned_version(agency: Agency, when: datetime | None = None) -> QuestionnaireVersion:
    """The version the agency uses on `when` (default now), as the console assigned it.

    The nearest assignment up the tree that has started wins (the agency's
    own, else its parent's, ...); without one, the newest version made for
    the agency or an ancestor, else the province-wide default.
    """
    day = to_local(when or utcnow()).date()
    stmt = (
        select(AgencyQuestionnaire)
        .join(AgencyClosure, AgencyClosure.ancestor_id == AgencyQuestionnaire.agency_id)
        .where(AgencyClosure.descendant_id == agency.id, AgencyQuestionnaire.valid_from <= day)
        .order_by(AgencyClosure.depth, AgencyQuestionnaire.valid_from.desc())
        .limit(1)
    )
    found = db.session.scalar(stmt)
    return found.questionnaire if found is not None else version_for(agency)
