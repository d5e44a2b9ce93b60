from survey.api import tokens
from survey.extensions import db
from survey.models import ApiToken


def _create(runner, agency="T01-XA"):
    result = runner.invoke(args=["api-token", "create", "--name", "Một cửa xã", "--agency", agency])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[0]


def test_token_printed_once_and_only_hash_stored(runner, province):
    plain = _create(runner)
    assert plain.startswith("hlqr_")
    stored = db.session.scalar(db.select(ApiToken))
    assert plain not in (stored.token_hash, stored.prefix)
    assert stored.agency.code == "T01-XA"
    assert tokens.find_active(plain) == stored


def test_revoked_token_no_longer_authenticates(runner, province):
    plain = _create(runner)
    assert runner.invoke(args=["api-token", "revoke", "1"]).exit_code == 0
    assert tokens.find_active(plain) is None
    listing = runner.invoke(args=["api-token", "list"]).output
    assert "revoked" in listing and plain not in listing


def test_openapi_document_is_served(client):
    with client.get("/api/v1/openapi.json") as response:
        assert response.status_code == 200
        assert response.json["openapi"].startswith("3.")
