"""The console's help menu: the user guide (docs/user-guide.md) with its screenshots."""

import os
import re
from functools import lru_cache

import markdown
from flask import render_template, send_from_directory, url_for
from markupsafe import Markup

from survey import PROJECT_ROOT
from survey.admin import bp
from survey.auth.access import any_staff_role

DOCS = os.path.join(PROJECT_ROOT, "docs")
GUIDE = os.path.join(DOCS, "user-guide.md")


@lru_cache(maxsize=4)
def _render(mtime: float, images_url: str) -> str:
    with open(GUIDE, encoding="utf-8") as handle:
        text = handle.read()
    # The guide links images relative to docs/; in the app they are served below /admin/help/.
    text = re.sub(r"\]\(images/", f"]({images_url}", text)
    return markdown.markdown(text, extensions=["tables", "toc"])


@bp.get("/help")
@any_staff_role
def help():
    images_url = url_for("admin.help_image", name="x")[:-1]
    html = _render(os.path.getmtime(GUIDE), images_url)
    return render_template("admin/help.html", guide=Markup(html))  # noqa: S704 - our own document


@bp.get("/help/images/<name>")
@any_staff_role
def help_image(name: str):
    return send_from_directory(os.path.join(DOCS, "images"), name, max_age=3600)
