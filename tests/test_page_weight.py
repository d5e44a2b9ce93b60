"""First visit of the survey page: HTML + CSS + images, as sent gzip-compressed
over HTTP (status line and headers included), must fit in 14 KB — the first
round trip of a TCP connection (initial window 10 × 1460 B)."""

import csv
import gzip
import os
import re

from survey import PROJECT_ROOT
from survey.extensions import db
from survey.models import AgencyProcedure, Procedure
from survey.points import create_point

BUDGET = 14_000  # bytes on the wire, headers included
GZIP = {"Accept-Encoding": "gzip, deflate", "Accept-Language": "vi-VN,vi;q=0.9"}


def _wire_size(response) -> int:
    head = f"HTTP/1.1 {response.status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in response.headers.items())
    return len(head.encode()) + 2 + len(response.get_data())


def _first_visit(client, path: str) -> tuple[int, list[str], str]:
    page = client.get(path, headers=GZIP)
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.get_data()).decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) + re.findall(
        r'<img [^>]*src="([^"]+)"', html
    )
    total = _wire_size(page)
    for asset in assets:
        fetched = client.get(asset, headers=GZIP)
        assert fetched.status_code == 200 and fetched.headers["Content-Encoding"] == "gzip"
        total += _wire_size(fetched)
        fetched.close()
    return total, assets, html


def _all_real_procedures(agency) -> int:
    """Every procedure of the data file on one agency: a longer list than any real one."""
    with open(os.path.join(PROJECT_ROOT, "survey", "data", "procedures.csv"), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    known = {p.code: p for p in db.session.scalars(db.select(Procedure))}
    for row in rows:
        procedure = known.get(row["code"])
        if procedure is None:
            procedure = known[row["code"]] = Procedure(code=row["code"], name=row["name"], field=row["field"])
            db.session.add(procedure)
            db.session.flush()
            db.session.add(AgencyProcedure(agency_id=agency.id, procedure_id=procedure.id))
    db.session.commit()
    return len(known)


def test_procedure_point_first_visit_fits_in_14_kb(client, province):
    total, assets, html = _first_visit(client, f"/s/{province.point_a.code}")
    assert assets == ["/static/survey.css"]  # no fonts, scripts or images from anywhere
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert total <= BUDGET, f"{total} bytes"


def test_agency_point_with_the_longest_pick_list_fits_in_14_kb(client, province):
    point = create_point(province.commune_b)
    count = _all_real_procedures(province.commune_b)
    total, _, html = _first_visit(client, f"/s/{point.code}")
    assert html.count("<option") == count + 2  # the prompt and "Khác / Không rõ"
    assert total <= BUDGET, f"{total} bytes with {count} procedures"
