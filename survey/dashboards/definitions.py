"""docs/definitions.md rendered for the screen (/definitions)."""

import os
from functools import lru_cache

import markdown

from survey import PROJECT_ROOT

PATH = os.path.join(PROJECT_ROOT, "docs", "definitions.md")


@lru_cache(maxsize=1)
def definitions_html() -> str:
    """Our own trusted document; Markdown's raw HTML is escaped anyway."""
    with open(PATH, encoding="utf-8") as handle:
        text = handle.read()
    return markdown.markdown(text.replace("<", "&lt;"), extensions=["tables"], output_format="html")
