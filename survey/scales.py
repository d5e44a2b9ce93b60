"""Answer scales: the 5-level default and the 3-/4-level scales some provinces use.

Domain guide §3: codes 1–5 on L5. The 3-level scale (*Rất hài lòng* → 5,
*Hài lòng* → 4, *Chưa/Không hài lòng* → "not satisfied") and the 4-level one
(5 / 4 / *Bình thường* 3 / *Không hài lòng* → "dissatisfied") have answers
without a 1–3 code: they are stored with no value, their option code and
label, and still count in the denominator (never as satisfied). "Not
applicable" answers are stored as such and kept out of every denominator.
Across scales only % satisfied is comparable, never the mean.
"""

from dataclasses import dataclass

NA = "na"


@dataclass(frozen=True)
class Scale:
    id: str
    name_vi: str
    name_en: str
    options: tuple[dict, ...]

    def as_options(self, na_vi: str | None = None, na_en: str | None = None) -> list[dict]:
        """The option list stored on a question (JSON), with an optional N/A answer."""
        options = [dict(option) for option in self.options]
        if na_vi:
            options.append({"value": None, "code": NA, "vi": na_vi, "en": na_en or na_vi, "na": True})
        return options


L5 = Scale(
    "L5",
    "5 mức",
    "5 levels",
    (
        {"value": 1, "vi": "Rất không hài lòng", "en": "Very dissatisfied"},
        {"value": 2, "vi": "Không hài lòng", "en": "Dissatisfied"},
        {"value": 3, "vi": "Bình thường", "en": "Neutral"},
        {"value": 4, "vi": "Hài lòng", "en": "Satisfied"},
        {"value": 5, "vi": "Rất hài lòng", "en": "Very satisfied"},
    ),
)
L4 = Scale(
    "L4",
    "4 mức",
    "4 levels",
    (
        {"value": None, "code": "dis", "vi": "Không hài lòng", "en": "Dissatisfied"},
        {"value": 3, "vi": "Bình thường", "en": "Neutral"},
        {"value": 4, "vi": "Hài lòng", "en": "Satisfied"},
        {"value": 5, "vi": "Rất hài lòng", "en": "Very satisfied"},
    ),
)
L3 = Scale(
    "L3",
    "3 mức",
    "3 levels",
    (
        {"value": None, "code": "ns", "vi": "Chưa/Không hài lòng", "en": "Not (yet) satisfied"},
        {"value": 4, "vi": "Hài lòng", "en": "Satisfied"},
        {"value": 5, "vi": "Rất hài lòng", "en": "Very satisfied"},
    ),
)
SCALES = {scale.id: scale for scale in (L5, L4, L3)}
DEFAULT = L5


def option_code(option: dict) -> str:
    """The value a form posts for an option: "1".."5", "na", or an uncoded code."""
    if option.get("na"):
        return NA
    return option.get("code") or str(option["value"])


def find_option(options: list[dict], raw: int | str | None) -> dict | None:
    """The option a posted value (or a stored int code, None = N/A) stands for."""
    if raw is None:
        raw = NA
    wanted = str(raw)
    return next((option for option in options if option_code(option) == wanted), None)


def is_satisfied(option: dict) -> bool:
    value = option.get("value")
    return value is not None and value >= 4


def scale_of(options: list[dict]) -> str | None:
    """Which known scale a question's options use (N/A option aside)."""
    codes = [option_code(o) for o in options if not o.get("na")]
    for scale in SCALES.values():
        if codes == [option_code(o) for o in scale.options]:
            return scale.id
    return None
