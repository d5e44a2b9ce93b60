"""An A4 document in the house style of a Vietnamese administrative report.

fpdf2 with an embedded DejaVu font (static/fonts/) so every diacritic prints
on any machine. Text is always written as plain text (no markdown, no HTML),
so a citizen's `<script>` or `**` prints as typed.
"""

import os

from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from survey import PROJECT_ROOT

FONT_DIR = os.path.join(PROJECT_ROOT, "static", "fonts")
FAMILY = "DejaVu"
MONO = "DejaVuMono"
INK = (20, 20, 20)
MUTED = (90, 90, 90)
HEAD_FILL = (228, 234, 242)


class ReportDocument(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font(FAMILY, "", os.path.join(FONT_DIR, "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", os.path.join(FONT_DIR, "DejaVuSans-Bold.ttf"))
        self.add_font(MONO, "", os.path.join(FONT_DIR, "DejaVuSansMono.ttf"))
        self.set_margins(20, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 4, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, _("Trang %(n)s/%(total)s", n=self.page_no(), total="{nb}"), align="R")
        self.set_text_color(*INK)

    # Building blocks -------------------------------------------------

    def heading(self, text: str) -> None:
        if self.get_y() > self.h - 50:
            self.add_page()
        self.ln(3)
        self.set_font(FAMILY, "B", 11.5)
        self.multi_cell(0, 6.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def subheading(self, text: str) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.set_font(FAMILY, "B", 10)
        self.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, text: str, size: float = 10, muted: bool = False) -> None:
        self.set_font(FAMILY, "", size)
        if muted:
            self.set_text_color(*MUTED)
        self.multi_cell(0, size * 0.52, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.ln(1)

    def bullet(self, text: str, size: float = 10) -> None:
        self.set_font(FAMILY, "", size)
        self.set_x(self.l_margin + 3)
        self.multi_cell(0, size * 0.52, "• " + text, new_x="LMARGIN", new_y="NEXT")

    def mono(self, text: str, size: float = 9) -> None:
        self.set_font(MONO, "", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, "", 10)

    def grid(self, rows: list[list[str]], widths: tuple, align: str = "LEFT", size: float = 8.5) -> None:
        """A table whose first row is the heading; every cell is plain text."""
        self.set_font(FAMILY, "", size)
        headings = FontFace(emphasis="BOLD", fill_color=HEAD_FILL)
        with self.table(
            col_widths=widths,
            text_align=align,
            headings_style=headings,
            line_height=size * 0.55,
            padding=1,
            markdown=False,
        ) as table:
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(str(value))
        self.ln(2)
