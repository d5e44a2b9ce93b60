"""What a survey point shows, cached: the questionnaire and procedure list.

The form page is the hot path (every scan). Which questionnaire version an
agency uses and its procedure pick-list change rarely, so both are kept as
immutable snapshots per process for QUESTIONNAIRE_CACHE_SECONDS; a new
version saved by an administrator clears this process's cache at once and
reaches other worker processes within that time. Responses record the
snapshot's version id, so answers stay tied to the wording that was shown.
"""

import time
from dataclasses import dataclass

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy import select

from survey.extensions import db
from survey.models import AgencyProcedure, Procedure, SurveyPoint
from survey.public.forms import build_form_class
from survey.questionnaires import assigned_version


@dataclass(frozen=True, eq=False)
class QuestionSnapshot:
    id: int
    key: str
    kind: str
    text_vi: str
    text_en: str
    criterion_code: str | None
    required: bool
    options: tuple
    show_if: dict | None


@dataclass(frozen=True, eq=False)
class VersionSnapshot:
    id: int
    code: str
    version: int
    title_vi: str
    title_en: str
    scale: str
    questions: tuple[QuestionSnapshot, ...]


@dataclass(frozen=True)
class ProcedureSnapshot:
    id: int
    code: str
    name: str


_cache: dict[tuple, tuple[float, object]] = {}


def clear() -> None:
    _cache.clear()


def _cached(key: tuple, build):
    ttl = current_app.config["QUESTIONNAIRE_CACHE_SECONDS"]
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and now - hit[0] < ttl:
        return hit[1]
    value = build()
    _cache[key] = (now, value)
    return value


def _snapshot_version(agency) -> VersionSnapshot:
    version = assigned_version(agency)
    questions = tuple(
        QuestionSnapshot(
            q.id,
            q.key,
            q.kind,
            q.text_vi,
            q.text_en,
            q.criterion_code,
            bool(q.required),
            tuple(dict(o) for o in q.options or ()),
            dict(q.show_if) if q.show_if else None,
        )
        for q in version.questions
    )
    return VersionSnapshot(
        version.id,
        version.code,
        version.version,
        version.title_vi,
        version.title_en,
        version.scale,
        questions,
    )


def _procedures(agency_id: int) -> tuple[ProcedureSnapshot, ...]:
    stmt = (
        select(Procedure.id, Procedure.code, Procedure.name)
        .join(AgencyProcedure, AgencyProcedure.procedure_id == Procedure.id)
        .where(AgencyProcedure.agency_id == agency_id, Procedure.active.is_(True))
        .order_by(Procedure.name)
    )
    return tuple(ProcedureSnapshot(*row) for row in db.session.execute(stmt))


def blank_questions_html(version: VersionSnapshot, procedures, locale: str, form) -> Markup:
    """The questions of an unanswered form: the same HTML for every GET of a
    version, language and pick-list, so it is rendered once per cache period
    (WTForms widgets are the page's most expensive part)."""
    comment_max = current_app.config["COMMENT_MAX_LENGTH"]
    return _cached(
        ("html", version.id, locale, procedures, comment_max),
        # Autoescaped by Jinja when rendered: safe to insert as it is.
        lambda: Markup(render_template("public/_questions.html", form=form)),  # noqa: S704
    )


def questionnaire_for(point: SurveyPoint):
    """(version, procedures or None) for this point: the snapshots its form is built from."""
    version = _cached(("version", point.agency_id), lambda: _snapshot_version(point.agency))
    procedures = None
    if point.procedure_id is None:
        procedures = _cached(("procedures", point.agency_id), lambda: _procedures(point.agency_id))
    return version, procedures


def form_for(point: SurveyPoint, locale: str):
    """(version, procedures or None, bound form) for this point and language."""
    version, procedures = questionnaire_for(point)
    comment_max = current_app.config["COMMENT_MAX_LENGTH"]
    form_class = _cached(
        ("form", version.id, locale, procedures, comment_max),
        lambda: build_form_class(version, locale, list(procedures or ()) or None, comment_max),
    )
    return version, procedures, form_class()
