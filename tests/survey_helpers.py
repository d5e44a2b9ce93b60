"""Helpers for tests that fill in the citizen's form through HTTP."""

import re

from flask import request, request_started


def nonce_of(page_text: str) -> str:
    return re.search(r'name="nonce" type="hidden" value="([^"]+)"', page_text).group(1)


def fresh_form(client, code: str, path: str = "/s/") -> str:
    page = client.get(f"{path}{code}?again=1")  # a deliberate new form, even after an answer
    assert page.status_code == 200, page.status_code
    return nonce_of(page.text)


def submit(client, code: str, answers: dict, path: str = "/s/", **headers):
    """GET the form (fresh nonce), POST the answers; returns the POST response."""
    data = {"nonce": fresh_form(client, code, path), **answers}
    return client.post(f"{path}{code}", data=data, headers=headers)


# A complete, valid answer to the default questionnaire (v1), as a phone posts it.
ANSWERS = {
    "Q1": "4",
    "Q2": "5",
    "Q3": "5",
    "Q4": "4",
    "Q5": "na",
    "Q6": "1",
    "Q7": "1",
    "Q8": "na",
    "Q9": "5",
} | {"Q10": "Nhanh gọn, cán bộ tận tình."}


class FlaskSaw:
    """The requests that went through Flask's request cycle (the view's path)."""

    def __init__(self, app):
        self.app, self.requests = app, []

    def __enter__(self):
        request_started.connect(self.record, self.app)
        return self

    def __exit__(self, *exc):
        request_started.disconnect(self.record, self.app)

    def record(self, sender, **extra):
        self.requests.append((request.method, request.path))

    def posts(self) -> int:
        return sum(1 for method, _ in self.requests if method == "POST")
