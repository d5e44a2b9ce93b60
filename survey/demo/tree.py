"""Real agencies of one province (vietnam-provinces, post-2025 units) and the
real procedure codes in survey/data/procedures.csv. Nothing invented."""

import csv

from vietnam_provinces import Province, Ward

from survey.agencies import create_agency
from survey.extensions import db
from survey.kinds import DATA
from survey.models import Agency, AgencyProcedure, Procedure

PROVINCE_CODE = 20  # Lạng Sơn: 61 xã + 4 phường
ROOT_CODE = "LS"

# (code suffix, kind, name, parent suffix or None for the root)
PROVINCIAL_UNITS = [
    ("TTPVHCC", "provincial_pasc", "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn", None),
    ("SNV", "dept_home_affairs", "Sở Nội vụ tỉnh Lạng Sơn", None),
    ("STP", "dept_justice", "Sở Tư pháp tỉnh Lạng Sơn", None),
    ("TGPL", "legal_aid_centre", "Trung tâm Trợ giúp pháp lý nhà nước tỉnh Lạng Sơn", "STP"),
    ("STC", "dept_finance", "Sở Tài chính tỉnh Lạng Sơn", None),
    ("SCT", "dept_industry_trade", "Sở Công Thương tỉnh Lạng Sơn", None),
    ("SNNMT", "dept_agri_env", "Sở Nông nghiệp và Môi trường tỉnh Lạng Sơn", None),
    ("VPDKDD", "land_registration_office", "Văn phòng Đăng ký đất đai tỉnh Lạng Sơn", "SNNMT"),
    ("SXD", "dept_construction", "Sở Xây dựng tỉnh Lạng Sơn", None),
    ("SKHCN", "dept_science_tech", "Sở Khoa học và Công nghệ tỉnh Lạng Sơn", None),
    ("SVHTTDL", "dept_culture_sports_tourism", "Sở Văn hóa, Thể thao và Du lịch tỉnh Lạng Sơn", None),
    ("SGDDT", "dept_education", "Sở Giáo dục và Đào tạo tỉnh Lạng Sơn", None),
    ("SYT", "dept_health", "Sở Y tế tỉnh Lạng Sơn", None),
    ("CAT", "provincial_police", "Công an tỉnh Lạng Sơn", None),
]


def commune_name(ward_name: str) -> str:
    """ "Xã Thất Khê" -> "Ủy ban nhân dân xã Thất Khê"."""
    return "Ủy ban nhân dân " + ward_name[0].lower() + ward_name[1:]


def build_agencies() -> dict[str, list[Agency]]:
    """Create the tree; returns agencies grouped by kind."""
    province = Province.from_code(PROVINCE_CODE)
    root = create_agency(ROOT_CODE, f"Ủy ban nhân dân tỉnh {province.name}", "provincial_pc", is_demo=True)
    by_suffix = {None: root}
    by_kind: dict[str, list[Agency]] = {"provincial_pc": [root]}
    for suffix, kind, name, parent in PROVINCIAL_UNITS:
        agency = create_agency(f"{ROOT_CODE}-{suffix}", name, kind, by_suffix[parent], is_demo=True)
        by_suffix[suffix] = agency
        by_kind.setdefault(kind, []).append(agency)
    for ward in sorted(Ward.iter_by_province(province.code), key=lambda w: w.name):
        code = f"{ROOT_CODE}-X{int(ward.code):05d}"
        agency = create_agency(code, commune_name(ward.name), "commune_pc", root, is_demo=True)
        by_kind.setdefault("commune_pc", []).append(agency)
        police = create_agency(
            f"{ROOT_CODE}-CA{int(ward.code):05d}",
            "Công an " + ward.name[0].lower() + ward.name[1:],
            "commune_police",
            by_suffix["CAT"],
            is_demo=True,
        )
        by_kind.setdefault("commune_police", []).append(police)
    return by_kind


def load_procedures(by_kind: dict[str, list[Agency]]) -> dict[str, Procedure]:
    """Every procedure in the data file, handled by every agency of its kind."""
    procedures: dict[str, Procedure] = {}
    links = set()
    with open(DATA / "procedures.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            procedure = procedures.get(row["code"])
            if procedure is None:
                procedure = Procedure(code=row["code"], name=row["name"], field=row["field"])
                db.session.add(procedure)
                procedures[row["code"]] = procedure
            for agency in by_kind.get(row["agency_kind"], []):
                links.add((agency, procedure))
    db.session.flush()
    for agency, procedure in links:
        db.session.add(AgencyProcedure(agency_id=agency.id, procedure_id=procedure.id))
    return procedures
