"""Decoding what the product prints with real tools: zbar for QR codes,
rsvg-convert for SVG, poppler for PDF. Never the encoder's own word."""

import subprocess
import tempfile
from pathlib import Path


def decode_png(png: bytes) -> list[str]:
    result = subprocess.run(["zbarimg", "--quiet", "--raw", "-"], input=png, capture_output=True, check=False)
    return result.stdout.decode().split()


def svg_to_png(svg: bytes, width: int = 800) -> bytes:
    result = subprocess.run(
        ["rsvg-convert", "--format=png", f"--width={width}", "--background-color=white"],
        input=svg,
        capture_output=True,
        check=True,
    )
    return result.stdout


def pdf_pages_to_png(pdf: bytes, dpi: int = 150) -> list[bytes]:
    """Rasterise every page as a printer would (pdftoppm), one PNG per page."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), f"{folder}/page"], check=True)
        return [path.read_bytes() for path in sorted(Path(folder).glob("page*.png"))]


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def pdf_page_count(pdf: bytes) -> int:
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    line = next(row for row in result.stdout.decode().splitlines() if row.startswith("Pages:"))
    return int(line.split()[1])


def pdf_fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded?) as poppler's pdffonts lists them."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        result = subprocess.run(["pdffonts", str(source)], capture_output=True, check=True)
    rows = result.stdout.decode().splitlines()[2:]
    return [(row.split()[0], row.split()[-5] == "yes") for row in rows]


def decode_pdf(pdf: bytes, dpi: int = 150) -> list[list[str]]:
    """Every QR found on every page, page by page."""
    return [sorted(decode_png(page)) for page in pdf_pages_to_png(pdf, dpi)]


def words(text: str) -> str:
    """Text with line breaks and runs of spaces folded, as a reader sees it."""
    return " ".join(text.split())
