"""The procedure catalogue: search, assignment and the CSV import with a preview."""

import base64
import io

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import AdminLog, AgencyProcedure, Procedure
from tests import factories

HEADER = "code,name,field,agency_code\n"
# Real codes from survey/data/procedures.csv.
GOOD = (
    HEADER
    + "1.001193,Thủ tục đăng ký khai sinh,Hộ tịch,T01-XA\n"
    + "1.000894,Thủ tục đăng ký kết hôn (sửa tên),Hộ tịch,T01-XB\n"
    + "1.000656,Thủ tục đăng ký khai tử,Hộ tịch,T01-XA\n"
)
BAD = HEADER + "1.001193,Thủ tục đăng ký khai sinh,Hộ tịch,T01-XA\n1.0656,Mã sai,Hộ tịch,T01-XA\n"


@pytest.fixture
def admin(province):
    return factories.user("admin@tinh.vn", "admin")


def upload(client, text: str, retire_missing=True):
    data = {"file": (io.BytesIO(text.encode()), "tthc.csv")}
    if retire_missing:
        data["retire_missing"] = "y"
    return client.post("/admin/procedures/import", data=data, content_type="multipart/form-data")


def payload_of(page_text: str) -> str:
    return page_text.split('name="payload" type="hidden" value="')[1].split('"')[0]


def test_catalogue_search_by_code_name_and_field(login, admin, province):
    factories.procedure("1.000656", "Thủ tục đăng ký khai tử", "Hộ tịch")
    factories.procedure(
        "1.013225", "Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV", "Xây dựng"
    )
    db.session.commit()
    client = login(admin)
    assert "Cấp giấy phép xây dựng mới" in client.get("/admin/procedures?q=Xây dựng").text
    by_code = client.get("/admin/procedures?q=1.000656").text
    assert "Thủ tục đăng ký khai tử" in by_code and "kết hôn" not in by_code
    by_name = client.get("/admin/procedures?q=kết hôn").text
    assert "1.000894" in by_name and "1.000656" not in by_name


def test_bad_row_writes_nothing_and_names_the_row(login, admin, province):
    page = upload(login(admin), BAD)
    assert page.status_code == 422
    assert "Dòng 3: Mã thủ tục" in page.text
    assert "Ghi vào danh mục" not in page.text
    assert db.session.scalar(select(func.count()).select_from(Procedure)) == 2


def test_preview_shows_added_changed_retired_then_apply_writes(login, admin, province):
    factories.procedure(
        "1.013225", "Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV", "Xây dựng"
    )
    db.session.commit()
    client = login(admin)
    preview = upload(client, GOOD)
    assert preview.status_code == 200
    assert "1 thủ tục thêm mới, 1 thay đổi, 1 ngừng áp dụng." in preview.text
    assert db.session.scalar(select(func.count()).select_from(Procedure)) == 3  # nothing written yet
    applied = client.post(
        "/admin/procedures/import/apply", data={"payload": payload_of(preview.text), "retire_missing": "1"}
    )
    assert applied.status_code == 302
    db.session.expire_all()
    codes = {p.code: p for p in db.session.scalars(select(Procedure))}
    assert codes["1.000656"].active and codes["1.000894"].name == "Thủ tục đăng ký kết hôn (sửa tên)"
    assert not codes["1.013225"].active
    assert db.session.get(AgencyProcedure, (province.commune_a.id, codes["1.000656"].id)) is not None
    actions = set(db.session.scalars(select(AdminLog.action)))
    assert {"import_add", "import_change", "import_retire"} <= actions


def test_tampered_payload_is_checked_again(login, admin, province):
    client = login(admin)
    bad = base64.b64encode(BAD.encode()).decode()
    page = client.post("/admin/procedures/import/apply", data={"payload": bad, "retire_missing": ""})
    assert page.status_code == 422
    assert "Dòng 3:" in page.text
    assert db.session.scalar(select(func.count()).select_from(Procedure)) == 2


def test_file_without_columns_is_explained(login, admin, province):
    page = upload(login(admin), "ma,ten\n1.001193,x\n")
    assert page.status_code == 422
    assert "Thiếu cột" in page.text


def test_assign_and_unassign_a_procedure(login, admin, province):
    factories.procedure("1.000656", "Thủ tục đăng ký khai tử", "Hộ tịch")
    db.session.commit()
    client = login(admin)
    client.post("/admin/agencies/T01-XA/procedures", data={"procedure": "1.000656"})
    assert "Thủ tục đăng ký khai tử" in client.get("/admin/procedures?agency=T01-XA").text
    client.post("/admin/agencies/T01-XA/procedures/1.000656/remove")
    assert "Thủ tục đăng ký khai tử" not in client.get("/admin/procedures?agency=T01-XA").text


def test_scoped_head_cannot_import_the_provincial_catalogue(login, province):
    head = factories.user("head@xa.vn", "head", province.commune_a)
    assert login(head).get("/admin/procedures/import").status_code == 404


def test_a_cell_too_long_to_read_is_explained_on_the_page(login, admin, province):
    """The web import meets the same reader: the line and the reason, nothing written."""
    page = upload(login(admin), "code,name,field,agency_code\n1.001194," + "a" * 140_000 + ",Hộ tịch,\n")
    assert page.status_code == 422 and "Dòng 2: một ô dài quá 131.072 ký tự" in page.text
    assert db.session.scalar(select(func.count()).select_from(Procedure)) == 2


def test_an_id_too_big_for_any_table_is_not_found(login, admin, province):
    client = login(admin)
    for url in ("/admin/users/99999999999999999999", "/posters/jobs/9223372036854775808"):
        assert client.get(url).status_code == 404, url
    assert client.post("/admin/tokens/99999999999999999999/revoke").status_code == 404
