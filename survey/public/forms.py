"""The citizen's forms: the survey, built from the questionnaire version's
questions, and the separate, consented contact step."""

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Email, InputRequired, Length, Optional, Regexp

from survey import scales
from survey.models import Procedure, Question, QuestionnaireVersion

OTHER_PROCEDURE = "other"
HONEYPOT = "website"
# WTForms' own "Not a valid choice." has no Vietnamese: the lists check their
# choices themselves (validate_choice=False), with this message.
NOT_A_CHOICE = _l("Lựa chọn này không có trong danh sách. Vui lòng chọn lại.")


def one_newline(text):
    """Each line break as one character, as the browser counts the textarea's
    maxlength: it posts them as CR LF, which would count twice."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


class SurveyFormBase(FlaskForm):
    nonce = HiddenField()
    # Honeypot: moved off-screen by CSS, filled in by naive bots; a filled one
    # keeps the response but excludes it pending review (antiabuse.py).
    website = StringField(_l("Để trống ô này"), validators=[Optional()])

    def answers(self) -> dict[str, str]:
        """Question key -> posted option code ("5", "na", "ns"...), answered ones only."""
        result = {}
        for question in self.questions:
            if question.kind not in ("scale", "choice"):
                continue
            raw = getattr(self, question.key).data
            if raw not in (None, "", "None") and raw.strip():  # blank: an optional question left out
                result[question.key] = raw
        return {key: raw for key, raw in result.items() if self._shown(key, result)}

    def _shown(self, key: str, given: dict[str, str]) -> bool:
        """A follow-up question (Q6b) counts only when its condition holds:
        without JavaScript it is always on the page."""
        condition = next((q.show_if for q in self.questions if q.key == key), None)
        if not condition:
            return True
        return given.get(condition["question"]) in {str(v) for v in condition["in"]}


def _choices(question: Question, locale: str) -> list[SelectChoice]:
    text = "en" if locale == "en" else "vi"
    return [SelectChoice(scales.option_code(option), option[text]) for option in question.options]


def _rating_field(question: Question, locale: str, label: str) -> RadioField:
    choices = _choices(question, locale)
    validators = (
        [InputRequired(_l("Vui lòng chọn một câu trả lời cho câu hỏi này."))]
        if question.required
        else [Optional()]
    )
    validators.append(AnyOf([choice.value for choice in choices], message=NOT_A_CHOICE))
    return RadioField(label, choices=choices, validators=validators, validate_choice=False)


def _procedure_field(label: str, procedures: list[Procedure]) -> SelectField:
    choices = [SelectChoice("", _l("— Chọn thủ tục —"))]
    choices += [SelectChoice(p.code, f"{p.name} ({p.code})") for p in procedures]
    choices.append(SelectChoice(OTHER_PROCEDURE, _l("Khác / Không rõ")))
    listed = AnyOf([choice.value for choice in choices], message=NOT_A_CHOICE)
    return SelectField(label, choices=choices, validators=[Optional(), listed], validate_choice=False)


def build_form_class(
    version: QuestionnaireVersion,
    locale: str,
    procedures: list[Procedure] | None,
    comment_max: int,
) -> type[SurveyFormBase]:
    """One WTForms class per questionnaire version; `procedures` adds the Q0 list."""
    attrs: dict = {"questions": list(version.questions)}
    for question in version.questions:
        label = question.text_en if locale == "en" else question.text_vi
        if question.kind in ("scale", "choice"):
            attrs[question.key] = _rating_field(question, locale, label)
        elif question.kind == "text":
            too_long = _l("Góp ý tối đa %(n)d ký tự.", n=comment_max)
            attrs[question.key] = TextAreaField(
                label,
                filters=[one_newline],
                validators=[Optional(), Length(max=comment_max, message=too_long)],
            )
        elif question.kind == "procedure" and procedures:
            attrs[question.key] = _procedure_field(label, procedures)
    return type("SurveyForm", (SurveyFormBase,), attrs)


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


PHONE_PATTERN = r"^\+?[0-9 .()-]{8,20}$"


class ContactForm(FlaskForm):
    """Contact details for a follow-up: optional, separate, explicitly consented."""

    phone = StringField(
        _l("Số điện thoại"),
        validators=[Optional(), Regexp(PHONE_PATTERN, message=_l("Số điện thoại không hợp lệ."))],
    )
    email = StringField(
        _l("Email"),
        validators=[Optional(), Length(max=254), Email(message=_l("Email không hợp lệ."))],
    )
    consent = BooleanField(
        _l("Tôi đồng ý để cơ quan dùng số điện thoại hoặc email này chỉ để liên hệ lại về ý kiến của tôi."),
        validators=[InputRequired(_l("Vui lòng đánh dấu ô đồng ý nếu muốn được liên hệ lại."))],
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.phone.data or "").strip() and not (self.email.data or "").strip():
            # Field-level Optional() stops inline validators on empty fields.
            self.phone.errors = [*self.phone.errors, _l("Vui lòng nhập số điện thoại hoặc email.")]
            return False
        return valid
