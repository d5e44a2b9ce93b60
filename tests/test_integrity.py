"""Tamper evidence: edits, deletions and insertions made directly in SQL are
detected and located; seals published earlier catch a consistent rewrite."""

import hashlib
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from survey.extensions import db
from survey.integrity.merkle import TreeBuilder, reference_root
from survey.integrity.sealer import seal
from survey.integrity.verify import verify
from survey.models import Response, ResponseExclusion, SealedLeaf
from survey.models.types import utcnow
from tests import factories


def later(minutes=5):
    return utcnow() + timedelta(minutes=minutes)


@pytest.fixture
def sealed(province, app, monkeypatch):
    """Five responses (one with a comment, one excluded), all sealed."""
    monkeypatch.setitem(app.config, "INTEGRITY_SETTLE_SECONDS", 0)
    responses = [factories.answer(province.point_a, overall=v, Q1=v) for v in (5, 4, 3, 2, 5)]
    responses.append(factories.answer(province.point_b, overall=4, comment="Cán bộ nhiệt tình, chu đáo."))
    db.session.add(ResponseExclusion(response_id=responses[3].id, action="exclude", reason="test"))
    db.session.commit()
    record = seal()
    return responses, record


def leaf_of(response):
    return db.session.scalar(
        select(SealedLeaf.leaf_index).where(
            SealedLeaf.kind == "response", SealedLeaf.record_id == response.id
        )
    )


def test_tree_builder_matches_rfc6962_definition():
    leaves = [hashlib.sha256(b"\x00" + bytes([i])).digest() for i in range(40)]
    for n in range(41):
        builder = TreeBuilder()
        for leaf in leaves[:n]:
            builder.add(leaf)
        assert builder.root() == reference_root(leaves[:n]).hex()
    # Three leaves by hand: the split is at 2, as RFC 6962 says.
    left = hashlib.sha256(b"\x01" + leaves[0] + leaves[1]).digest()
    assert reference_root(leaves[:3]) == hashlib.sha256(b"\x01" + left + leaves[2]).digest()


def test_untouched_data_verifies(sealed):
    responses, record = sealed
    assert record.tree_size == len(responses) + 1  # six responses and one exclusion
    report = verify()
    assert report.ok, report.problems
    assert report.leaves == 7


def test_answer_changed_with_sql_update_is_located(sealed):
    responses, _ = sealed
    target = responses[2]
    db.session.execute(text("UPDATE answers SET value = 5 WHERE response_id = :id"), {"id": target.id})
    db.session.commit()
    report = verify()
    assert not report.ok
    assert report.problems[0] == f"Lá #{leaf_of(target)}: phiếu id {target.id} đã bị sửa sau khi niêm phong."


def test_submission_time_moved_is_located(sealed):
    responses, _ = sealed
    target = responses[0]
    db.session.execute(
        text("UPDATE responses SET submitted_at = :t WHERE id = :id"),
        {"t": target.submitted_at - timedelta(days=3), "id": target.id},
    )
    db.session.commit()
    assert verify().problems[0].startswith(f"Lá #{leaf_of(target)}: phiếu id {target.id} đã bị sửa")


def test_response_deleted_with_sql_is_located(sealed):
    responses, _ = sealed
    target_id = responses[1].id
    index = leaf_of(responses[1])
    db.session.execute(text("DELETE FROM answers WHERE response_id = :id"), {"id": target_id})
    db.session.execute(text("DELETE FROM responses WHERE id = :id"), {"id": target_id})
    db.session.commit()
    problems = verify().problems
    assert (
        problems[0]
        == f"Lá #{index}: phiếu id {target_id} không còn trong cơ sở dữ liệu (bị xoá sau khi niêm phong)."
    )


