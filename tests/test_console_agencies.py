"""The console's agency tree: create, rename, move, merge, retire, history."""

import pytest
from sqlalchemy import select

from survey.agencies import get_by_code, subtree_ids
from survey.extensions import db
from survey.models import AdminLog, AgencyClosure, AgencyProcedure, SurveyPoint
from tests import factories


@pytest.fixture
def admin(province):
    return factories.user("admin@tinh.vn", "admin")


def closure_pairs() -> set[tuple[int, int, int]]:
    rows = db.session.execute(
        select(AgencyClosure.ancestor_id, AgencyClosure.descendant_id, AgencyClosure.depth)
    )
    return {tuple(row) for row in rows}


def test_tree_shows_nested_units_and_search_finds_by_code(login, admin, province):
    client = login(admin)
    page = client.get("/admin/agencies")
    assert page.status_code == 200
    assert "<details open><summary>" in page.text
    assert province.commune_a.name in page.text
    found = client.get("/admin/agencies?q=T01-XB")
    assert province.commune_b.name in found.text
    assert province.commune_a.name not in found.text


def test_create_child_records_history(login, admin, province):
    client = login(admin)
    posted = client.post(
        "/admin/agencies/new",
        data={"code": "T01-XC", "name": "Ủy ban nhân dân xã Tân Lập", "kind": "commune_pc", "parent": "T01"},
    )
    assert posted.status_code == 302
    created = get_by_code("T01-XC")
    assert created.parent_id == province.root.id and created.depth == 1
    assert created.id in subtree_ids(province.root.id)
    page = client.get("/admin/agencies/T01-XC")
    assert "admin@tinh.vn" in page.text and "create" in page.text


def test_create_with_duplicate_code_keeps_what_was_typed(login, admin, province):
    page = login(admin).post(
        "/admin/agencies/new",
        data={"code": "T01-XA", "name": "Tên gõ dở dang", "kind": "commune_pc", "parent": "T01"},
    )
    assert page.status_code == 422
    assert "Mã đơn vị T01-XA đã có." in page.text
    assert 'value="Tên gõ dở dang"' in page.text


def test_rename_logs_before_and_after(login, admin, province):
    client = login(admin)
    client.post(
        "/admin/agencies/T01-XA/rename",
        data={"name": "Ủy ban nhân dân xã Hòa Bình Mới", "kind": "commune_pc"},
    )
    entry = db.session.scalar(select(AdminLog).where(AdminLog.action == "rename"))
    assert entry.before["name"] == "Ủy ban nhân dân xã Hòa Bình"
    assert entry.after["name"] == "Ủy ban nhân dân xã Hòa Bình Mới"
    assert entry.user_email == "admin@tinh.vn"


def test_move_rewrites_the_closure_table(login, admin, province):
    client = login(admin)
    child = factories_child(province.commune_a)
    response = client.post("/admin/agencies/T01-XA/move", data={"parent": "T01-STP"})
    assert response.status_code == 302
    db.session.expire_all()
    assert set(subtree_ids(province.dept.id)) == {province.dept.id, province.commune_a.id, child.id}
    assert province.commune_a.id in subtree_ids(province.root.id)  # still in the province
    pairs = closure_pairs()
    assert (province.root.id, child.id, 3) in pairs and (province.dept.id, child.id, 2) in pairs
    assert get_by_code("T01-XA").depth == 2 and get_by_code("T01-XA-1").depth == 3


def factories_child(parent):
    from survey.agencies import create_agency

    child = create_agency("T01-XA-1", "Điểm tiếp nhận thôn Bản Chắt", "commune_pasc", parent)
    db.session.commit()
    return child


def test_move_under_own_subtree_is_refused(login, admin, province):
    factories_child(province.commune_a)
    page = login(admin).post("/admin/agencies/T01-XA/move", data={"parent": "T01-XA-1"})
    assert page.status_code == 200
    assert "Không thể chuyển một đơn vị vào dưới chính nó" in page.text
    assert get_by_code("T01-XA").parent_id == province.root.id


