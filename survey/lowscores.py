"""When is a response "low" enough to invite a follow-up contact?"""

from survey.models import Response

EXTRA_PAYMENT = "extra_payment"  # criterion of Q7
EXTRA_PAYMENT_YES = 2  # "Có"


def is_low(response: Response, low_max: int) -> bool:
    """Any rating at or below `low_max`, an uncoded "not satisfied" answer, or
    a reported request for extra payment (Q7 "Có")."""
    for answer in response.answers:
        question = answer.question
        if question.kind == "scale" and not answer.not_applicable:
            if answer.value is None or answer.value <= low_max:
                return True
        if question.criterion_code == EXTRA_PAYMENT and answer.value == EXTRA_PAYMENT_YES:
            return True
    return False
