"""The CLI contracts: names and outputs other tools script against."""

import csv
import io

import pytest

from survey.extensions import db
from survey.models import Agency, AgencyProcedure, Procedure, SurveyPoint, User


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


AGENCIES = """code,name,kind,parent_code
P1,Ủy ban nhân dân tỉnh Mẫu,provincial_pc,
P1-H1,Ủy ban nhân dân huyện Cũ,district_pc,P1
P1-H1-X1,Ủy ban nhân dân xã Một,commune_pc,P1-H1
"""


def test_import_agencies_three_level_tree(runner, tmp_path):
    result = runner.invoke(args=["import", "agencies", write(tmp_path, "a.csv", AGENCIES)])
    assert result.exit_code == 0, result.output
    commune = db.session.scalar(db.select(Agency).where(Agency.code == "P1-H1-X1"))
    assert commune.depth == 2 and commune.parent.parent.code == "P1"


def test_import_agencies_children_before_parents(runner, tmp_path):
    lines = AGENCIES.splitlines()
    reordered = "\n".join([lines[0], lines[3], lines[2], lines[1]]) + "\n"
    result = runner.invoke(args=["import", "agencies", write(tmp_path, "a.csv", reordered)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(db.func.count(Agency.id))) == 3


def test_import_agencies_one_bad_row_imports_nothing(runner, tmp_path):
    bad = AGENCIES + "P1-X9,Xã Lỗi,not_a_kind,P1\nP1-X10,Xã Tốt,commune_pc,P1\n"
    result = runner.invoke(args=["import", "agencies", write(tmp_path, "a.csv", bad)])
    assert result.exit_code != 0
    assert "Dòng 5:" in result.output and "not_a_kind" in result.output
    assert db.session.scalar(db.select(db.func.count(Agency.id))) == 0


def test_import_procedures_bad_code_imports_nothing(runner, tmp_path):
    runner.invoke(args=["import", "agencies", write(tmp_path, "a.csv", AGENCIES)])
    text = (
        "code,name,field,agency_code\n"
        "1.001193,Thủ tục đăng ký khai sinh,Hộ tịch,P1-H1-X1\n"
        "12345,Thủ tục bịa,Hộ tịch,P1-H1-X1\n"
    )
    result = runner.invoke(args=["import", "procedures", write(tmp_path, "p.csv", text)])
    assert result.exit_code != 0
    assert "Dòng 3:" in result.output and "12345" in result.output
    assert db.session.scalar(db.select(db.func.count(Procedure.id))) == 0


def test_import_procedures_links_agency(runner, tmp_path):
    runner.invoke(args=["import", "agencies", write(tmp_path, "a.csv", AGENCIES)])
    text = "code,name,field,agency_code\n1.001193,Thủ tục đăng ký khai sinh,Hộ tịch,P1-H1-X1\n"
    result = runner.invoke(args=["import", "procedures", write(tmp_path, "p.csv", text)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(AgencyProcedure)) == 1


def test_import_missing_column_is_reported(runner, tmp_path):
    result = runner.invoke(args=["import", "agencies", write(tmp_path, "a.csv", "code,name\nA,B\n")])
    assert result.exit_code != 0
    assert "Thiếu cột: kind, parent_code" in result.output


def test_survey_points_create_and_export(runner, province):
    result = runner.invoke(
        args=[
            "survey-points",
            "create",
            "--agency",
            "T01-XB",
            "--procedure",
            "1.000894",
            "--counter",
            "Quầy 3",
        ]
    )
    assert result.exit_code == 0, result.output
    code, url = result.output.strip().split("\t")
    assert url == f"https://hailong.example.vn/s/{code}"
    exported = runner.invoke(args=["survey-points", "export"])
    rows = list(csv.DictReader(io.StringIO(exported.output)))
    assert {"code", "url", "agency_code", "agency_name", "procedure_code", "procedure_name", "status"} <= set(
        rows[0]
    )
    mine = next(r for r in rows if r["code"] == code)
    assert mine["agency_name"] == "Ủy ban nhân dân phường Đông Kinh"
    assert mine["procedure_code"] == "1.000894" and mine["status"] == "active"
    assert len(rows) == db.session.scalar(db.select(db.func.count(SurveyPoint.id)))


def test_create_user_with_password_stdin(runner, province):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Head@Xa.vn",
            "--role",
            "head",
            "--agency",
            "T01-XA",
            "--password-stdin",
        ],
        input="mot-mat-khau-dai\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User))
    assert user.email == "head@xa.vn" and user.check_password("mot-mat-khau-dai")


def test_create_user_head_requires_agency(runner):
    result = runner.invoke(
        args=["create-user", "--email", "a@b.vn", "--role", "head", "--password-stdin"],
        input="mot-mat-khau-dai\n",
    )
    assert result.exit_code != 0
    assert "--agency" in result.output


@pytest.mark.parametrize(
    ("bad_row", "said"),
    [
        ("1.001194,Thủ tục " + "a" * 140_000 + ",Hộ tịch,", "Dòng 3: một ô dài quá 131.072 ký tự"),
        ("1.001194,Tên\x07có\x1bđiều khiển,Hộ tịch,", "Dòng 3: cột name có ký tự điều khiển"),
        ("1.001194,Tên\x00rỗng,Hộ tịch,", "Dòng 3: cột name có ký tự điều khiển"),
        ('1.001194,"Tên chưa đóng ngoặc,Hộ tịch,\n', "dấu ngoặc kép"),
    ],
)
def test_a_file_that_cannot_be_read_whole_imports_nothing_and_names_the_line(runner, tmp_path, bad_row, said):
    """A cell too long for the CSV reader, a control character (PostgreSQL refuses NUL) or an
    unclosed quote: the line and the reason, no traceback, and not even the good rows."""
    text = "code,name,field,agency_code\n1.001193,Thủ tục đăng ký khai sinh,Hộ tịch,\n" + bad_row + "\n"
    result = runner.invoke(args=["import", "procedures", write(tmp_path, "p.csv", text)])
    assert result.exit_code != 0 and said in result.output, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not an uncaught error
    assert db.session.scalar(db.select(db.func.count(Procedure.id))) == 0
