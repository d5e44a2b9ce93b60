"""Phone and ID numbers a citizen typed into a comment are not shown.

The domain guide's default: a comment is read by staff, heads, the steering
committee and auditors, but a phone number or an identity-card number in it
was never given with consent (contact details have their own, consented step:
survey/contacts.py). So wherever a comment is shown or exported for reading,
a run of nine or more digits (a mobile number has ten, an old identity card
nine, a citizen identity card twelve) is replaced by a mark. Sums of money
written with thousands separators ("1.500.000 đồng") stay: reports of extra
payments need them. The raw data of an evidence pack keeps the comment as
received, since that is what was sealed.
"""

import re

from flask import Flask
from flask_babel import gettext as _

# A digit run, with the spaces, dots and dashes people write inside numbers.
NUMBER = re.compile(r"\+?\d[\d .-]*\d")
MONEY = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
FEWEST_DIGITS = 9


def _hidden(match: re.Match) -> str:
    number = match.group()
    if sum(c.isdigit() for c in number) < FEWEST_DIGITS or MONEY.fullmatch(number):
        return number
    return _("[đã ẩn số]")


def mask_numbers(text: str | None) -> str | None:
    """The comment with its phone and ID numbers replaced."""
    return NUMBER.sub(_hidden, text) if text else text


def register(app: Flask) -> None:
    app.add_template_filter(mask_numbers, "masked")
