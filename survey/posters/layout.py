"""Drawing posters with fpdf2 (pure: content in, PDF pages out; no Flask).

One vertical flow — agency band, procedure, QR, call to action, English
line, typed URL, hotline — drawn into a box with a Style. A4, A5, the two
faces of the table tent and the cards of the sheet layout are the same flow
at different sizes, so every layout carries the same information.
"""

import io
import os
import unicodedata
from dataclasses import dataclass

from fpdf import FPDF

from survey import qr

FONT = "DejaVu"
FONT_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "static", "fonts")
PT = 0.3528  # millimetres per typographic point
LINE = 1.22  # line height as a multiple of the font size
BLUE = (11, 79, 138)

CALL_TO_ACTION = "Mời Ông/Bà quét mã QR để đánh giá mức độ hài lòng"
CALL_DETAIL = "Không cần ghi họ tên · khoảng 1 phút"
ENGLISH_LINE = "Scan the QR code to rate our service (about one minute, anonymous)"
TYPE_PREFIX = "Hoặc gõ địa chỉ / Or type:"
HOTLINE_PREFIX = "Đường dây nóng / Hotline:"
AGENCY_LEVEL = "Tất cả thủ tục tại đơn vị"


@dataclass(frozen=True)
class PosterContent:
    """What one poster says; text is untrusted (names come from imports)."""

    agency_name: str
    procedure_name: str | None
    procedure_code: str | None
    counter: str | None
    qr_text: str
    short_url: str
    hotline: str = ""
    logo: bytes | None = None


@dataclass(frozen=True)
class Style:
    band: float  # height of the blue agency band, mm
    agency_pt: float
    procedure_pt: float
    qr_mm: float  # QR side including its quiet zone
    cta_pt: float
    small_pt: float
    min_pt: float = 5.5
    procedure_lines: int = 3


# Official procedure names run to 900 characters: the name shrinks to fit its
# lines, then the QR gives up space (down to QR_FLOOR of its size), and only
# then is the name cut with "…" (the code below it is always printed whole).
A4 = Style(band=40, agency_pt=20, procedure_pt=16, qr_mm=125, cta_pt=17, small_pt=12.5, procedure_lines=8)
A5 = Style(band=28, agency_pt=14, procedure_pt=11.5, qr_mm=88, cta_pt=12, small_pt=9, procedure_lines=6)
TENT = Style(band=19, agency_pt=12, procedure_pt=10, qr_mm=70, cta_pt=11.5, small_pt=8, procedure_lines=3)
CARD = Style(
    band=12, agency_pt=8, procedure_pt=7, qr_mm=48, cta_pt=7.5, small_pt=6, min_pt=4.5, procedure_lines=3
)
QR_FLOOR = 0.75


