"""Page layouts: how posters are placed on paper (A4, A5, table tent, sheet)."""

from collections.abc import Callable, Iterable

from fpdf import FPDF

from survey.posters.layout import A4, A5, CARD, TENT, PosterContent, draw_poster

A4_W, A4_H = 210.0, 297.0
A5_W, A5_H = 148.0, 210.0
SHEET_COLUMNS, SHEET_ROWS, SHEET_MARGIN = 2, 3, 12.0
CUT_MARK = 6.0  # length of a cut mark in the margin, mm


def a4_page(pdf: FPDF, content: PosterContent) -> None:
    pdf.add_page(format="A4")
    draw_poster(pdf, content, 0, 0, A4_W, A4_H, A4)


def a5_page(pdf: FPDF, content: PosterContent) -> None:
    pdf.add_page(format=(A5_W, A5_H))  # a tuple: fpdf2 warns on the "A5" name
    draw_poster(pdf, content, 0, 0, A5_W, A5_H, A5)


def tent_page(pdf: FPDF, content: PosterContent) -> None:
    """A4 folded across the middle: the upper face is upside down, so both
    sides of the tent read the right way up when it stands on the desk."""
    pdf.add_page(format="A4")
    half = A4_H / 2
    draw_poster(pdf, content, 0, half, A4_W, half, TENT)
    with pdf.rotation(180, x=A4_W / 2, y=half / 2):
        draw_poster(pdf, content, 0, 0, A4_W, half, TENT)
    pdf.set_draw_color(150, 150, 150)
    pdf.set_line_width(0.2)
    with pdf.local_context():
        pdf.set_dash_pattern(dash=2, gap=2)
        pdf.line(0, half, A4_W, half)


def sheet_pages(pdf: FPDF, contents: Iterable[PosterContent], progress: Callable[[int], None]) -> None:
    """Six cards per A4 page with cut marks in the margins."""
    per_page = SHEET_COLUMNS * SHEET_ROWS
    width = (A4_W - 2 * SHEET_MARGIN) / SHEET_COLUMNS
    height = (A4_H - 2 * SHEET_MARGIN) / SHEET_ROWS
    for index, content in enumerate(contents):
        slot = index % per_page
        if slot == 0:
            pdf.add_page(format="A4")
            _cut_marks(pdf, width, height)
        column, row = slot % SHEET_COLUMNS, slot // SHEET_COLUMNS
        x, y = SHEET_MARGIN + column * width, SHEET_MARGIN + row * height
        draw_poster(pdf, content, x, y, width, height, CARD)
        progress(1)


def _cut_marks(pdf: FPDF, width: float, height: float) -> None:
    """Short lines in the margin where a guillotine cut goes, never over a card."""
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    gap = 1.5
    for column in range(SHEET_COLUMNS + 1):
        x = SHEET_MARGIN + column * width
        pdf.line(x, SHEET_MARGIN - gap - CUT_MARK, x, SHEET_MARGIN - gap)
        pdf.line(x, A4_H - SHEET_MARGIN + gap, x, A4_H - SHEET_MARGIN + gap + CUT_MARK)
    for row in range(SHEET_ROWS + 1):
        y = SHEET_MARGIN + row * height
        pdf.line(SHEET_MARGIN - gap - CUT_MARK, y, SHEET_MARGIN - gap, y)
        pdf.line(A4_W - SHEET_MARGIN + gap, y, A4_W - SHEET_MARGIN + gap + CUT_MARK, y)


ONE_PER_PAGE = {"a4": a4_page, "a5": a5_page, "tent": tent_page}
LAYOUTS = ("a4", "a5", "tent", "sheet")


def render(
    pdf: FPDF,
    layout: str,
    contents: Iterable[PosterContent],
    progress: Callable[[int], None] = lambda _n: None,
) -> None:
    if layout == "sheet":
        sheet_pages(pdf, contents, progress)
        return
    draw = ONE_PER_PAGE[layout]
    for content in contents:
        draw(pdf, content)
        progress(1)
