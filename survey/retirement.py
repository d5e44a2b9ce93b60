"""Retiring a survey point. A printed URL is forever: the code keeps working and
its page tells the citizen where to go instead. The one place that retires a
point; the CLI and the admin console call it."""

from survey.extensions import db
from survey.models import SurveyPoint
from survey.models.survey_point import STATUS_RETIRED
from survey.models.types import utcnow

MAX_HOPS = 20  # a chain of replacements longer than this is a data error


class RetirementError(ValueError):
    """A retirement that would leave citizens nowhere to go."""


def retire_point(point: SurveyPoint, replacement: SurveyPoint | None = None) -> SurveyPoint:
    if point.is_retired:
        raise RetirementError(f"Điểm khảo sát {point.code} đã ngừng sử dụng từ trước.")
    if replacement is not None:
        if replacement.id == point.id:
            raise RetirementError("Điểm thay thế phải khác điểm bị ngừng sử dụng.")
        if replacement.is_retired:
            raise RetirementError(f"Điểm thay thế {replacement.code} cũng đã ngừng sử dụng.")
    point.status = STATUS_RETIRED
    point.retired_at = utcnow()
    point.replacement = replacement
    db.session.flush()
    return point


def current_replacement(point: SurveyPoint) -> SurveyPoint | None:
    """The active point at the end of the replacement chain, if any.

    A replacement may itself be retired later (the poster moved twice);
    citizens should land on the point in use today.
    """
    seen, current = {point.id}, point.replacement
    for _hop in range(MAX_HOPS):
        if current is None or not current.is_retired:
            return current
        if current.id in seen:
            return None
        seen.add(current.id)
        current = current.replacement
    return None