def new_document() -> FPDF:
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.add_font(FONT, "", os.path.join(FONT_DIR, "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", os.path.join(FONT_DIR, "DejaVuSans-Bold.ttf"))
    pdf.set_title("Hài Lòng QR")
    pdf.set_creator("Hài Lòng QR")
    return pdf


def clean(text: str | None) -> str:
    """NFC (one code point per Vietnamese letter, as DejaVu has them) on one line."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def fit_lines(pdf: FPDF, text: str, width: float, size: float, style: Style, max_lines: int, bold=False):
    """Shrink the font until the text fits in max_lines; cut with "…" at the minimum size."""
    weight = "B" if bold else ""
    while True:
        pdf.set_font(FONT, weight, size)
        lines = pdf.multi_cell(width, size * PT * LINE, text, dry_run=True, output="LINES")
        if len(lines) <= max_lines or size <= style.min_pt:
            break
        size = max(style.min_pt, size - 0.5)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        while lines[-1] and pdf.get_string_width(lines[-1] + "…") > width:
            lines[-1] = lines[-1][:-1]
        lines[-1] = lines[-1].rstrip() + "…"
    return size, lines


def write_lines(pdf: FPDF, lines, x: float, y: float, width: float, size: float) -> float:
    """Centred lines from y; returns the y below them."""
    height = size * PT * LINE
    for line in lines:
        pdf.set_xy(x, y)
        pdf.cell(width, height, line, align="C")
        y += height
    return y


def draw_qr(pdf: FPDF, text: str, x: float, y: float, side: float, logo: bytes | None = None) -> None:
    """Dark modules as filled rectangles (one per horizontal run): vector, sharp
    at any print size. `side` includes the 4-module quiet zone."""
    matrix = qr.modules(text, with_logo=logo is not None)
    unit = side / (len(matrix) + 2 * qr.QUIET_ZONE)
    origin_x, origin_y = x + qr.QUIET_ZONE * unit, y + qr.QUIET_ZONE * unit
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, side, side, style="F")
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        top = origin_y + row_index * unit
        for start, length in _runs(row):
            # A hair of overlap so rasterisers leave no seams between rows.
            pdf.rect(origin_x + start * unit, top, length * unit, unit * 1.02, style="F")
    if logo is not None:
        offset, box = qr.logo_box(len(matrix), unit)
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(x + offset, y + offset, box, box, style="F")
        pad = unit / 2
        pdf.image(
            io.BytesIO(logo),
            x + offset + pad,
            y + offset + pad,
            box - 2 * pad,
            box - 2 * pad,
            keep_aspect_ratio=True,
        )


def _runs(row) -> list[tuple[int, int]]:
    runs, start = [], None
    for index, dark in enumerate([*row, 0]):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append((start, index - start))
            start = None
    return runs


def draw_poster(
    pdf: FPDF, content: PosterContent, x: float, y: float, w: float, h: float, style: Style
) -> None:
    """The flow, top to bottom, centred in the box (x, y, w, h)."""
    margin = w * 0.06
    inner = w - 2 * margin
    pdf.set_fill_color(*BLUE)
    pdf.rect(x, y, w, style.band, style="F")
    pdf.set_text_color(255, 255, 255)
    size, lines = fit_lines(pdf, clean(content.agency_name), inner, style.agency_pt, style, 2, bold=True)
    block = len(lines) * size * PT * LINE
    write_lines(pdf, lines, x + margin, y + (style.band - block) / 2, inner, size)
    pdf.set_text_color(0, 0, 0)
    cursor = _procedure(pdf, content, x + margin, y + style.band + style.band * 0.15, inner, style)
    free = (y + h) - cursor - _footer_height(content, style)
    side = max(style.qr_mm * QR_FLOOR, min(style.qr_mm, free))
    qr_top = cursor + max(0.0, (free - side) / 2)
    draw_qr(pdf, content.qr_text, x + (w - side) / 2, qr_top, side, content.logo)
    _footer(pdf, content, x + margin, qr_top + side, inner, style)


def _procedure(pdf: FPDF, content: PosterContent, x: float, y: float, width: float, style: Style) -> float:
    name = clean(content.procedure_name) or AGENCY_LEVEL
    size, lines = fit_lines(pdf, name, width, style.procedure_pt, style, style.procedure_lines, bold=True)
    y = write_lines(pdf, lines, x, y, width, size)
    details = []
    if content.procedure_code:
        details.append(f"Mã thủ tục: {clean(content.procedure_code)}")
    if content.counter:
        details.append(clean(content.counter))
    if details:
        pdf.set_font(FONT, "", style.small_pt)
        y = write_lines(pdf, [" · ".join(details)], x, y, width, style.small_pt)
    return y


def _footer_height(content: PosterContent, style: Style) -> float:
    lines = 2 * style.cta_pt + (4 if content.hotline else 3) * style.small_pt
    return lines * PT * LINE + style.small_pt * PT


def _footer(pdf: FPDF, content: PosterContent, x: float, y: float, width: float, style: Style) -> None:
    size, lines = fit_lines(pdf, CALL_TO_ACTION, width, style.cta_pt, style, 2, bold=True)
    pdf.set_text_color(*BLUE)
    y = write_lines(pdf, lines, x, y, width, size)
    pdf.set_text_color(0, 0, 0)
    # The typed URL may take two lines but is never cut: people copy it letter by letter.
    rows = (
        (CALL_DETAIL, False, 1),
        (ENGLISH_LINE, False, 1),
        (f"{TYPE_PREFIX} {content.short_url}", True, 2),
    )
    for text, bold, max_lines in rows:
        size, lines = fit_lines(pdf, text, width, style.small_pt, style, max_lines, bold=bold)
        y = write_lines(pdf, lines, x, y, width, size)
    if content.hotline:
        size, lines = fit_lines(
            pdf, f"{HOTLINE_PREFIX} {clean(content.hotline)}", width, style.small_pt, style, 1
        )
        write_lines(pdf, lines, x, y, width, size)
