"""Helpers shared by the web-security tests: pages to visit, as whom."""

from flask import g

from tests import authz_world
from tests.routes_table import KINDS, ROUTES


def url_for_route(app, endpoint: str, world, agency) -> str:
    from flask import url_for

    route = ROUTES[endpoint]
    values = {name: KINDS[kind](world, agency) for name, kind in route.args.items()}
    with app.test_request_context():
        return url_for(endpoint, **values, **route.query)


def fetch(client, url: str, method: str = "GET", **kwargs):
    """One request with a fresh Flask-Login user cache; the body is read and closed."""
    g.pop("_login_user", None)
    response = client.open(url, method=method, **kwargs)
    response.get_data()
    response.close()
    return response


def state_changing_routes(app) -> list[tuple[str, str]]:
    """(endpoint, method) for every POST/PUT/PATCH/DELETE outside the token API."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            continue
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}):
            found.append((rule.endpoint, method))
    return sorted(found)


def html_get_routes(app) -> list[str]:
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and rule.endpoint != "static"
    )


__all__ = ["authz_world", "fetch", "html_get_routes", "state_changing_routes", "url_for_route"]
