"""Safe redirects and security headers."""

from urllib.parse import urlparse


def is_safe_url(target: str | None) -> bool:
    """Only same-site relative paths; rejects //host, \\\\host and control chars."""
    if not target:
        return False
    cleaned = "".join(ch for ch in target if ch >= " ").replace("\\", "/").strip()
    if not cleaned.startswith("/") or cleaned.startswith("//"):
        return False
    parsed = urlparse(cleaned)
    return not parsed.scheme and not parsed.netloc
