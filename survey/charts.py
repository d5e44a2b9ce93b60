"""Charts as PNG bytes: matplotlib Agg with the object API, never pyplot.

PNG rather than SVG: matplotlib's SVG carries inline style attributes, which
a strict Content-Security-Policy on the SVG response would block.

Pure functions of their (hashable) inputs, cached in memory: the same data
draws the same bytes. Every chart on a page also has alt text and its data
as a table for screen readers; labels are passed in already translated.
"""

import io
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

BLUE, RED, GREY = "#1f5fa8", "#b3261e", "#777777"
SCALE_COLOURS = ("#b3261e", "#e07b39", "#c9c9c9", "#7fb77e", "#2e7d32")


def _percent_formatter(decimal_comma: bool) -> FuncFormatter:
    def fmt(value, _pos):
        text = f"{value * 100:.0f} %"
        return text.replace(".", ",") if decimal_comma else text

    return FuncFormatter(fmt)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


@lru_cache(maxsize=256)
def trend_png(
    labels: tuple[str, ...],
    rates: tuple[float | None, ...],
    lows: tuple[float | None, ...],
    highs: tuple[float | None, ...],
    target: float,
    texts: tuple[str, str, str],  # y-axis label, legend: rate, legend: target
    decimal_comma: bool = True,
) -> bytes:
    """Monthly rate with its 95 % interval as error bars and the target line;
    months below the minimum sample are left out (gaps), never drawn as 0."""
    figure = Figure(figsize=(8, 3.2), dpi=96)
    axes = figure.add_subplot()
    xs = [i for i, r in enumerate(rates) if r is not None]
    ys = [rates[i] for i in xs]
    errors = [[ys[k] - lows[i] for k, i in enumerate(xs)], [highs[i] - ys[k] for k, i in enumerate(xs)]]
    line = [r if r is not None else float("nan") for r in rates]
    axes.plot(range(len(rates)), line, "-", color=BLUE, linewidth=1.5)
    axes.errorbar(xs, ys, yerr=errors, fmt="o", color=BLUE, capsize=3, label=texts[1])
    axes.axhline(target, color=RED, linestyle="--", linewidth=1, label=texts[2])
    axes.set_xticks(range(len(labels)), labels, rotation=0, fontsize=8)
    axes.set_xlim(-0.5, len(labels) - 0.5)
    axes.set_ylim(max(0.0, min([*(lows[i] for i in xs), target]) - 0.05) if xs else 0.0, 1.0)
    axes.yaxis.set_major_formatter(_percent_formatter(decimal_comma))
    axes.set_ylabel(texts[0])
    axes.grid(axis="y", color="#dddddd")
    axes.legend(loc="lower left", fontsize=8)
    return _png(figure)


@lru_cache(maxsize=256)
def distribution_png(
    names: tuple[str, ...],
    shares: tuple[tuple[float, float, float, float, float], ...],
    legend: tuple[str, str, str, str, str],
    decimal_comma: bool = True,
) -> bytes:
    """Horizontal 100 % stacked bars: the share of each answer 1-5 per criterion."""
    figure = Figure(figsize=(8, 0.45 * len(names) + 1.2), dpi=96)
    axes = figure.add_subplot()
    lefts = [0.0] * len(names)
    for value in range(5):
        widths = [row[value] for row in shares]
        axes.barh(range(len(names)), widths, left=lefts, color=SCALE_COLOURS[value], label=legend[value])
        lefts = [left + width for left, width in zip(lefts, widths, strict=True)]
    axes.set_yticks(range(len(names)), names, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(_percent_formatter(decimal_comma))
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=5, fontsize=7, frameon=False)
    return _png(figure)