def test_response_inserted_into_sealed_period_is_located(sealed, province):
    responses, _ = sealed
    old = responses[0]
    db.session.execute(
        text(
            "INSERT INTO responses (nonce, survey_point_id, agency_id, questionnaire_id, submitted_at,"
            " channel, overall, locale, is_demo) VALUES ('forged', :p, :a, :q, :t, 'qr', 5, 'vi', :f)"
        ),
        {
            "p": old.survey_point_id,
            "a": old.agency_id,
            "q": old.questionnaire_id,
            "t": old.submitted_at,
            "f": False,
        },
    )
    db.session.commit()
    forged = db.session.scalar(select(Response.id).where(Response.nonce == "forged"))
    problems = verify().problems
    assert len(problems) == 1
    assert problems[0].startswith(f"Phiếu id {forged} (thời điểm ")
    assert "được chèn thêm sau khi niêm phong" in problems[0]
    # The next seal does not launder it: it stays outside the log.
    seal(now=later(10))
    assert any(f"Phiếu id {forged} " in p for p in verify().problems)


def test_exclusion_deleted_is_located(sealed):
    db.session.execute(text("DELETE FROM response_exclusions"))
    db.session.commit()
    assert "quyết định loại phiếu" in verify().problems[0]


def test_leaf_log_rewritten_is_caught_by_the_seal_root(sealed):
    responses, _ = sealed
    target = responses[4]
    db.session.execute(text("UPDATE answers SET value = 1 WHERE response_id = :id"), {"id": target.id})
    from survey.integrity.leaves import leaf_hash
    from survey.integrity.records import encoded

    forged = leaf_hash(encoded("response", [target.id])[target.id])
    db.session.execute(
        text("UPDATE sealed_leaves SET leaf_hash = :h WHERE leaf_index = :i"),
        {"h": forged, "i": leaf_of(target)},
    )
    db.session.commit()
    problems = verify().problems
    assert problems and "gốc Merkle của 7 lá đầu không khớp" in problems[0]


def test_consistent_rewrite_is_caught_only_by_a_root_published_earlier(sealed):
    responses, record = sealed
    published = (record.tree_size, record.root_hash)  # printed in last quarter's signed report
    # Someone with the database and the server edits an answer and rebuilds every seal.
    db.session.execute(text("UPDATE answers SET value = 5 WHERE response_id = :id"), {"id": responses[3].id})
    db.session.execute(text("DELETE FROM sealed_leaves"))
    db.session.execute(text("DELETE FROM integrity_seals"))
    db.session.commit()
    seal(now=later())
    assert verify().ok  # internally consistent again
    problems = verify(published).problems
    assert len(problems) == 1 and "lịch sử đã bị viết lại" in problems[0]


def test_later_seals_extend_earlier_ones(sealed, province):
    _, first = sealed
    factories.answer(province.point_a, overall=5)
    second = seal(now=later(10))
    assert second.tree_size == first.tree_size + 1
    assert second.previous_hash == first.seal_hash
    assert verify((first.tree_size, first.root_hash)).ok


def test_unsettled_responses_wait_for_the_next_seal(province, app):
    assert app.config["INTEGRITY_SETTLE_SECONDS"] == 60
    factories.answer(province.point_a)
    record = seal()  # the response is younger than the settle time
    assert record.tree_size == 0
    assert verify().ok
    assert seal(now=later()).tree_size == 1


def test_seal_and_verify_commands(runner, sealed):
    responses, _ = sealed
    result = runner.invoke(args=["seal"])
    assert result.exit_code == 0, result.output
    assert "Niêm phong #2: 7 lá (+0)" in result.output
    good = runner.invoke(args=["verify-integrity"])
    assert good.exit_code == 0 and "Toàn vẹn: 7 lá, 2 niêm phong" in good.output
    db.session.execute(text("UPDATE responses SET comment = 'sửa' WHERE id = :id"), {"id": responses[5].id})
    db.session.commit()
    bad = runner.invoke(args=["verify-integrity"])
    assert bad.exit_code == 1
    assert f"phiếu id {responses[5].id} đã bị sửa" in bad.output
    wrong_root = runner.invoke(args=["verify-integrity", "--root", "00" * 32, "--size", "3"])
    assert wrong_root.exit_code == 1 and "lịch sử đã bị viết lại" in wrong_root.output


