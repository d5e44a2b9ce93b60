"""The demo province: real units and codes, idempotent, usable end to end."""

import csv
import io

from survey.extensions import db
from survey.kinds import DATA
from survey.models import Agency, Procedure, Response, SurveyPoint, User
from tests.test_skeleton_flow import decode_qr

with open(DATA / "procedures.csv", encoding="utf-8") as _handle:
    REAL_CODES = {row["code"] for row in csv.DictReader(_handle)}


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_seed_demo_is_idempotent_and_real(runner):
    first = runner.invoke(args=["seed-demo", "--days", "3"])
    assert first.exit_code == 0, first.output
    counts = [_count(m) for m in (Agency, Procedure, SurveyPoint, Response, User)]
    second = runner.invoke(args=["seed-demo", "--days", "3"])
    assert second.exit_code == 0 and "không tạo thêm" in second.output
    assert [_count(m) for m in (Agency, Procedure, SurveyPoint, Response, User)] == counts
    communes = db.session.scalars(db.select(Agency).where(Agency.kind == "commune_pc")).all()
    assert len(communes) == 65  # Lạng Sơn after 1 July 2025: 61 xã + 4 phường
    assert "Ủy ban nhân dân xã Thất Khê" in {c.name for c in communes}
    assert set(db.session.scalars(db.select(Procedure.code))) <= REAL_CODES
    assert db.session.scalar(db.select(db.func.count()).where(Response.is_demo.is_(False))) == 0
    assert "demo-head-2026" in first.output


def test_demo_point_scans_answers_and_counts(runner, client):
    runner.invoke(args=["seed-demo", "--days", "2"])
    exported = runner.invoke(args=["survey-points", "export", "--agency", "LS-X06040"]).output
    point = next(r for r in csv.DictReader(io.StringIO(exported)) if r["procedure_code"])
    png = client.get(f"/qr/{point['code']}.png").data
    assert decode_qr(png) == [point["url"].upper()]  # QR_UPPERCASE_URL: alphanumeric mode
    client.post("/login", data={"email": "lanhdao.xa@demo.hailong.vn", "password": "demo-head-2026"})
    before = _responses_shown(client)
    form = client.get(f"/s/{point['code']}").text
    nonce = form.split('name="nonce" type="hidden" value="')[1].split('"')[0]
    assert client.post(f"/s/{point['code']}", data={"nonce": nonce, "Q9": "4"}).status_code == 302
    assert _responses_shown(client) == before + 1


def _responses_shown(client) -> int:
    page = client.get("/agencies/LS-X06040").text
    shown = page.split('data-testid="responses">')[1].split("<")[0]
    return int(shown.replace(".", ""))
