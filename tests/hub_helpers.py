"""Helpers for the hub tests (their fixtures are in hub_fixtures.py): real device homes, the
real commands on both sides, and a look into the hub's database."""

import json
import re
import sys
from pathlib import Path

from conftest import ROOT, run_tutor

sys.path.insert(0, str(ROOT / "benchmarks"))
# benchmarks/hub.py: the load driver, shared with the benchmark.
import hub as load
from hub_servers import HubProcess


def tutor(home, *args, env=None):
    return run_tutor(*args, env={"TUTOR_HOME": str(home), **(env or {})})


def hub_cli(hub_process: HubProcess, *args):
    """A `tutor hub ...` command on the hub machine, against the running hub's database."""
    extra = ["--db", hub_process.db_url] if hub_process.db_url else []
    return tutor(hub_process.home, "hub", *args, *extra)


def ok(result) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def refused(result, *words: str) -> str:
    """A failure said in one line, with no traceback, naming `words`."""
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


def new_code(hub_process: HubProcess, village: str | None = "v1", role: str = "mentor") -> str:
    args = ["code", "--role", role] + (["--village", village] if village else [])
    out = ok(hub_cli(hub_process, *args))
    found = re.search(r"\b(\d{3}) (\d{3})\b", out)
    assert found, out
    return found.group(1) + found.group(2)


def enrolled_device(hub_process, home: Path, village="v1", role="mentor", events=0) -> str:
    """A device home, with `events` simple events if asked, enrolled through the command."""
    if events:
        load.make_device(home, events)
    ok(tutor(home, "sync", "enrol", "--hub", hub_process.url, "--code",
             new_code(hub_process, village, role)))
    return device_of(home)


def device_of(home: Path) -> str:
    return json.loads((home / "progress" / "device" / "device.json").read_text())["device"]


def log_lines(home: Path, device: str | None = None) -> list[bytes]:
    log = home / "progress" / "logs" / f"{device or device_of(home)}.jsonl"
    return log.read_bytes().splitlines() if log.exists() else []


def hub_rows(hub_process: HubProcess, device: str) -> list[bytes]:
    """The lines the hub holds of a device, in seq order, read from its database."""
    from tutor.hub.serve import open_database
    from tutor.hub.storage import events as rows
    from tutor.hub.storage.db import locate

    db = open_database(locate(hub_process.db_url, hub_process.home))
    try:
        with db.transaction() as tx:
            return [line.encode() for line in rows.lines(tx, device, 1, 10**12)]
    finally:
        db.close()


def hub_db(hub_process: HubProcess):
    from tutor.hub.serve import open_database
    from tutor.hub.storage.db import locate

    return open_database(locate(hub_process.db_url, hub_process.home))
