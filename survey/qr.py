"""QR images for survey URLs (pure: URL in, bytes out)."""

import io
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M


@lru_cache(maxsize=512)
def png_bytes(url: str, box_size: int = 10, border: int = 4) -> bytes:
    """PNG with the standard 4-module quiet zone kept."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(url)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
