"""Trend chart: monthly % satisfied with its 95 % interval and the target.

matplotlib's object API with the Agg canvas: no pyplot, no global state, safe
in a web worker.
"""

import io

from flask_babel import gettext as _
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from survey.evidence.figures import MonthRow


def trend_png(months: list[MonthRow], target: float) -> bytes | None:
    """PNG bytes, or None when no month has enough answers to show."""
    points = [(m.month, m.summary.rate) for m in months if m.summary.rate.enough]
    if not points:
        return None
    fig = Figure(figsize=(7.0, 2.8), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    labels = [f"{row.month:%m/%Y}" for row in months]
    index = {row.month: i for i, row in enumerate(months)}
    xs = [index[month] for month, _ in points]
    values = [rate.value * 100 for _, rate in points]
    low = [(rate.value - rate.ci95[0]) * 100 for _, rate in points]
    high = [(rate.ci95[1] - rate.value) * 100 for _, rate in points]
    ax.errorbar(xs, values, yerr=[low, high], fmt="o-", color="#1f4e79", ecolor="#7f9fbf", capsize=3, lw=1.4)
    ax.axhline(
        target * 100, color="#b03a2e", ls="--", lw=1, label=_("Mục tiêu %(n)s %%", n=f"{target * 100:.0f}")
    )
    ax.set_xticks(range(len(months)), labels, rotation=45, fontsize=7)
    ax.set_ylabel(_("%(sign)s hài lòng (KTC 95 %%)", sign="%"), fontsize=8)
    ax.set_ylim(max(0, min(v - lo for v, lo in zip(values, low, strict=True)) - 5), 100)
    ax.tick_params(axis="y", labelsize=7)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
