"""A throwaway PostgreSQL 15 cluster for the test suite (and benchmarks).

initdb refuses to run as root, so as root the cluster runs as an unprivileged
system user (created on first use). The server listens only on a unix socket
in a temporary directory, plus a loopback port.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SYSTEM_USER = "hailongpg"


def find_bindir() -> Path:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(candidate, "initdb")):
            return Path(candidate)
    raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql-15)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_cluster_user(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    if subprocess.run(["id", "-u", SYSTEM_USER], capture_output=True).returncode != 0:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],
            check=True,
        )
    return ["runuser", "-u", SYSTEM_USER, "--"] + args


class Cluster:
    def __init__(self, settings: dict[str, str] | None = None, root: str | None = None):
        self.bindir = find_bindir()
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="hailong-pg-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self.data = self.root / "data"
        self.port = _free_port()
        self.settings = settings or {}
        os.chmod(self.root, 0o755)  # noqa: S103 - the cluster user must enter it
        if os.geteuid() == 0:
            _as_cluster_user(["true"])
            shutil.chown(self.root, SYSTEM_USER)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(_as_cluster_user(list(args)), capture_output=True, text=True, check=check)

    def start(self) -> "Cluster":
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        conf = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.root}'",
            "fsync": "off",
            "synchronous_commit": "on",  # an acknowledged answer must survive a crash
            "full_page_writes": "off",
            **self.settings,
        }
        with open(self.data / "postgresql.conf", "a") as handle:
            handle.writelines(f"{key} = {value}\n" for key, value in conf.items())
        self.pg_ctl("start", "-w", "-t", "60", "-l", str(self.root / "log"))
        self._run(
            str(self.bindir / "createdb"),
            "-h",
            str(self.root),
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "hailong",
        )
        return self

    def reopen(self) -> "Cluster":
        """Start a cluster made earlier in the same root (a kept benchmark cluster)."""
        for line in (self.data / "postgresql.conf").read_text().splitlines():
            if line.startswith("port = "):
                self.port = int(line.split("=")[1])
        if self.pg_ctl("status", check=False).returncode != 0:
            self.pg_ctl("start", "-w", "-t", "60", "-l", str(self.root / "log"))
        return self

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), *args, check=check)

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "stop", "-m", "fast", "-w", check=False)

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "hailong") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.root}&port={self.port}"


def wait_ready(cluster: Cluster, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = subprocess.run(
            [str(cluster.bindir / "pg_isready"), "-h", str(cluster.root), "-p", str(cluster.port)],
            capture_output=True,
        )
        if result.returncode == 0:
            return
        time.sleep(0.2)
    raise RuntimeError("PostgreSQL did not become ready")
