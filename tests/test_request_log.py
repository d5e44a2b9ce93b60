"""One JSON line per request, with the URL pattern and never the code, query or address."""

import json
import logging

from survey.logs import LOGGER_NAME


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_one_json_line_per_request_without_codes_or_addresses(client, province, capsys):
    logging.getLogger(LOGGER_NAME).disabled = False  # Alembic's setup in the app fixture disables it
    code = province.point_a.code
    page = client.get(f"/s/{code}?lang=en", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    client.get("/khong-co-trang-nay")
    lines = _lines(capsys.readouterr().err)
    assert [(e["rule"], e["status"]) for e in lines] == [("/s/<code>", 200), (None, 404)]
    first = lines[0]
    assert first["request_id"] == page.headers["X-Request-ID"] and first["endpoint"] == "public.survey"
    assert first["method"] == "GET" and first["user_id"] is None and first["ms"] >= 0
    assert first["ts"].endswith("Z") and len(first["ts"]) == len("2026-01-01T00:00:00.000Z")
    text = json.dumps(lines)
    assert code not in text and "lang=en" not in text and "203.0.113.7" not in text
