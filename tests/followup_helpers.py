"""Builders shared by the follow-up tests."""

from survey.contacts import store_contact
from survey.extensions import db
from survey.models import Case
from tests import factories


def unhappy_with_contact(point, overall=1, phone="0912 345 678", email=None, comment="Chờ quá lâu"):
    """A citizen answers low and leaves a phone number, as the public form does."""
    response = factories.answer(point, overall=overall, comment=comment)
    store_contact(response, phone, email)
    db.session.commit()
    return response


def case_of(response) -> Case | None:
    return db.session.scalar(db.select(Case).where(Case.response_id == response.id))
