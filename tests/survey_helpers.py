"""Helpers for tests that fill in the citizen's form through HTTP."""

import re


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
