"""gunicorn settings. Sync workers: perf-baselines.md shows they keep the
tightest tails with SQLite and behind a proxy without upstream keep-alive."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
backlog = 2048
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
# Load the app once in the master: a worker killed by the OOM killer or a
# crash is replaced by a fork in milliseconds instead of a fresh import.
preload_app = True
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# The app writes one JSON line per request (survey/logs.py) without the
# client's address; gunicorn's own access log would record IPs, so it is off.
accesslog = None
errorlog = "-"
# gunicorn 27's control socket defaults to one path per user: two instances
# (blue/green, tests) would fight over it, and we manage workers by signals.
control_socket_disable = True


def post_fork(server, worker):
    """Never share the master's database connections with a forked worker:
    two processes on one socket corrupt each other's transactions."""
    from survey.extensions import db

    app = server.app.wsgi()  # the preloaded Flask app

    with app.app_context():
        db.engine.dispose(close=False)
