"""Agency kinds: the current list (survey/data/agency_kinds.csv, with its
sources in docs/data-sources.md) plus older kinds so pre-2025 three-level
trees (province → district → commune) still fit."""

import csv
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

LEGACY_KINDS = {
    "district_pc": (
        "Ủy ban nhân dân huyện, quận, thị xã (trước 01/7/2025)",
        "District People's Committee (before 1 July 2025)",
    ),
    "district_one_stop": (
        "Bộ phận Một cửa cấp huyện (trước 01/7/2025)",
        "District one-stop counter (before 1 July 2025)",
    ),
    "ministry_unit": ("Đơn vị thuộc Bộ, ngành trung ương", "Ministry unit"),
    "vertical_branch": ("Cơ quan ngành dọc", "Vertical-agency branch"),
}


@lru_cache(maxsize=1)
def agency_kinds() -> dict[str, tuple[str, str]]:
    """kind -> (Vietnamese name, English name)."""
    with open(DATA / "agency_kinds.csv", encoding="utf-8") as handle:
        kinds = {row["kind"]: (row["name_vi"], row["name_en"]) for row in csv.DictReader(handle)}
    kinds.update(LEGACY_KINDS)
    return kinds


def is_known(kind: str) -> bool:
    return kind in agency_kinds()
