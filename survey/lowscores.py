"""When is a response "low" enough to invite a follow-up contact?"""

from sqlalchemy import bindparam, select

from survey.extensions import db
from survey.models import Answer, Question, Response

EXTRA_PAYMENT = "extra_payment"  # criterion of Q7
EXTRA_PAYMENT_YES = 2  # "Có"

# One query for the answers and their questions (the thank-you page asks it
# right after every submit; walking response.answers loads each question).
_ANSWERS = (
    select(Answer.value, Answer.not_applicable, Question.kind, Question.criterion_code)
    .join(Question, Question.id == Answer.question_id)
    .where(Answer.response_id == bindparam("response_id"))
)


def is_low(response: Response, low_max: int) -> bool:
    """Any rating at or below `low_max`, an uncoded "not satisfied" answer, or
    a reported request for extra payment (Q7 "Có")."""
    answers = db.session.execute(_ANSWERS, {"response_id": response.id}).all()
    for value, not_applicable, kind, criterion_code in answers:
        if kind == "scale" and not not_applicable:
            if value is None or value <= low_max:
                return True
        if criterion_code == EXTRA_PAYMENT and value == EXTRA_PAYMENT_YES:
            return True
    return False
