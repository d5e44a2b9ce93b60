"""Every dashboard table as a downloadable Table (same numbers as on screen)."""

from flask_babel import gettext as _

from survey.exports.tables import Table
from survey.i18n import format_date
from survey.masking import mask_numbers


def _pct(value: float | None):
    return round(value * 100, 1) if value is not None else None


def _rate_cells(rate) -> list:
    low, high = rate.ci95 or (None, None)
    return [rate.n, _pct(rate.value), _pct(low), _pct(high)]


def _rate_headers() -> list[str]:
    return [
        _("Số phiếu được tính"),
        _("Tỷ lệ hài lòng (%)"),
        _("Cận dưới KTC 95 (%)"),
        _("Cận trên KTC 95 (%)"),
    ]


def criteria_table(summary) -> Table:
    headers = [_("Tiêu chí"), *_rate_headers(), _("Điểm trung bình")]
    headers += [_("Số trả lời %(v)d", v=v) for v in range(1, 6)] + [_("Không áp dụng")]
    rows = [
        [c.name_vi, *_rate_cells(c.rate), round(c.mean, 2) if c.mean is not None else None]
        + [c.counts[v] for v in range(1, 6)]
        + [c.not_applicable]
        for c in summary.criteria
    ]
    return Table("tieu-chi", _("Tiêu chí"), headers, rows)


def procedures_table(rows) -> Table:
    headers = [_("Mã thủ tục"), _("Thủ tục"), _("Số phiếu nhận được"), *_rate_headers()]
    headers += [
        _("Kỳ trước (%)"),
        _("Thay đổi (điểm %)"),
        _("Dưới mục tiêu"),
        _("Đang giảm"),
        _("Ít dữ liệu"),
    ]
    out = []
    for r in rows:
        name = r.procedure.name if r.procedure else _("Không rõ thủ tục")
        flags = [_("có") if flag else "" for flag in (r.below_target, r.falling, r.too_few)]
        out.append(
            [r.procedure.code if r.procedure else "", name, r.current.responses, *_rate_cells(r.current.rate)]
            + [_pct(r.previous.rate.value), _pct(r.change.difference), *flags]
        )
    return Table("thu-tuc", _("Thủ tục"), headers, out)


def counters_table(rows) -> Table:
    headers = [_("Quầy"), _("Số phiếu nhận được"), *_rate_headers()]
    return Table(
        "quay",
        _("Quầy"),
        headers,
        [[r.label, r.current.responses, *_rate_cells(r.current.rate)] for r in rows],
    )


def trend_table(rows) -> Table:
    headers = [_("Tháng"), _("Số phiếu nhận được"), *_rate_headers()]
    out = [[f"{m.month:02d}/{m.year}", f.responses, *_rate_cells(f.rate)] for m, f in rows]
    return Table("xu-huong", _("Xu hướng"), headers, out)


def children_table(rows) -> Table:
    headers = [_("Mã đơn vị"), _("Đơn vị"), _("Số phiếu nhận được"), *_rate_headers()]
    out = [[a.code, a.name, f.responses, *_rate_cells(f.rate)] for a, f in rows]
    return Table("don-vi", _("Đơn vị trực thuộc"), headers, out)


def comments_table(responses, procedure_names: dict) -> Table:
    headers = [_("Thời gian"), _("Thủ tục"), _("Mức hài lòng chung"), _("Góp ý")]
    out = []
    for r in responses:
        procedure = procedure_names.get(r.procedure_id)
        name = procedure.name if procedure else ""
        out.append([format_date(r.submitted_at), name, r.overall, mask_numbers(r.comment)])
    return Table("gop-y", _("Góp ý"), headers, out)


def units_table(rows) -> Table:
    """Every rate with the number of answers it rests on, as on the page."""
    headers = [_("Hạng"), _("Mã đơn vị"), _("Đơn vị"), _("Số phiếu nhận được"), *_rate_headers()]
    headers += [_("Kỳ trước (%)"), _("Số phiếu kỳ trước"), _("Thay đổi (điểm %)")]
    headers += [_("Tự thu thập (%)"), _("Số phiếu tự thu thập"), _("Độc lập (%)"), _("Số phiếu độc lập")]
    headers += [_("Chênh lệch (điểm %)"), _("Cảnh báo chênh lệch"), _("Phiếu / 100 hồ sơ")]
    out = [
        [r.rank, r.agency.code, r.agency.name, r.current.responses, *_rate_cells(r.current.rate)]
        + [_pct(r.previous.rate.value), r.previous.rate.n, _pct(r.change.difference)]
        + [_pct(r.own.value), r.own.n, _pct(r.independent.value), r.independent.n]
        + [
            _pct(r.gap.difference),
            _("có") if r.gap.flagged else "",
            round(r.per_hundred, 1) if r.per_hundred else None,
        ]
        for r in rows
    ]
    return Table("don-vi", _("Đơn vị"), headers, out)


def heatmap_table(rows, columns) -> Table:
    """Each criterion's rate beside the number of answers it rests on, as each cell of the page shows."""
    headers = [_("Đơn vị")]
    for _code, vi, _en in columns:
        headers += [vi, _("%(criterion)s: số phiếu", criterion=vi)]
    out = []
    for r in rows:
        cells = []
        for code, *_names in columns:
            rate = r.criteria[code].rate if code in (r.criteria or {}) else None
            cells += [_pct(rate.value), rate.n] if rate is not None else [None, None]
        out.append([r.agency.name, *cells])
    return Table("ban-do-nhiet", _("Bản đồ nhiệt"), headers, out)
