"""The version editor: a fixed list of question rows, no JavaScript needed.

Rows come prefilled from the version being edited plus a few blank ones; a
row whose key is empty, or whose "bỏ" box is ticked, is left out. Order is
the "thứ tự" number. Choice questions (Q6, Q7...) keep their options and
conditions from the source version; new rows are rating (scale) or text.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp

from survey import scales

KEY_PATTERN = r"^[A-Z][A-Za-z0-9_]{0,19}$"
KINDS = [
    SelectChoice("scale", _l("Đánh giá theo thang đo")),
    SelectChoice("text", _l("Góp ý (văn bản)")),
    SelectChoice("choice", _l("Lựa chọn")),
    SelectChoice("procedure", _l("Chọn thủ tục")),
]
BLANK_ROWS = 2


class QuestionRow(Form):
    key = StringField(
        _l("Mã câu"),
        validators=[Optional(), Regexp(KEY_PATTERN, message=_l("Mã câu: chữ in hoa đầu, tối đa 20 ký tự."))],
    )
    position = IntegerField(_l("Thứ tự"), validators=[Optional()])
    kind = SelectField(_l("Loại"), choices=KINDS, default="scale")
    criterion = SelectField(_l("Tiêu chí"), choices=[], validate_choice=False)
    text_vi = TextAreaField(_l("Nội dung (tiếng Việt)"), validators=[Length(max=1000)])
    text_en = TextAreaField(_l("Nội dung (tiếng Anh)"), validators=[Length(max=1000)])
    required = BooleanField(_l("Bắt buộc"))
    na_vi = StringField(_l("Lựa chọn “không áp dụng” (tiếng Việt)"), validators=[Length(max=200)])
    na_en = StringField(_l("Lựa chọn “không áp dụng” (tiếng Anh)"), validators=[Length(max=200)])
    drop = BooleanField(_l("Bỏ câu này"))


class VersionForm(FlaskForm):
    agency_code = StringField(
        _l("Mã cơ quan, đơn vị"), validators=[InputRequired(_l("Vui lòng nhập mã cơ quan."))]
    )
    title_vi = StringField(
        _l("Tiêu đề (tiếng Việt)"), validators=[InputRequired(_l("Vui lòng nhập tiêu đề.")), Length(max=300)]
    )
    title_en = StringField(
        _l("Tiêu đề (tiếng Anh)"), validators=[InputRequired(_l("Vui lòng nhập tiêu đề.")), Length(max=300)]
    )
    scale = SelectField(
        _l("Thang đo"), choices=[SelectChoice(s.id, s.name_vi) for s in scales.SCALES.values()]
    )
    questions = FieldList(FormField(QuestionRow), min_entries=1)
    apply_now = BooleanField(_l("Áp dụng cho đơn vị này từ hôm nay"), default=True)


def prefill(form: VersionForm, source, agency_code: str) -> None:
    form.agency_code.data = agency_code
    form.title_vi.data, form.title_en.data, form.scale.data = source.title_vi, source.title_en, source.scale
    while form.questions.entries:
        form.questions.pop_entry()
    for position, question in enumerate(source.questions, start=1):
        na = next((o for o in question.options or [] if o.get("na")), {})
        form.questions.append_entry(
            {
                "key": question.key,
                "position": position,
                "kind": question.kind,
                "criterion": question.criterion_code or "",
                "text_vi": question.text_vi,
                "text_en": question.text_en,
                "required": question.required,
                "na_vi": na.get("vi", ""),
                "na_en": na.get("en", ""),
            }
        )
    for extra in range(BLANK_ROWS):
        form.questions.append_entry({"position": len(source.questions) + extra + 1, "kind": "scale"})


def set_criteria(form: VersionForm, criteria) -> None:
    choices = [SelectChoice("", "—")] + [SelectChoice(c.code, c.name_vi) for c in criteria]
    for row in form.questions:
        row.form.criterion.choices = choices
