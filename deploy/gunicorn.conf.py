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
accesslog = "-"
errorlog = "-"
# Access log without query strings: they may carry dossier link tokens.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
