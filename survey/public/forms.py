"""The citizen's form, built from the questionnaire version's questions."""

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from survey.models import Procedure, Question, QuestionnaireVersion

NA = "na"
OTHER_PROCEDURE = "other"


class SurveyFormBase(FlaskForm):
    nonce = HiddenField()
    # Honeypot: hidden from people by CSS, filled in by naive bots.
    website = StringField(_l("Để trống ô này"), validators=[Optional()])

    def answers(self) -> dict[str, int | None]:
        """Question key -> option value (None for "not applicable")."""
        result = {}
        for question in self.questions:
            if question.kind not in ("scale", "choice"):
                continue
            raw = getattr(self, question.key).data
            if raw in (None, "", "None"):
                continue
            result[question.key] = None if raw == NA else int(raw)
        return result


def _label(question: Question, locale: str) -> str:
    return question.text_en if locale == "en" else question.text_vi


def _choices(question: Question, locale: str) -> list[SelectChoice]:
    return [
        SelectChoice(
            NA if option.get("na") else str(option["value"]), option["en" if locale == "en" else "vi"]
        )
        for option in question.options
    ]


def _required_message():
    return _l("Vui lòng chọn một câu trả lời cho câu hỏi này.")


def build_form_class(
    version: QuestionnaireVersion,
    locale: str,
    procedures: list[Procedure] | None,
    comment_max: int,
) -> type[SurveyFormBase]:
    """One WTForms class per questionnaire version; `procedures` adds the Q0 list."""
    attrs: dict = {"questions": list(version.questions)}
    for question in version.questions:
        label = _label(question, locale)
        if question.kind in ("scale", "choice"):
            validators = [InputRequired(_required_message())] if question.required else [Optional()]
            attrs[question.key] = RadioField(label, choices=_choices(question, locale), validators=validators)
        elif question.kind == "text":
            too_long = _l("Góp ý tối đa %(n)d ký tự.", n=comment_max)
            attrs[question.key] = TextAreaField(
                label, validators=[Optional(), Length(max=comment_max, message=too_long)]
            )
        elif question.kind == "procedure" and procedures:
            choices = [SelectChoice("", _l("— Chọn thủ tục —"))]
            choices += [SelectChoice(p.code, f"{p.name} ({p.code})") for p in procedures]
            choices.append(SelectChoice(OTHER_PROCEDURE, _l("Khác / Không rõ")))
            attrs[question.key] = SelectField(label, choices=choices, validators=[Optional()])
    return type("SurveyForm", (SurveyFormBase,), attrs)


def new_nonce() -> str:
    return secrets.token_urlsafe(24)
