"""QR images for survey URLs (pure: text in, bytes out; no Flask, no session).

segno builds the symbol (it picks alphanumeric mode by itself when the text
allows it, which keeps the symbol one or two versions smaller than byte
mode). PNG and SVG keep the standard 4-module quiet zone: without it cheap
phone cameras fail to find the code against a busy wall.
"""

import base64
import io
from functools import lru_cache
from urllib.parse import urlsplit

import segno
from PIL import Image

QUIET_ZONE = 4
# Characters of QR alphanumeric mode (ISO/IEC 18004, table 5).
ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
# Share of the symbol width a centre logo may cover. 0.22² ≈ 5 % of the
# modules, well inside what error-correction level H (30 %) restores.
LOGO_SHARE = 0.22
MIN_PNG_SIZE, MAX_PNG_SIZE = 100, 4000


def is_alphanumeric(text: str) -> bool:
    return all(ch in ALPHANUMERIC for ch in text)


def compact_url(base: str, path: str, uppercase: bool = True) -> str:
    """`base/path`, upper-cased when that keeps it inside alphanumeric mode.

    Scheme and host are case-insensitive and the app answers `/S/<code>`
    and `/D/<token>` as well as the lower-case routes, so the upper-case
    form reaches the same page. A base URL with a path of its own is left
    alone: a reverse proxy may treat that path case-sensitively.
    """
    url = f"{base.rstrip('/')}/{path.lstrip('/')}"
    if not uppercase or urlsplit(base).path not in ("", "/"):
        return url
    candidate = url.upper()
    return candidate if is_alphanumeric(candidate) else url


@lru_cache(maxsize=4096)
def make(text: str, with_logo: bool = False) -> segno.QRCode:
    """The symbol; level H when a logo will cover part of it, else M or better."""
    if with_logo:
        return segno.make_qr(text, error="h", boost_error=False)
    return segno.make_qr(text, error="m")


def modules(text: str, with_logo: bool = False) -> tuple[tuple[int, ...], ...]:
    """Dark (1) and light (0) modules without the quiet zone, for vector drawing."""
    return tuple(tuple(row) for row in make(text, with_logo).matrix)


def png_scale(symbol_width: int, size: int) -> int:
    """Whole pixels per module so that the image (quiet zone included) fits `size`."""
    size = min(max(size, MIN_PNG_SIZE), MAX_PNG_SIZE)
    return max(1, size // (symbol_width + 2 * QUIET_ZONE))


# Bounded: a 4000 px logo PNG is a few hundred KiB, and every worker keeps its own cache.
@lru_cache(maxsize=256)
def png_bytes(text: str, size: int = 600, logo: bytes | None = None) -> bytes:
    """PNG of about `size` pixels square, crisp (whole pixels per module)."""
    code = make(text, with_logo=logo is not None)
    scale = png_scale(code.symbol_size(scale=1, border=0)[0], size)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=QUIET_ZONE)
    if logo is None:
        return buffer.getvalue()
    return _with_logo_png(buffer.getvalue(), code, scale, logo)


def logo_box(symbol_width: int, scale: float) -> tuple[float, float]:
    """(offset, side) of the white square behind the logo, quiet zone included."""
    side_modules = max(3, round(symbol_width * LOGO_SHARE))
    if side_modules % 2 != symbol_width % 2:
        side_modules += 1  # centred on whole modules
    offset = (QUIET_ZONE + (symbol_width - side_modules) / 2) * scale
    return offset, side_modules * scale


def _with_logo_png(png: bytes, code: segno.QRCode, scale: int, logo: bytes) -> bytes:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    offset, side = logo_box(code.symbol_size(scale=1, border=0)[0], scale)
    pad = scale // 2
    picture = Image.open(io.BytesIO(logo)).convert("RGBA")
    picture.thumbnail((int(side) - 2 * pad, int(side) - 2 * pad))
    corner = int(offset)
    image.paste((255, 255, 255), (corner, corner, corner + int(side), corner + int(side)))
    left = corner + (int(side) - picture.width) // 2
    top = corner + (int(side) - picture.height) // 2
    image.paste(picture, (left, top), picture)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@lru_cache(maxsize=256)
def svg_bytes(text: str, logo: bytes | None = None, scale: int = 10) -> bytes:
    """SVG (a single path, scalable to any print size), optional centre logo."""
    code = make(text, with_logo=logo is not None)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=scale, border=QUIET_ZONE, title=text)
    svg = buffer.getvalue()
    if logo is None:
        return svg
    offset, side = logo_box(code.symbol_size(scale=1, border=0)[0], scale)
    encoded = base64.b64encode(_as_png(logo)).decode("ascii")
    pad = scale / 2
    overlay = (
        f'<rect x="{offset}" y="{offset}" width="{side}" height="{side}" fill="#fff"/>'
        f'<image x="{offset + pad}" y="{offset + pad}" width="{side - 2 * pad}" height="{side - 2 * pad}" '
        f'preserveAspectRatio="xMidYMid meet" href="data:image/png;base64,{encoded}"/>'
    )
    return svg.replace(b"</svg>", overlay.encode() + b"</svg>")


def _as_png(image_bytes: bytes) -> bytes:
    """Logos may arrive as JPEG or GIF; SVG viewers all read PNG."""
    if image_bytes.startswith(b"\x89PNG"):
        return image_bytes
    buffer = io.BytesIO()
    Image.open(io.BytesIO(image_bytes)).save(buffer, format="PNG")
    return buffer.getvalue()
