"""Real servers for the hub's tests and benchmark: a throwaway PostgreSQL cluster from
Debian's package and `tutor hub serve` in a child process, both on loopback only.

PostgreSQL refuses to run as root, so as root the cluster is made and run by the `postgres`
system user (`runuser`), in a fresh folder under /tmp that it owns; otherwise by the current
user. `PostgresUnavailable` says why when there is no way to start one, so a test can skip
with that reason.
"""

import contextlib
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class PostgresUnavailable(Exception):
    """No PostgreSQL cluster can be started here; the message says why."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if not found:
        raise PostgresUnavailable("no /usr/lib/postgresql/*/bin/initdb: apt-get install postgresql")
    return Path(found[-1]).parent


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *command] if owner else command


@contextlib.contextmanager
def postgres_cluster() -> Iterator[str]:
    """A running cluster for the length of the block; yields its admin URL (trust auth,
    loopback only, so no password is involved)."""
    bindir = _pg_bin()
    owner = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable("running as root and there is no postgres user") from None
        if not shutil.which("runuser"):
            raise PostgresUnavailable("running as root and there is no runuser")
        owner = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="tutor-pg-"))
    data = folder / "data"
    port = free_port()
    started = False
    try:
        if owner:
            shutil.chown(folder, owner, owner)
        init = subprocess.run(
            _as_owner([str(bindir / "initdb"), "-D", str(data), "-U", "tutor", "--auth=trust",
                       "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], owner),
            capture_output=True, text=True,
        )
        if init.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {init.stderr.strip()[-300:]}")
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
        start = subprocess.run(
            _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"),
                       "-w", "-t", "60", "-o", options, "start"], owner),
            capture_output=True, text=True,
        )
        if start.returncode != 0:
            log_file = folder / "log"
            log = log_file.read_text(errors="replace")[-300:] if log_file.exists() else ""
            raise PostgresUnavailable(f"pg_ctl start failed: {start.stderr.strip()} {log}")
        started = True
        yield f"postgresql://tutor@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run(
                _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
                           "stop"], owner),
                capture_output=True,
            )
        shutil.rmtree(folder, ignore_errors=True)


def new_database(admin_url: str, name: str) -> str:
    """A fresh, empty database on the cluster; its URL."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


class HubProcess:
    """`tutor hub serve` on a free loopback port, as a coordinator would start it."""

    def __init__(self, home: Path, db_url: str | None = None, port: int | None = None):
        self.home = Path(home)
        self.db_url = db_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = self.home / f"hub-serve-{self.port}.log"

    def start(self, timeout: float = 60.0) -> "HubProcess":
        self.home.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "tutor", "hub", "serve", "--host", "127.0.0.1",
                   "--port", str(self.port)]
        if self.db_url:
            command += ["--db", self.db_url]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env={**os.environ, "TUTOR_HOME": str(self.home)},
                stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hub exited: {self.log.read_text(errors='replace')[-2000:]}")
            if self.healthy():
                return self
            time.sleep(0.1)
        raise RuntimeError(f"hub did not start: {self.log.read_text(errors='replace')[-2000:]}")

    def healthy(self) -> bool:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(self.url + "/v1/health", timeout=2) as answer:
                return json.loads(answer.read()).get("status") == "ok"
        except (OSError, ValueError):
            return False

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, as a power cut or the OOM killer would."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> "HubProcess":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
