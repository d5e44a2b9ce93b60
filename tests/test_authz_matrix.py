"""Authorization matrix generated from the app's own URL map.

Every endpoint × every role (admin, committee, head, staff, auditor,
anonymous) × an object inside and outside the user's scope, each with its
expected answer. The routes and how to fill their URLs live in
tests/routes_table.py (read its docstring to add a route); an endpoint that
is not there fails ``test_every_route_is_in_the_table``.
"""

import pytest

from survey.auth.sessions import LOGIN_AT
from survey.models.user import ROLE_ADMIN, ROLES
from tests import authz_world
from tests.conftest import _wipe as wipe
from tests.routes_table import API, KINDS, PUBLIC, ROUTES
from tests.web_pages import fetch, url_for_route

ANONYMOUS = "anonymous"


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(ROUTES))
    stale = sorted(set(ROUTES) - endpoints)
    assert not missing, f"routes without an entry in tests/routes_table.py: {missing}"
    assert not stale, f"entries for routes that no longer exist: {stale}"


def test_table_access_matches_the_view_decorators(app):
    wrong = {}
    for endpoint, route in ROUTES.items():
        if endpoint == "static":
            continue
        policy = getattr(app.view_functions[endpoint], "access_policy", None)
        declared = policy if isinstance(policy, str) or policy is None else tuple(sorted(policy))
        expected = route.access if isinstance(route.access, str) else tuple(sorted(route.access))
        if declared != expected:
            wrong[endpoint] = (declared, expected)
    assert not wrong, f"view decorator vs table (declared, table): {wrong}"


def sign_in(client, user) -> None:
    """Put the user in the session directly: the matrix tests access, not passwords."""
    import time

    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session[LOGIN_AT] = int(time.time())


def expected_statuses(route, role: str, where: str) -> tuple[int, ...]:
    if route.access == PUBLIC:
        return route.ok
    if route.access == API:
        return (401,) if role == ANONYMOUS else route.ok  # role = token scope here
    if role == ANONYMOUS:
        return (302,)
    if role not in route.access:
        return (403,)
    if role in route.denied:
        return (404,)
    if where == "outside" and route.args and route.scoped and role != ROLE_ADMIN:
        return (404,)
    return route.ok


def call(client, route, url: str, headers: dict | None = None, body: dict | None = None):
    if body is not None:
        return fetch(client, url, method=route.method, json=body, headers=headers)
    return fetch(client, url, method=route.method, data=route.data or {}, headers=headers)


def check_shows(route, world, role, agency_in, agency_out, body: str) -> list[str]:
    if route.shows is None or role == ANONYMOUS:
        return []
    problems = []
    marker_in = KINDS[route.shows](world, agency_in)
    marker_out = KINDS[route.shows](world, agency_out)
    if marker_in not in body:
        problems.append(f"{role}: in-scope {marker_in} not shown")
    if role != ROLE_ADMIN and marker_out in body:
        problems.append(f"{role}: LEAK of out-of-scope {marker_out}")
    return problems


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_matrix(app, endpoint):
    route = ROUTES[endpoint]
    if route.access == API:
        return _api_matrix(app, endpoint)
    world = authz_world.build()
    problems = []
    for role in (*ROLES, ANONYMOUS):
        for where in ("inside", "outside"):
            if route.mutates:
                wipe()
                world = authz_world.build()
            client = app.test_client()
            if role != ANONYMOUS:
                sign_in(client, world.users[role])
            agency = (authz_world.inside if where == "inside" else authz_world.outside)(world, role)
            url = url_for_route(app, endpoint, world, agency)
            response = call(client, route, url)
            wanted = expected_statuses(route, role, where)
            if response.status_code not in wanted:
                problems.append(
                    f"{role} {where} {route.method} {url}: {response.status_code}, wanted {wanted}"
                )
            elif role == ANONYMOUS and wanted == (302,) and "/login" not in response.headers["Location"]:
                problems.append(f"anonymous {url}: redirected to {response.headers['Location']}")
            elif where == "inside" and response.status_code == 200 and route.method == "GET":
                outside = authz_world.outside(world, role if role != ANONYMOUS else "head")
                body = response.get_data().decode(errors="replace")
                problems += check_shows(route, world, role, agency, outside, body)
    assert not problems, "\n".join(problems)


def _api_matrix(app, endpoint):
    """Bearer-token routes: no token 401, a session cookie is not a token,
    a token sees its own subtree and gets 404 outside it."""
    from survey.api.tokens import issue
    from survey.extensions import db

    world = authz_world.build()
    route = ROUTES[endpoint]
    _token, plain = issue("matrix", world.agencies["T01-XA"])
    db.session.commit()
    problems = []
    for where, agency in (("inside", world.agencies["T01-XA"]), ("outside", world.agencies["T01-XB"])):
        url = url_for_route(app, endpoint, world, agency)
        body = KINDS[route.body](world, agency) if route.body else None
        bare = app.test_client()
        sign_in(bare, world.users["admin"])
        if (status := call(bare, route, url, body=body).status_code) != 401:
            problems.append(f"admin session cookie without token {url}: {status}, wanted 401")
        bearer = {"Authorization": f"Bearer {plain}"}
        status = call(app.test_client(), route, url, bearer, body=body).status_code
        names_object = route.args or route.body
        wanted = (404,) if where == "outside" and names_object and route.scoped else route.ok
        if status not in wanted:
            problems.append(f"token {where} {url}: {status}, wanted {wanted}")
    assert not problems, "\n".join(problems)
