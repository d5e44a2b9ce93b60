"""The figures of the summary pages, rendered once per data state (cache.py).

Everything here depends only on the agency, the period, the table sort and
page, and the language, never on who is looking: access is checked in the
view before, and the user-specific parts are rendered live around these.
"""

from dataclasses import dataclass

from flask import current_app, render_template, request
from markupsafe import Markup

from survey import periods
from survey.dashboards import cache, head, overview
from survey.dashboards.comments import CommentFilter, comments_query
from survey.dashboards.selection import Selection
from survey.models import Agency
from survey.pagination import count_rows, page_of, requested_page
from survey.questionnaire_v1 import CRITERIA

PROCEDURES_PER_PAGE = 25


@dataclass(frozen=True)
class AgencyFigures:
    headline: Markup
    sections: Markup


def _page_slice(rows: list, per_page: int, page: int) -> dict:
    pages = max(1, -(-len(rows) // per_page))
    page = min(max(page, 1), pages)
    return {
        "items": rows[(page - 1) * per_page : page * per_page],
        "page": page,
        "pages": pages,
        "total": len(rows),
    }


def agency_figures(agency: Agency, ids: list[int], chosen: Selection) -> AgencyFigures:
    sort = request.args.get("sort", "rate")
    descending = request.args.get("desc", "0") == "1"
    page = request.args.get("ppage", 1, type=int)
    params = (agency.id, sort, descending, page)
    return cache.fragment(
        "agency", params, chosen.period, lambda: _render_agency(agency, ids, chosen, sort, descending, page)
    )


def _render_agency(agency, ids, chosen: Selection, sort: str, descending: bool, page: int) -> AgencyFigures:
    period = chosen.period
    numbers = head.headline(agency, ids, period)
    procedures = head.procedure_rows(ids, period, numbers["target"], sort, descending)
    context = {
        "agency": agency,
        "chosen_args": chosen.args(),
        "previous_period": periods.previous(period),
        "year_ago_period": periods.year_before(period),
        "procedures": _page_slice(procedures, PROCEDURES_PER_PAGE, page),
        "sort": sort,
        "descending": descending,
        "counters": head.counter_rows(ids, period),
        "trend": head.trend_rows(ids, period),
        "children": head.child_rows(agency, period),
        "low_sample": current_app.config["LOW_SAMPLE"],
        **numbers,
    }
    return AgencyFigures(
        Markup(render_template("dashboards/_agency_headline.html", **context)),  # noqa: S704 - autoescaped
        Markup(render_template("dashboards/_agency_sections.html", **context)),  # noqa: S704 - autoescaped
    )


def comments_page(
    agency: Agency, ids: list[int], period: periods.Period, chosen: CommentFilter, per_page: int
):
    """One page of comments, newest first; the total (for the pager) is counted
    once per data state, like the figures: it follows the volume, the page does not."""
    stmt = comments_query(ids, period, chosen)
    params = (agency.id, tuple(sorted(chosen.args().items())))
    total = cache.fragment("comment-count", params, period, lambda: count_rows(stmt))
    return page_of(stmt, requested_page(total, per_page), per_page, total)


def overview_body(node: Agency, units: list[Agency], chosen: Selection, sort: str) -> Markup:
    return cache.fragment(
        "overview", (node.id, sort), chosen.period, lambda: _render_overview(node, units, chosen, sort)
    )


def _render_overview(node: Agency, units: list[Agency], chosen: Selection, sort: str) -> Markup:
    from survey.agencies import subtree_ids

    rows = overview.sort_units(overview.unit_rows(units, chosen.period), sort)
    summary = head.headline(node, subtree_ids(node.id), chosen.period, criteria=False)
    html = render_template(
        "dashboards/_overview_body.html",
        node=node,
        chosen_args=chosen.args(),
        rows=rows,
        sort=sort,
        direct=overview.direct_figures(node, chosen.period),
        criteria_columns=[(code, vi, en) for code, vi, en, *_ in CRITERIA if code in overview.HEAT_CRITERIA],
        gap_threshold=current_app.config["GAP_THRESHOLD"],
        low_sample=current_app.config["LOW_SAMPLE"],
        **summary,
    )
    return Markup(html)  # noqa: S704 - an autoescaped template
