"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from survey import create_app

app = create_app()
