"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import gc

from survey import create_app

app = create_app()
# What is loaded now (Flask, SQLAlchemy, the models, templates, translations)
# lives as long as the process. Frozen, it is left out of every later garbage
# collection: full collections no longer walk the whole framework during
# requests (about a third of a cached form page's cost, bench/README.md), and
# workers forked from a --preload master keep sharing those memory pages.
gc.collect()
gc.freeze()
