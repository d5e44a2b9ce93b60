"""Fault-test tools: a real gunicorn on loopback, citizens, a ledger.

Bounded on purpose: a few threads, seconds of load, 127.0.0.1 only, and every
process is stopped by its own PID when the test ends.
"""

import http.client
import http.cookiejar
import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NONCE_PREFIX = "fault-"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with deploy/gunicorn.conf.py against the test database."""

    def __init__(self, database_url: str, log_path: Path, workers: int = 2, **env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {
            **os.environ,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(workers),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "fault-test-secret-key",
            "RATELIMIT_ENABLED": "false",
            "PUBLIC_BASE_URL": self.base,
            "GUNICORN_TIMEOUT": "20",
            "LOG_LEVEL": "WARNING",
            **{key: str(value) for key, value in env.items()},
        }
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 40) -> "Server":
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [gunicorn, "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-2000:]}")
            if get_status(self.base + "/healthz") == 200 and len(self.worker_pids()) >= 1:
                return self
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not become healthy")

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def kill_a_worker(self, rng) -> bool:
        pids = self.worker_pids()
        if not pids:
            return False
        try:
            os.kill(rng.choice(pids), signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get_status(url: str, timeout: float = 5) -> int | None:
    return fetch(urllib.request.build_opener(_NoRedirect), url, timeout=timeout)[0]


def fetch(opener, url: str, data: bytes | None = None, timeout: float = 10) -> tuple[int | None, str]:
    """(status, body); status None when the connection broke (a killed worker)."""
    try:
        with opener.open(url, data=data, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        try:
            return error.code, error.read().decode("utf-8", "replace")
        except (http.client.HTTPException, OSError):  # worker killed while sending the body
            return error.code, ""
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError, OSError):
        return None, ""


RADIO = re.compile(r'<input[^>]*type="radio"[^>]*>', re.I)
ATTR = re.compile(r'(name|value)="([^"]*)"')
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def form_answers(page: str) -> dict[str, str]:
    """One answer per radio question: "4" where offered, else the first option."""
    options: dict[str, list[str]] = {}
    for tag in RADIO.findall(page):
        attrs = dict(ATTR.findall(tag))
        if "name" in attrs and "value" in attrs:
            options.setdefault(attrs["name"], []).append(attrs["value"])
    return {name: ("4" if "4" in values else values[0]) for name, values in options.items()}


class Citizen:
    """A phone holding the survey form: its cookie, CSRF token and answers."""

    def __init__(self, base: str, code: str):
        self.url = f"{base}/s/{code}"
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
        self.fields: dict[str, str] | None = None

    def open_form(self) -> bool:
        status, page = fetch(self.opener, self.url)
        token = CSRF.search(page) if status == 200 else None
        if token is None:
            return False
        self.fields = {"csrf_token": token.group(1), **form_answers(page), "Q10": "Chờ hơi lâu nhưng ổn"}
        return True

    def submit(self, nonce: str) -> tuple[int | None, str]:
        body = urllib.parse.urlencode({**self.fields, "nonce": nonce}).encode()
        return fetch(self.opener, self.url, data=body)


def wait_for_acks(ledger, count: int, since: float = 0.0, timeout: float = 15.0) -> None:
    """Until `count` answers were acknowledged after `since` (or the timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(1 for moment in list(ledger.ack_times) if moment > since) >= count:
            return
        time.sleep(0.05)


@dataclass
class Ledger:
    acknowledged: set = field(default_factory=set)
    ack_times: list = field(default_factory=list)  # time.monotonic() of each acknowledgement
    statuses: Counter = field(default_factory=Counter)
    unexpected: list = field(default_factory=list)
    busy_pages: list = field(default_factory=list)  # bodies of 503 answers
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, status, body: str) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status == 503 and len(self.busy_pages) < 5:
                self.busy_pages.append(body)


def _citizen_loop(base, code, ledger: Ledger, stop: threading.Event, thread_no: int) -> None:
    citizen = Citizen(base, code)
    while not stop.is_set() and not citizen.open_form():
        time.sleep(0.1)
    if citizen.fields is None:
        return
    for number in itertools.count():
        if stop.is_set():
            return
        nonce = f"{NONCE_PREFIX}{thread_no}-{number}-{uuid.uuid4().hex[:8]}"
        # Retry the same nonce, as a citizen pressing "Gửi" again would.
        while not stop.is_set():
            status, body = citizen.submit(nonce)
            ledger.note(status, body)
            if status == 302:
                with ledger.lock:
                    ledger.acknowledged.add(nonce)
                    ledger.ack_times.append(time.monotonic())
                break
            if status is None or status in (502, 503):
                time.sleep(0.05)
                continue
            if status == 400:  # the session died with its worker? open the form again
                citizen.open_form()
                continue
            ledger.unexpected.append((status, body[:300]))
            break


def run_load(base: str, code: str, seconds: float, threads: int = 3, during=None) -> Ledger:
    """Submit continuously from `threads` citizens for `seconds`, or, with
    `during(ledger)`, until that function (the fault) returns."""
    ledger, stop = Ledger(), threading.Event()
    workers = [
        threading.Thread(target=_citizen_loop, args=(base, code, ledger, stop, n), daemon=True)
        for n in range(threads)
    ]
    for worker in workers:
        worker.start()
    if during is not None:
        during(ledger)
    else:
        time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join(timeout=30)
    return ledger
