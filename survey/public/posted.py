"""What a citizen posted, as the submit stores it.

Building and validating the WTForms form of a questionnaire (thirteen fields,
each bound, processed and validated, plus a CSRF token generated for a page
that will not be shown) costs more CPU than the rest of a submit together.
So a complete, valid answer — the common case — is checked straight from
the request by `quick_accept`, against the same questionnaire snapshot the
form class is built from, and stored without building the form. It accepts
only what the form accepts and reads the same values from it
(tests/test_posted.py checks both on random input with Hypothesis); for
anything else it returns None and the view builds the form, which gives the
citizen its messages with every answer kept.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from flask import current_app, request, session

from survey import csrf_tokens, scales
from survey.public.forms import HONEYPOT, OTHER_PROCEDURE, one_newline

URLENCODED = "application/x-www-form-urlencoded"
COMMENT_KEY = "Q10"  # the form field stored as the comment (survey._store)
PROCEDURE_KEY = "Q0"  # the procedure pick-list of an agency-level point


@dataclass(frozen=True)
class Posted:
    nonce: str | None
    answers: dict[str, str]  # question key -> posted option code, answered and shown ones only
    comment: str | None
    procedure_code: str | None  # Q0, on an agency-level point
    honeypot: str


def from_form(form, procedures) -> Posted:
    """The values of a form that has validated."""
    comment_field = getattr(form, COMMENT_KEY, None)
    return Posted(
        nonce=form.nonce.data,
        answers=form.answers(),
        comment=comment_field.data if comment_field else None,
        procedure_code=form[PROCEDURE_KEY].data if procedures else None,
        honeypot=form[HONEYPOT].data or "",
    )


def quick_accept(version, procedures, comment_max: int, formdata=None) -> Posted | None:
    """The posted answer if the form would certainly accept it, else None."""
    if formdata is None:
        if request.mimetype != URLENCODED:  # JSON and multipart bodies: the form's own reading
            return None
        formdata = request.form
    if not _csrf_ok(formdata):
        return None
    return accept(version, procedures, comment_max, formdata)


def accept(version, procedures, comment_max: int, formdata) -> Posted | None:
    """quick_accept without the CSRF check (the caller has made it): the
    posted answer if the form's fields would certainly accept it, else None."""
    shape = _shape(version)
    if not (shape.comment_is_text and (shape.has_pick_list or not procedures)):
        return None  # another layout than the view reads (Q10 the comment, Q0 the pick-list): the form's
    given: dict[str, str] = {}
    for question in version.questions:
        raw = formdata.get(question.key)
        if not _valid(question, raw, procedures, comment_max):
            return None
        if question.kind in ("scale", "choice") and raw:
            given[question.key] = raw
    return Posted(
        nonce=formdata.get("nonce"),
        answers={key: raw for key, raw in given.items() if _shown(shape, key, given)},
        comment=one_newline(formdata.get(COMMENT_KEY)) if shape.has_comment else None,
        procedure_code=formdata.get(PROCEDURE_KEY) if procedures else None,
        honeypot=formdata.get(HONEYPOT) or "",
    )


def _valid(question, raw: str | None, procedures, comment_max: int) -> bool:
    """Would the form's field for this question accept `raw`? (False when unsure.)"""
    if question.kind in ("scale", "choice"):
        if raw is None or raw == "":
            return not question.required
        return raw in _codes(question)
    if question.kind == "text":
        return raw is None or len(one_newline(raw)) <= comment_max
    if question.kind == "procedure" and procedures:
        return raw in (None, "", OTHER_PROCEDURE) or raw in _procedure_codes(procedures)
    return True  # no field for it on the form


def _csrf_ok(formdata) -> bool:
    config = current_app.config
    if not config.get("WTF_CSRF_ENABLED", True):
        return True
    field = csrf_tokens.field_name(config)
    return csrf_tokens.matches(formdata.get(field), session.get(field), current_app)


@lru_cache(maxsize=256)
def _codes(question) -> frozenset[str]:
    """A snapshot question's option codes (snapshots are immutable: kept per object)."""
    return frozenset(scales.option_code(option) for option in question.options)


@lru_cache(maxsize=64)
def _procedure_codes(procedures) -> frozenset[str]:
    return frozenset(p.code for p in procedures)


class Shape(NamedTuple):
    comment_is_text: bool
    has_comment: bool
    has_pick_list: bool
    conditions: dict[str, tuple[str, frozenset[str]]]  # follow-up key -> (question, values shown for)


@lru_cache(maxsize=64)
def _shape(version) -> Shape:
    """What the view reads of a questionnaire snapshot, worked out once per snapshot."""
    kinds = {q.key: q.kind for q in version.questions}
    return Shape(
        comment_is_text=kinds.get(COMMENT_KEY, "text") == "text",
        has_comment=COMMENT_KEY in kinds,
        has_pick_list=kinds.get(PROCEDURE_KEY) == "procedure",
        conditions={
            q.key: (q.show_if["question"], frozenset(str(v) for v in q.show_if["in"]))
            for q in version.questions
            if q.show_if
        },
    )


def _shown(shape: Shape, key: str, given: dict[str, str]) -> bool:
    """forms.SurveyFormBase._shown: a follow-up question counts only when its condition holds."""
    condition = shape.conditions.get(key)
    return condition is None or given.get(condition[0]) in condition[1]
