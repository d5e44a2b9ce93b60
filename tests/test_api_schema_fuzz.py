"""schemathesis against static/openapi.json: every documented operation,
generated inputs, with a valid bearer token; no 500 and JSON errors.

Uses schemathesis' strategies directly with Hypothesis (its pytest lazy
loader does not work with pytest 9). Bounded so the suite stays quick; a new
path in the OpenAPI file is covered automatically.
"""

import json
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from survey.api.tokens import issue
from survey.extensions import db
from tests import authz_world

QUICK = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
SPEC = Path(__file__).resolve().parent.parent / "static" / "openapi.json"


def load_schema(app):
    with open(SPEC, encoding="utf-8") as handle:
        loaded = schemathesis.openapi.from_dict(json.load(handle))
    loaded.app = app  # calls go through the WSGI app, no network
    loaded.location = "/api/v1/openapi.json"
    return loaded


def operation_labels() -> list[str]:
    with open(SPEC, encoding="utf-8") as handle:
        spec = json.load(handle)
    return [f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item]


@pytest.mark.parametrize("label", operation_labels())
def test_documented_api_never_answers_500(app, label):
    world = authz_world.build()
    _token, plain = issue("schemathesis", world.agencies["T01-XA"])
    db.session.commit()
    bearer = {"Authorization": f"Bearer {plain}"}
    method, path = label.split(" ", 1)
    operation = next(
        result.ok()
        for result in load_schema(app).get_all_operations()
        if result.ok().method.upper() == method and result.ok().path == path
    )

    @QUICK
    @given(case=operation.as_strategy())
    def check(case):
        response = case.call(headers=bearer)
        assert response.status_code < 500, (label, response.status_code, response.text[:300])
        if response.status_code >= 400:  # headers: lower-case name -> list of values
            assert response.headers["content-type"][0].startswith("application/json"), label

    check()


def test_the_spec_documents_the_api():
    assert len(operation_labels()) >= 4
