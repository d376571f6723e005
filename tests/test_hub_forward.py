"""`tutor hub forward` against a real LRS: Ralph (ralph-malph), its `fs` backend, started
with uvicorn on loopback, on SQLite and on PostgreSQL hubs.

What was measured about Ralph shapes the tests: it answers an identical resend with 204 (our
statements carry their own `timestamp`), a statement with a known id but other content with
409, and its fs backend takes one write per store file (a second POST with new statements
fails with 500). So: the resend test makes one write and then only resends; the resume test
uses that 500 as the failure mid-forward, then restarts Ralph on the same address with a
fresh store, and the two stores together must hold every statement exactly once.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from hub_helpers import enrolled_device, hub_cli, ok, refused, tutor

pytest_plugins = ["hub_fixtures"]

USER, PASSWORD = "tutor-hub", "not-a-real-secret"


class Ralph:
    """Ralph's LRS app under uvicorn, with the fs backend in `store`."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.xapi = f"http://127.0.0.1:{port}/xAPI"
        self.process: subprocess.Popen | None = None

    def start(self, store: Path) -> "Ralph":
        import bcrypt

        self.store = store
        self.folder.mkdir(parents=True, exist_ok=True)
        auth = self.folder / "auth.json"
        auth.write_text(json.dumps([{
            "username": USER,
            "hash": bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode(),
            "scopes": ["all"],
            "agent": {"mbox": "mailto:hub@example.org"},
        }]))
        env = {
            **os.environ,
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_AUTH_FILE": str(auth),
            "RALPH_APP_DIR": str(self.folder / "app"),
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(store),
            "RALPH_SENTRY_DSN": "",
        }
        log = (self.folder / f"ralph-{store.name}.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "ralph.api:app", "--host", "127.0.0.1",
             "--port", str(self.port)],
            cwd=self.folder, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "Ralph exited"
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=2).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("Ralph did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def stored_ids(self) -> list[str]:
        """Every statement id in the store's file, repeats included."""
        found = []
        for path in self.store.glob("*.jsonl"):
            found += [json.loads(line)["id"] for line in path.read_text().splitlines() if line]
        return found

    def listed_ids(self) -> list[str]:
        """The ids the LRS itself lists through its API."""
        answer = requests.get(
            f"{self.xapi}/statements", params={"limit": 1000}, auth=(USER, PASSWORD),
            headers={"X-Experience-API-Version": "1.0.3"}, timeout=30,
        )
        answer.raise_for_status()
        return [s["id"] for s in answer.json()["statements"]]


@pytest.fixture
def ralph(tmp_path):
    from hub_servers import free_port

    lrs = Ralph(tmp_path / "ralph", free_port())
    yield lrs
    lrs.stop()


@pytest.fixture
def device_on_hub(hub, tmp_path):
    """A device with a few weeks of real sessions, enrolled and pushed to the hub; the ids
    of the statements its own `progress export --format xapi` makes."""
    home = tmp_path / "device"
    ok(tutor(home, "progress", "simulate", "--learners", "3", "--days", "8", "--seed", "11"))
    enrolled_device(hub, home)
    ok(tutor(home, "sync", "push"))
    return home


def expected_ids(home) -> list[str]:
    return [s["id"] for s in json.loads(ok(tutor(home, "progress", "export", "--format", "xapi")))]


def forward(hub, ralph, *extra):
    return hub_cli(hub, "forward", "--lrs", ralph.xapi, "--auth", f"{USER}:{PASSWORD}", *extra)


def test_a_resend_stores_nothing_twice_and_a_409_is_checked(hub, ralph, device_on_hub, tmp_path):
    want = expected_ids(device_on_hub)
    assert len(want) > 20
    ralph.start(tmp_path / "store")
    out = ok(forward(hub, ralph, "--batch", "5000"))
    assert f"发出 {len(want)} 条 xAPI 语句：{len(want)} 条新的" in out
    assert sorted(ralph.stored_ids()) == sorted(want)
    # Nothing new: nothing sent.
    assert "发出 0 条" in ok(forward(hub, ralph))
    # Everything again (a lost cursor): Ralph answers 204, nothing is stored twice.
    out = ok(forward(hub, ralph, "--again", "--batch", "5000"))
    assert f"{len(want)} 条学习记录库里本来就有" in out
    assert sorted(ralph.stored_ids()) == sorted(want)
    # What the LRS lists (voided answers are left out of lists, by the spec) is there once.
    listed = ralph.listed_ids()
    assert len(listed) == len(set(listed)) and set(listed) <= set(want)
    # A merge changes the actor of the merged learner's statements: same ids, other content.
    # Ralph answers 409; each statement is found with a GET, so all count as stored and
    # nothing is written (the fs store would fail a second write).
    people = [line.split()[0] for line in ok(tutor(device_on_hub, "progress", "list")).splitlines()]
    ok(tutor(device_on_hub, "progress", "merge", "--learner", people[0], "--into", people[1]))
    ok(tutor(device_on_hub, "sync", "push"))
    out = ok(forward(hub, ralph, "--again", "--batch", "5000"))
    assert f"{len(want)} 条学习记录库里本来就有" in out
    assert sorted(ralph.stored_ids()) == sorted(want)
    log = "".join(p.read_text() for p in (tmp_path / "ralph").glob("ralph-*.log"))
    assert " 409 " in log and " 204 " in log


def test_a_forward_that_fails_midway_resumes_where_it_stopped(hub, ralph, device_on_hub, tmp_path):
    want = expected_ids(device_on_hub)
    first = tmp_path / "store-1"
    ralph.start(first)
    # The first batch is stored; the second write fails in Ralph's fs backend with a 500.
    refused(forward(hub, ralph, "--batch", "10"), "学习记录库", "500")
    ralph.stop()
    sent_first = ralph.stored_ids()
    assert 0 < len(sent_first) < len(want)
    # The same LRS address, a fresh store: only what the first one lacks is sent.
    ralph.start(tmp_path / "store-2")
    ok(forward(hub, ralph, "--batch", "5000"))
    sent_second = ralph.stored_ids()
    assert not set(sent_first) & set(sent_second)
    assert sorted(sent_first + sent_second) == sorted(want)
