"""Which posters to print and the PDF that holds them."""

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from survey.agencies import subtree_ids
from survey.extensions import db
from survey.logos import logo_for
from survey.models import Agency, Procedure, SurveyPoint
from survey.models.survey_point import STATUS_ACTIVE
from survey.points import qr_url, short_url
from survey.posters.layout import PosterContent, new_document
from survey.posters.pages import LAYOUTS, render


def points_for(agency: Agency, subtree: bool = False) -> list[SurveyPoint]:
    """Active points of the agency (or its whole subtree): retired codes get no new poster."""
    ids = subtree_ids(agency.id) if subtree else [agency.id]
    stmt = (
        select(SurveyPoint)
        .join(Agency, Agency.id == SurveyPoint.agency_id)
        .outerjoin(Procedure, Procedure.id == SurveyPoint.procedure_id)
        .options(joinedload(SurveyPoint.agency), joinedload(SurveyPoint.procedure))
        .where(SurveyPoint.agency_id.in_(ids), SurveyPoint.status == STATUS_ACTIVE)
        .order_by(Agency.depth, Agency.name, Procedure.code.nulls_first(), SurveyPoint.id)
    )
    return list(db.session.scalars(stmt))


def content_for(point: SurveyPoint, hotline: str = "", logo: bytes | None = None) -> PosterContent:
    procedure = point.procedure
    return PosterContent(
        agency_name=point.agency.name,
        procedure_name=procedure.name if procedure else None,
        procedure_code=procedure.code if procedure else None,
        counter=point.counter,
        qr_text=qr_url(point.code),
        short_url=short_url(point.code),
        hotline=hotline,
        logo=logo,
    )


def _contents(points: list[SurveyPoint], hotline: str, with_logo: bool):
    logos: dict[int, bytes | None] = {}
    for point in points:
        if with_logo and point.agency_id not in logos:
            logos[point.agency_id] = logo_for(point.agency)
        yield content_for(point, hotline, logos.get(point.agency_id))


def build_pdf(
    points: list[SurveyPoint],
    layout: str = "a4",
    hotline: str = "",
    with_logo: bool = False,
    progress: Callable[[int], None] = lambda _n: None,
) -> bytes:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    pdf = new_document()
    render(pdf, layout, _contents(points, hotline, with_logo), progress)
    return bytes(pdf.output())