def test_merge_moves_points_and_procedures_and_keeps_old_figures(login, admin, province):
    for _ in range(3):
        factories.answer(province.point_a, overall=5)
    factories.answer(province.point_b, overall=2)
    client = login(admin)
    confirm = client.post("/admin/agencies/T01-XA/merge", data={"target": "T01-XB"})
    assert "Xác nhận sáp nhập" in confirm.text
    assert "3 phiếu đã nhận vẫn ghi cho" in confirm.text
    assert db.session.scalar(select(SurveyPoint.agency_id).where(SurveyPoint.id == province.point_a.id)) == (
        province.commune_a.id
    )  # nothing happened before confirming
    done = client.post("/admin/agencies/T01-XA/merge", data={"target": "T01-XB", "confirmed": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    old, new = get_by_code("T01-XA"), get_by_code("T01-XB")
    assert old.is_retired and old.merged_into_id == new.id
    assert {p.agency_id for p in db.session.scalars(select(SurveyPoint))} == {new.id}
    assert db.session.get(AgencyProcedure, (new.id, province.birth.id)) is not None
    # The surviving unit's summary counts both; the old unit keeps its own 3.
    assert 'data-testid="responses">4<' in client.get("/agencies/T01-XB").text
    assert 'data-testid="responses">3<' in client.get("/agencies/T01-XA").text
    history = client.get("/admin/agencies/T01-XB").text
    assert "merge_in" in history and "merge" in history


def test_a_new_answer_after_merge_counts_for_the_surviving_unit(login, admin, province):
    client = login(admin)
    client.post("/admin/agencies/T01-XA/merge", data={"target": "T01-XB", "confirmed": "1"})
    db.session.expire_all()
    response = factories.answer(db.session.get(SurveyPoint, province.point_a.id), overall=4)
    assert response.agency_id == province.commune_b.id


def test_retire_needs_confirmation_stops_points_and_can_be_undone(login, admin, province):
    client = login(admin)
    confirm = client.get("/admin/agencies/T01-XA/retire")
    assert "2 điểm khảo sát đang dùng sẽ ngừng theo" in confirm.text
    client.post("/admin/agencies/T01-XA/retire")
    db.session.expire_all()
    assert get_by_code("T01-XA").is_retired
    assert client.get(f"/s/{province.point_a.code}").status_code == 410
    assert province.commune_a.name not in client.get("/admin/agencies").text
    assert province.commune_a.name in client.get("/admin/agencies?retired=1").text
    client.post("/admin/agencies/T01-XA/restore")
    db.session.expire_all()
    assert not get_by_code("T01-XA").is_retired


def test_retire_refused_while_active_units_hang_below(login, admin, province):
    client = login(admin)
    client.post("/admin/agencies/T01/retire")
    db.session.expire_all()
    assert not get_by_code("T01").is_retired
    assert "còn đơn vị trực thuộc đang hoạt động" in client.get("/admin/agencies/T01").text


def test_quality_target_accepts_a_decimal_comma_and_is_logged(login, admin, province):
    client = login(admin)
    form = client.get("/admin/agencies/T01-XA/target")
    assert form.status_code == 200 and "90 %" in form.text  # the province default is named
    posted = client.post("/admin/agencies/T01-XA/target", data={"target": "92,5"})
    assert posted.status_code == 302
    db.session.expire_all()
    assert get_by_code("T01-XA").quality_target == pytest.approx(0.925)
    entry = db.session.scalar(select(AdminLog).where(AdminLog.action == "set_target"))
    assert entry.before == {"quality_target": None}
    assert entry.after["quality_target"] == pytest.approx(0.925)
    assert entry.user_email == "admin@tinh.vn"
    page = client.get("/admin/agencies/T01-XA")
    assert "92,5 %" in page.text
    again = client.get("/admin/agencies/T01-XA/target")
    assert 'value="92,5"' in again.text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("120", "Mục tiêu phải nằm trong khoảng từ 0 đến 100 %."),
        ("-5", "Mục tiêu phải nằm trong khoảng từ 0 đến 100 %."),
        ("chín mươi", "Mục tiêu phải là một số phần trăm, ví dụ 90 hoặc 92,5."),
        ("9,0,5", "Mục tiêu phải là một số phần trăm, ví dụ 90 hoặc 92,5."),
    ],
)
def test_quality_target_rejects_bad_values_and_keeps_what_was_typed(login, admin, province, typed, message):
    page = login(admin).post("/admin/agencies/T01-XA/target", data={"target": typed})
    assert page.status_code == 422
    assert message in page.text
    assert f'value="{typed}"' in page.text
    db.session.expire_all()
    assert get_by_code("T01-XA").quality_target is None
    assert db.session.scalar(select(AdminLog).where(AdminLog.action == "set_target")) is None


def test_quality_target_cleared_returns_to_the_default_on_the_summary(login, admin, province):
    client = login(admin)
    client.post("/admin/agencies/T01-XA/target", data={"target": "95 %"})
    db.session.expire_all()
    assert get_by_code("T01-XA").quality_target == pytest.approx(0.95)
    assert "Mục tiêu chất lượng: ≥ 95 %" in client.get("/agencies/T01-XA").text
    client.post("/admin/agencies/T01-XA/target", data={"target": "92.5"})
    assert "Mục tiêu chất lượng: ≥ 92,5 %" in client.get("/agencies/T01-XA").text
    client.post("/admin/agencies/T01-XA/target", data={"target": ""})
    db.session.expire_all()
    assert get_by_code("T01-XA").quality_target is None
    assert "(mục tiêu chung)" in client.get("/admin/agencies/T01-XA").text
    actions = db.session.scalars(select(AdminLog.action).where(AdminLog.action == "set_target")).all()
    assert len(actions) == 3
