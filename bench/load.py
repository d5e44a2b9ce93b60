"""Servers and load for bench/survey_bench.py: gunicorn started and stopped
here, wrk's runs and their figures, and the CPU each process spent.

CPU is counted from /proc (user + system time of gunicorn's master and
workers, and of PostgreSQL's postmaster and backends), so a run's figures
say how much CPU one request cost and where, whatever else ran on the
machine meanwhile.
"""

import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# --preload: the app is imported once, before the fork (a worker importing it
# alone takes up to a minute on this loaded machine); no connection is open then.
WORKERS = ["-w", "5", "-k", "sync", "--backlog", "2048", "--preload", "--access-logfile", "/dev/null"]
_TICKS = os.sysconf("SC_CLK_TCK")

LUA_DONE = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.3f %.3f %d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_script(path: str, headers: dict) -> str:
    pairs = ", ".join(f'["{k}"] = "{v}"' for k, v in headers.items())
    return f'request = function() return wrk.format("GET", "{path}", {{{pairs}}}) end\n' + LUA_DONE


# Each run's citizens start at their own number: a network (address) is never reused
# across runs, however many runs fall within the burst window.
_RUN_OFFSETS = itertools.count(0, 200_000)


def post_script(path: str, body: str, cookie: str, run_id: str) -> str:
    """Each POST a different citizen: a fresh nonce, and for the real app its own
    device cookie and its own address in X-Forwarded-For (as nginx, the one
    trusted proxy, passes it), so burst detection sees distinct phones and
    networks as it does in real traffic, not one device sending thousands of
    answers (which production's rate limits would stop long before)."""
    headers = '["Content-Type"] = "application/x-www-form-urlencoded"'
    if cookie:
        headers += f', ["Cookie"] = "{cookie}; hl_d={run_id}-" .. n'
        headers += ', ["X-Forwarded-For"] = address(n)'
    address = (  # LuaJIT (Lua 5.1): no integer division operator
        "local function address(n)\n"
        '  return "10." .. math.floor(n / 65536) % 256 .. "." .. math.floor(n / 256) % 256 .. "." .. n % 256\n'
        "end\n"
    )
    return (
        (address if cookie else "") + f"local n = {next(_RUN_OFFSETS)}\n"
        "request = function()\n  n = n + 1\n"
        f'  local body = "nonce={run_id}-" .. n .. "&{body}"\n'
        f'  return wrk.format("POST", "{path}", {{{headers}}}, body)\nend\n' + LUA_DONE
    )


def wrk(url: str, script: str, conns: int, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--timeout", "10s", "-s", handle.name, url],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(handle.name)
    requests, micros, p50, p99, errors = re.search(
        r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+)", out
    ).groups()
    return {
        "rps": int(requests) / (int(micros) / 1e6),
        "requests": int(requests),
        "p50": float(p50),
        "p99": float(p99),
        "errors": int(errors),
    }


def _stat(path: Path) -> list[str] | None:
    """A process's /proc stat fields after its name (the 3rd field on), or None when it is gone."""
    try:
        return path.read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds a server has spent so far: its main process, its live children
    (workers, backends) and the children that ended and were reaped. In stat's
    fields (counted from 1): 4 the parent, 14-15 own user and system time,
    16-17 the reaped children's."""
    ticks = 0
    for path in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat(path)
        if fields is None:
            continue
        if path.parent.name == str(pid):
            ticks += sum(int(value) for value in fields[11:15])
        elif fields[1] == str(pid):
            ticks += sum(int(value) for value in fields[11:15])  # a backend's own reaped children too
    return ticks / _TICKS


class Server:
    """gunicorn with the given app, started here and stopped by its pid."""

    def __init__(self, app: str, env: dict, ready_path: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [str(BIN / "gunicorn"), *WORKERS, "-b", f"127.0.0.1:{self.port}", app]
        # The app logs one JSON line per request: a pipe nobody reads would fill up and stall
        # every worker, so the log goes to a file that is shown only if the server fails to start.
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=self.log
        )
        deadline = time.monotonic() + 300  # a loaded 2-core machine boots slowly
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + ready_path, timeout=2).read()  # noqa: S310 (loopback)
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        self.log.seek(0)
        raise RuntimeError(f"{app} did not start: {self.log.read().decode()[-2000:]}")

    def cpu_seconds(self) -> float:
        """CPU seconds the server (master and workers) has spent so far."""
        return tree_cpu_seconds(self.process.pid)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
