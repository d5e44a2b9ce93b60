"""gzip for text responses, so the survey page arrives in the first round
trip even without a compressing reverse proxy (issue 5: ≤ 14 KB first visit).

Only when the client accepts gzip, the body is text and big enough to gain.
"""

import gzip

from flask import Flask, request

COMPRESSIBLE = ("text/html", "text/css", "application/json", "image/svg+xml", "text/csv", "text/plain")
MIN_SIZE = 512


def _eligible(response) -> bool:
    return (
        response.status_code in (200, 201, 404, 410, 422, 429, 503)
        and "gzip" in request.headers.get("Accept-Encoding", "")
        and response.mimetype in COMPRESSIBLE
        and "Content-Encoding" not in response.headers
        and (response.direct_passthrough or not response.is_streamed)  # static files, rendered pages
    )


def compress(response):
    if not _eligible(response):
        return response
    original = response.response
    response.direct_passthrough = False  # static files: read the (small) file
    body = response.get_data()
    if hasattr(original, "close"):
        original.close()  # get_data() replaced the file wrapper with its bytes
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(body, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(etag + "-gz", weak)
    return response


def register(app: Flask) -> None:
    app.after_request(compress)
