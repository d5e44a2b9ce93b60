"""Agency logos for the centre of QR codes: files in QR_LOGO_DIR named <CODE>.png."""

import os

from flask import current_app

from survey.agencies import ancestors
from survey.models import Agency

LOGO_EXTENSIONS = (".png", ".jpg", ".jpeg")


def logo_for(agency: Agency) -> bytes | None:
    """The agency's logo file, or the nearest ancestor's.

    A commune without its own logo prints the province's emblem.
    """
    folder = current_app.config["QR_LOGO_DIR"]
    for candidate in [agency, *reversed(ancestors(agency))]:
        for extension in LOGO_EXTENSIONS:
            path = os.path.join(folder, candidate.code + extension)
            if os.path.isfile(path):
                with open(path, "rb") as handle:
                    return handle.read()
    return None
