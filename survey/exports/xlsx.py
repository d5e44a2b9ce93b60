"""A minimal streaming XLSX (Office Open XML) writer.

openpyxl's write-only mode costs ~20 µs a cell, ten minutes for a
province-year of raw rows; this writer streams rows straight into the ZIP
entry (~1 µs a cell) and holds one row in memory. It writes numbers,
booleans, inline strings (never formulas: a cell starting with "=" is text,
and survey/exports/safe.py also prefixes it) and a percent style.
"""

import re
import zipfile
from xml.sax.saxutils import escape

# XML 1.0 forbids most control characters; Excel refuses files that have them.
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_ROWS = 1_048_576


class Percent(float):
    """A fraction shown as a percentage (style 1)."""


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value) -> str:
    kind = type(value)
    if kind is int:  # most raw cells are answer codes: the fast path first
        return f'<c r="{ref}"><v>{value}</v></c>'
    if kind is str:
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Percent):
        return f'<c r="{ref}" s="1"><v>{float(value)!r}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_text(str(value))}</t></is></c>'


def _text(value: str) -> str:
    if not value.isprintable():  # cheap test first: the regex runs only on odd text
        value = ILLEGAL_XML.sub("", value)
    return escape(value)


class SheetStream:
    def __init__(self, handle) -> None:
        self.handle = handle
        self.rows = 0
        self.letters = [column_letter(i) for i in range(64)]
        handle.write(
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        )

    def append(self, values) -> None:
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise ValueError("an XLSX sheet holds at most 1,048,576 rows")
        n, values = self.rows, list(values)
        while len(self.letters) < len(values):
            self.letters.append(column_letter(len(self.letters)))
        cells = "".join([_cell(f"{letter}{n}", v) for letter, v in zip(self.letters, values, strict=False)])
        self.handle.write(f'<row r="{n}">{cells}</row>'.encode())

    def close(self) -> None:
        self.handle.write(b"</sheetData></worksheet>")
        self.handle.close()


class XlsxStream:
    """Sheets are written one after another; each is closed before the next."""

    def __init__(self, path: str) -> None:
        self.archive = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)
        self.titles: list[str] = []
        self.current: SheetStream | None = None

    def sheet(self, title: str) -> SheetStream:
        if self.current is not None:
            self.current.close()
        self.titles.append(title[:31])
        name = f"xl/worksheets/sheet{len(self.titles)}.xml"
        self.current = SheetStream(self.archive.open(name, "w", force_zip64=True))
        return self.current

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
        for name, text in self._parts().items():
            self.archive.writestr(name, text)
        self.archive.close()

    def _parts(self) -> dict[str, str]:
        n = len(self.titles)
        sheets = "".join(
            f'<sheet name="{escape(t, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
            for i, t in enumerate(self.titles, 1)
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT}.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        return {
            "[Content_Types].xml": CONTENT_TYPES.format(overrides=overrides),
            "_rels/.rels": ROOT_RELS,
            "xl/workbook.xml": WORKBOOK.format(sheets=sheets),
            "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.format(rels=rels, n=n + 1),
            "xl/styles.xml": STYLES,
        }


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CONTENT_TYPES = (
    HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/>'
    "{overrides}</Types>"
)
ROOT_RELS = (
    HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    HEAD + '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{REL}"><sheets>{{sheets}}</sheets></workbook>'
)
WORKBOOK_RELS = (
    HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
    f'<Relationship Id="rId{{n}}" Type="{REL}/styles" Target="styles.xml"/></Relationships>'
)
STYLES = (
    HEAD + '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
