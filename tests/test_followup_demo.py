"""The demo seed shows follow-up: cases in every state for the demo commune."""

from survey.extensions import db
from survey.models import Case, CaseEvent


def test_demo_seed_creates_cases_once(runner, client):
    assert runner.invoke(args=["seed-demo", "--days", "45"]).exit_code == 0
    cases = db.session.scalars(db.select(Case).order_by(Case.opened_at)).all()
    assert len(cases) >= 4
    assert {c.status for c in cases} >= {"new", "in_progress", "answered"}
    assert all(c.response.overall <= 2 and c.contact.phone.startswith("0900 000") for c in cases)
    events = db.session.scalar(db.select(db.func.count(CaseEvent.id)))
    assert runner.invoke(args=["seed-demo", "--days", "45"]).exit_code == 0
    assert db.session.scalar(db.select(db.func.count(Case.id))) == len(cases)
    assert db.session.scalar(db.select(db.func.count(CaseEvent.id))) == events
    client.post("/login", data={"email": "lanhdao.xa@demo.hailong.vn", "password": "demo-head-2026"})
    page = client.get("/cases?status=all").text
    assert page.count('data-testid="case-row"') == len(cases)
