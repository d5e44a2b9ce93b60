"""Stored and reflected XSS: citizen text is escaped on every page that shows it."""

import pytest

from tests import authz_world, factories
from tests.test_authz_matrix import sign_in
from tests.web_pages import fetch
from tests.xss_pages import ESCAPED, PAGES, PAYLOAD


@pytest.mark.parametrize("page", sorted(PAGES))
def test_citizen_text_is_escaped(app, client, page):
    world = authz_world.build()
    stored = factories.answer(world.points["T01-XA"], overall=1, comment=PAYLOAD)
    sign_in(client, world.users["admin"])
    url, method, data = PAGES[page](client, world, stored)
    body = fetch(client, url, method=method, data=data).get_data(as_text=True)
    assert ESCAPED in body, f"{page}: the comment is not shown at all"
    assert "<script>alert" not in body and "<img src=x" not in body