def test_concurrent_submits_while_sealing_raise_no_false_alarm(app, province, monkeypatch):
    """The commit-order trap: the sealer runs while citizens submit."""
    monkeypatch.setitem(app.config, "INTEGRITY_SETTLE_SECONDS", 1)
    point_ids = [province.point_a.id, province.point_b.id]
    stop = threading.Event()
    errors: list[BaseException] = []

    def citizen(point_id):
        with app.app_context():
            from survey.models import SurveyPoint

            try:
                while not stop.is_set():
                    factories.answer(db.session.get(SurveyPoint, point_id), overall=4)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=citizen, args=(pid,)) for pid in point_ids]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        seal()
        assert verify().ok
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join()
    assert not errors
    time.sleep(1.2)
    final = seal()
    total = db.session.scalar(select(func.count(Response.id)))
    assert total > 10 and final.tree_size == total
    assert verify().ok


def test_dossier_link_is_sealed_and_old_leaf_versions_still_verify(province, app, monkeypatch):
    """v1 leaves (sealed before dossier links existed) keep verifying; v2
    leaves include the dossier link, so moving one is detected."""
    import survey.integrity.records as records
    import survey.integrity.sealer as sealer
    from survey.models import DossierLink

    monkeypatch.setitem(app.config, "INTEGRITY_SETTLE_SECONDS", 0)
    old = factories.answer(province.point_a, overall=5)
    with monkeypatch.context() as m:
        m.setattr(sealer, "LEAF_VERSION", 1)
        m.setattr(records, "LEAF_VERSION", 1)
        seal()
    assert db.session.scalar(select(SealedLeaf.leaf_version)) == 1
    new = factories.answer(province.point_a, overall=4)
    seal()
    assert verify().ok
    link = DossierLink(
        token="T" * 20,
        dossier_hash="h" * 64,
        survey_point_id=province.point_a.id,
        procedure_id=province.birth.id,
        expires_at=later(60 * 24),
    )
    db.session.add(link)
    db.session.commit()
    db.session.execute(
        text("UPDATE responses SET dossier_link_id = :l WHERE id = :id"), {"l": link.id, "id": new.id}
    )
    db.session.commit()
    problems = verify().problems
    assert problems == [f"Lá #{leaf_of(new)}: phiếu id {new.id} đã bị sửa sau khi niêm phong."]
    assert leaf_of(old) == 0


def test_answer_label_and_scale_are_sealed(sealed):
    responses, _ = sealed
    target = responses[0]
    db.session.execute(
        text("UPDATE answers SET label = 'Bình thường' WHERE response_id = :id"), {"id": target.id}
    )
    db.session.commit()
    assert verify().problems == [f"Lá #{leaf_of(target)}: phiếu id {target.id} đã bị sửa sau khi niêm phong."]


def test_a_backlog_is_sealed_in_batches_without_skipping_or_repeating_ties(province, app, monkeypatch):
    """The sealer reads unsealed ids a batch at a time, after the last (stamp, id):
    responses sharing one timestamp across a batch boundary are each sealed once."""
    from survey.integrity import sealer

    monkeypatch.setitem(app.config, "INTEGRITY_SETTLE_SECONDS", 0)
    monkeypatch.setattr(sealer, "BATCH", 3)
    responses = [factories.answer(province.point_a, overall=5) for _ in range(8)]
    same_moment = utcnow() - timedelta(minutes=1)
    db.session.execute(
        Response.__table__.update()
        .where(Response.id.in_([r.id for r in responses[1:6]]))
        .values(submitted_at=same_moment)
    )
    db.session.commit()
    assert [len(ids) for ids in sealer.unsealed_batches("response", None, utcnow(), size=3)] == [3, 3, 2]
    batches = []
    original = sealer.unsealed_batches
    monkeypatch.setattr(
        sealer, "unsealed_batches", lambda *a, **k: (batches.append(b) or b for b in original(*a, **k))
    )
    record = seal()
    assert [len(ids) for ids in batches] == [3, 3, 2]  # the seal itself read in batches
    sealed_ids = db.session.scalars(select(SealedLeaf.record_id).order_by(SealedLeaf.leaf_index)).all()
    assert sorted(sealed_ids) == sorted(r.id for r in responses) and record.tree_size == 8
    assert sealed_ids[:5] == sorted(r.id for r in responses[1:6])  # the tied moment first, in id order
    assert verify().ok
