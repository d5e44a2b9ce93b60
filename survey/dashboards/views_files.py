"""Downloads (CSV, XLSX) of every dashboard table, and the charts (PNG)."""

from flask import Response, abort, request
from flask_babel import gettext as _

from survey import charts
from survey.agencies import subtree_ids
from survey.auth.access import any_staff_role
from survey.dashboards import bp, head, overview, tables
from survey.dashboards.comments import comments_query
from survey.dashboards.selection import from_request
from survey.dashboards.views import _comment_filter, _procedure_names, _scoped_agency
from survey.exports.tables import FORMATS, render
from survey.extensions import db
from survey.i18n import current_locale
from survey.summaries import summarise

MAX_EXPORT_COMMENTS = 50_000


def _agency_table(name: str, agency, period):
    ids = subtree_ids(agency.id)
    builders = {
        "criteria": lambda: tables.criteria_table(summarise(ids, period)),
        "procedures": lambda: tables.procedures_table(
            head.procedure_rows(ids, period, head.target_of(agency), request.args.get("sort", "rate"), False)
        ),
        "counters": lambda: tables.counters_table(head.counter_rows(ids, period)),
        "trend": lambda: tables.trend_table(head.trend_rows(ids, period)),
        "children": lambda: tables.children_table(head.child_rows(agency, period)),
        "comments": lambda: tables.comments_table(
            db.session.scalars(comments_query(ids, period, _comment_filter(ids)).limit(MAX_EXPORT_COMMENTS)),
            _procedure_names(ids),
        ),
    }
    if name not in builders:
        abort(404)
    return builders[name]()


def _download(table, agency, period, fmt: str) -> Response:
    if fmt not in FORMATS:
        abort(404)
    content, mimetype = render(table, fmt)
    filename = f"{agency.code}-{table.name}-{period.value.replace('..', '_')}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, mimetype=mimetype, headers=headers)


@bp.get("/agencies/<code>/export/<name>.<fmt>")
@any_staff_role
def agency_export(code: str, name: str, fmt: str):
    agency = _scoped_agency(code)
    period = from_request().period
    return _download(_agency_table(name, agency, period), agency, period, fmt)


@bp.get("/overview/<code>/export/<name>.<fmt>")
@any_staff_role
def overview_export(code: str, name: str, fmt: str):
    node = _scoped_agency(code)
    period = from_request().period
    rows = overview.unit_rows(list(node.children), period)
    if name == "units":
        table = tables.units_table(overview.sort_units(rows, "rank"))
    elif name == "heatmap":
        columns = [(c, vi, en) for c, vi, en in _criteria_columns()]
        table = tables.heatmap_table(rows, columns)
    else:
        abort(404)
    return _download(table, node, period, fmt)


def _criteria_columns():
    from survey.questionnaire_v1 import CRITERIA

    return [(code, vi, en) for code, vi, en, *_x in CRITERIA if code in overview.HEAT_CRITERIA]


def _png(content: bytes) -> Response:
    response = Response(content, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.get("/agencies/<code>/charts/trend.png")
@any_staff_role
def trend_chart(code: str):
    agency = _scoped_agency(code)
    rows = head.trend_rows(subtree_ids(agency.id), from_request().period)
    rates = tuple(f.rate.value for _m, f in rows)
    lows = tuple(f.rate.ci95[0] if f.rate.ci95 else None for _m, f in rows)
    highs = tuple(f.rate.ci95[1] if f.rate.ci95 else None for _m, f in rows)
    labels = tuple(f"{m.month:02d}/{m.year % 100:02d}" for m, _f in rows)
    texts = (_("Tỷ lệ hài lòng"), _("Tỷ lệ hài lòng và khoảng tin cậy 95"), _("Mục tiêu chất lượng"))
    vietnamese = current_locale() == "vi"
    return _png(charts.trend_png(labels, rates, lows, highs, head.target_of(agency), texts, vietnamese))


@bp.get("/agencies/<code>/charts/criteria.png")
@any_staff_role
def criteria_chart(code: str):
    agency = _scoped_agency(code)
    summary = summarise(subtree_ids(agency.id), from_request().period)
    items = [c for c in summary.criteria if c.n]
    english = current_locale() == "en"
    names = tuple((c.name_en if english else c.name_vi) for c in items)
    shares = tuple(tuple(c.counts[v] / c.n for v in range(1, 6)) for c in items)
    legend = (
        _("Rất không hài lòng"),
        _("Không hài lòng"),
        _("Bình thường"),
        _("Hài lòng"),
        _("Rất hài lòng"),
    )
    return _png(charts.distribution_png(names, shares, legend, not english))
