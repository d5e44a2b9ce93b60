"""A small province with answers that try every trick, sealed, and pack helpers."""

import io
import os
import zipfile
from datetime import timedelta
from types import SimpleNamespace

from survey import PROJECT_ROOT
from survey.evidence.scope import EvidenceScope
from survey.extensions import db
from survey.i18n import to_local
from survey.integrity.sealer import seal
from survey.models import ResponseExclusion
from survey.models.types import utcnow
from tests import factories

FORMULA = '=HYPERLINK("http://x","y")'
SCRIPT = "<script>alert(1)</script>"
VIETNAMESE = "Cán bộ hướng dẫn tận tình, chu đáo; phòng chờ hơi nóng."
ARTEFACTS = os.path.join(PROJECT_ROOT, "test-artifacts", "evidence")


def populate(province) -> SimpleNamespace:
    """36 counted answers (27 satisfied), one excluded, three tricky comments."""
    overall = [5] * 15 + [4] * 12 + [3] * 5 + [2] * 3 + [1] * 1
    comments = {0: FORMULA, 1: SCRIPT, 2: VIETNAMESE}
    responses = []
    for i, value in enumerate(overall):
        point = province.point_a if i % 2 else province.point_b
        responses.append(factories.answer(point, overall=value, comment=comments.get(i), Q1=value, Q7=1))
    test_answer = factories.answer(province.point_a, overall=1, comment="phiếu thử")
    db.session.add(
        ResponseExclusion(response_id=test_answer.id, action="exclude", reason="test", note="Thử quầy")
    )
    db.session.commit()
    return SimpleNamespace(responses=responses, excluded=test_answer)


def sealed_now(app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "INTEGRITY_SETTLE_SECONDS", 0)
    seal()


def scope_for(agency, subtree=True) -> EvidenceScope:
    today = to_local(utcnow()).date()
    return EvidenceScope(agency, subtree, today - timedelta(days=29), today)


def cli_dates(scope: EvidenceScope) -> list[str]:
    return ["--from", scope.date_from.isoformat(), "--to", scope.date_to.isoformat()]


def members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite(path, name: str, change) -> None:
    """Rewrite one member of a pack (as someone editing it would)."""
    content = members(path)
    content[name] = change(content[name])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in content.items():
            archive.writestr(member, data)
    with open(path, "wb") as fh:
        fh.write(buffer.getvalue())
