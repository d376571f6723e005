"""The LAN hub through the real commands and a real server on loopback, on SQLite and on
PostgreSQL: enrolment with one-time codes, push and pull between real device homes, resent
batches, forks, revocation, what a mentor may see, bad input, and a hub killed mid-import."""

import hashlib
import json
import random
import socket
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from conftest import ROOT
from hub_helpers import (
    HubProcess,
    device_of,
    enrolled_device,
    hub_cli,
    hub_db,
    hub_rows,
    load,
    log_lines,
    new_code,
    ok,
    refused,
    tutor,
)

from tutor.progress.store import EventLog

# The hub, db_url and pg_admin fixtures.
pytest_plugins = ["hub_fixtures"]

SOMEONE = "6f1c1a52-4a3e-4f5e-9d0e-3c6f2a1b7d11"


def add_event(home, note: str = "") -> None:
    device = device_of(home)
    with EventLog(home / "progress" / "logs" / f"{device}.jsonl", device) as log:
        log.append(SOMEONE, "help_requested", {"note": note} if note else {})


def simulated(home, seed: int = 4) -> None:
    ok(tutor(home, "progress", "simulate", "--learners", "3", "--days", "6", "--seed", str(seed)))


def test_enrolment_takes_a_one_time_code_once(hub, tmp_path):
    from tutor.hub import enrolment

    home, other = tmp_path / "device", tmp_path / "other"
    code = new_code(hub, "金山村")
    out = ok(tutor(home, "sync", "enrol", "--hub", hub.url, "--code", f"{code[:3]} {code[3:]}"))
    assert "金山村" in out
    link = home / "progress" / "sync" / "hub.json"
    assert stat.S_IMODE(link.stat().st_mode) == 0o600
    credential = json.loads(link.read_text())["credential"]
    db = hub_db(hub)
    try:
        with db.transaction() as tx:
            held = tx.all("SELECT id, credential_hash, village, role FROM devices")
        stale, _ = enrolment.new_code(
            db, "v1", "mentor", now=datetime.now(UTC) - timedelta(minutes=16)
        )
        with db.transaction() as tx:
            taken = {row[0] for row in tx.all("SELECT code FROM enrolment_codes")}
    finally:
        db.close()
    # The hub keeps the credential's hash, never the credential.
    assert held == [(device_of(home), hashlib.sha256(credential.encode()).hexdigest(),
                     "金山村", "mentor")]
    refused(tutor(other, "sync", "enrol", "--hub", hub.url, "--code", code), "用过")
    refused(tutor(other, "sync", "enrol", "--hub", hub.url, "--code", stale), "过期")
    unknown = next(f"{n:06d}" for n in range(10**6) if f"{n:06d}" not in taken)
    refused(tutor(other, "sync", "enrol", "--hub", hub.url, "--code", unknown), "没有这个号码")
    refused(tutor(other, "sync", "enrol", "--hub", hub.url, "--code", "12345"), "6 位")
    assert not (other / "progress" / "sync" / "hub.json").exists()
    # A coordinator's code needs no village; a mentor's does.
    refused(hub_cli(hub, "code", "--role", "mentor"), "--village")
    enrolled_device(hub, tmp_path / "county", village=None, role="coordinator")


def test_push_and_pull_between_two_real_devices(hub, tmp_path):
    a, b, c, d = (tmp_path / name for name in ("a", "b", "c", "d"))
    simulated(a)
    device_a = enrolled_device(hub, a, village="v1")
    enrolled_device(hub, b, village="v1")
    enrolled_device(hub, c, village="v2")
    enrolled_device(hub, d, village=None, role="coordinator")
    sent = len(log_lines(a))
    assert f"发出 {sent} 条新记录" in ok(tutor(a, "sync", "push"))
    assert hub_rows(hub, device_a) == log_lines(a)

    ok(tutor(b, "sync", "pull"))
    assert log_lines(b, device_a) == log_lines(a)
    ok(tutor(b, "progress", "verify"))
    assert ok(tutor(b, "progress", "list")).count("\n") == 3
    # A mentor of another village gets nothing of v1; the coordinator gets everything.
    ok(tutor(c, "sync", "pull"))
    assert log_lines(c, device_a) == []
    ok(tutor(d, "sync", "pull"))
    assert log_lines(d, device_a) == log_lines(a)

    # Run again: nothing new either way.
    assert "发出 0 条新记录" in ok(tutor(a, "sync", "push"))
    assert "取回 0 条新记录" in ok(tutor(b, "sync", "pull"))
    assert hub_rows(hub, device_a) == log_lines(a)
    # One more event: only it goes.
    add_event(a, "one more")
    assert "发出 1 条新记录" in ok(tutor(a, "sync", "push", "--hub", hub.url))
    assert "取回 1 条新记录" in ok(tutor(b, "sync", "pull"))
    assert log_lines(b, device_a) == log_lines(a)


def test_a_batch_sent_twice_is_stored_once(hub, tmp_path):
    from tutor.progress.bundle import make_manifest, sign
    from tutor.progress.hublink import PUSH, call, load_link
    from tutor.progress.identity import device_identity, signing_key

    home = tmp_path / "a"
    device = enrolled_device(hub, home, events=700)
    me, link = device_identity(home), load_link(home)
    lines = [raw + b"\n" for raw in log_lines(home)]
    head = json.loads(lines[-1])["hash"]
    manifest = sign(make_manifest(device, me.public_key, lines, 1, None, head), signing_key(me))
    body = {"manifest": manifest, "lines": [raw[:-1].decode() for raw in lines]}
    first = call(hub.url, "POST", PUSH, body, link.credential)
    again = call(hub.url, "POST", PUSH, body, link.credential)
    assert (first["stored"], first["already"], first["seq"]) == (700, 0, 700)
    assert (again["stored"], again["already"], again["seq"]) == (0, 700, 700)
    assert hub_rows(hub, device) == log_lines(home)


def test_a_forked_device_log_is_kept_aside_and_reported(hub, tmp_path):
    home = tmp_path / "a"
    simulated(home)
    device = enrolled_device(hub, home)
    log = home / "progress" / "logs" / f"{device}.jsonl"
    backup = log.read_bytes()
    add_event(home, "first")
    ok(tutor(home, "sync", "push"))
    held = hub_rows(hub, device)
    # The device is restored from an old backup and carries on: same seq, another event.
    log.write_bytes(backup)
    add_event(home, "second")
    result = tutor(home, "sync", "push")
    ok(result)
    assert "对不上" in result.stderr and "1 条另外存放" in result.stderr
    assert hub_rows(hub, device) == held
    db = hub_db(hub)
    try:
        with db.transaction() as tx:
            forks = tx.all("SELECT seq, line FROM forks WHERE device = ?", (device,))
    finally:
        db.close()
    assert len(forks) == 1 and forks[0][0] == len(held) and "second" in forks[0][1]


def test_a_revoked_device_is_refused_and_its_past_kept(hub, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    simulated(a)
    device_a = enrolled_device(hub, a)
    enrolled_device(hub, b)
    ok(tutor(a, "sync", "push"))
    held = hub_rows(hub, device_a)
    out = ok(hub_cli(hub, "revoke", device_a[:8]))
    assert device_a in out and str(len(held)) in out
    add_event(a, "after revocation")
    refused(tutor(a, "sync", "push"), "吊销")
    refused(tutor(a, "sync", "pull"), "吊销")
    assert hub_rows(hub, device_a) == held
    # Its past still reaches the village, marked: the puller refuses it from then on.
    ok(tutor(b, "sync", "pull"))
    assert log_lines(b, device_a) == held
    revoked = json.loads((b / "progress" / "sync" / "revoked.json").read_text())
    assert revoked == {device_a: len(held)}
    from tutor.progress.hublink import DEVICES, call, load_link

    listed = call(hub.url, "GET", DEVICES, credential=load_link(b).credential)
    assert {d["device"]: d["revoked_after_seq"] for d in listed["devices"]} == {
        device_a: len(held), device_of(b): None
    }
    assert "早就吊销" in ok(hub_cli(hub, "revoke", device_a))


def test_bad_input_is_one_line_and_no_traceback(tmp_path):
    home, hub_home = tmp_path / "device", tmp_path / "hub"
    refused(tutor(hub_home, "hub", "serve", "--db", "mysql://x"), "看不懂")
    refused(tutor(hub_home, "hub", "revoke", "no-such-device"), "没有登记过")
    refused(tutor(hub_home, "hub", "forward", "--lrs", "ftp://lrs"), "不是学习记录库")
    refused(tutor(hub_home, "hub", "forward", "--lrs", "http://x", "--auth", "nopass"), "--auth")
    refused(tutor(home, "sync", "push"), "还没有登记")
    refused(tutor(home, "sync", "pull", "--hub", "http://127.0.0.1:1"), "还没有登记")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        refused(tutor(hub_home, "hub", "serve", "--host", "127.0.0.1", "--port", str(port)),
                str(port))
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        free = closed.getsockname()[1]
    refused(tutor(home, "sync", "enrol", "--hub", f"127.0.0.1:{free}", "--code", "123456"),
            "连不上")
    refused(tutor(hub_home, "hub", "code", "--db", f"postgresql://tutor@127.0.0.1:{free}/x",
                  "--role", "coordinator"), "打不开")
    assert tutor(hub_home, "hub", "serve", "--port", "0").returncode == 2


def test_a_hub_killed_mid_import_holds_exactly_the_right_events(tmp_path, db_url):
    home = tmp_path / "device"
    load.make_device(home, 30_000)
    want = log_lines(home)
    device = device_of(home)
    rng = random.Random(9)
    hub_home = tmp_path / "hub"
    hub_process = HubProcess(hub_home, db_url).start()
    enrolled_device(hub_process, home)
    held_after_kill = []
    try:
        for _ in range(3):
            push = subprocess.Popen(
                [sys.executable, "-m", "tutor", "sync", "push", "--hub", hub_process.url],
                cwd=ROOT, env={**__import__("os").environ, "TUTOR_HOME": str(home)},
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            time.sleep(rng.uniform(0.4, 1.6))
            hub_process.kill()
            _, err = push.communicate(timeout=120)
            if push.returncode != 0:
                assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
            hub_process = HubProcess(hub_home, db_url).start()
            held = hub_rows(hub_process, device)
            # Whatever was stored is a whole prefix of the log: no half batch, no hole.
            assert held == want[: len(held)] and len(held) % 500 == 0
            held_after_kill.append(len(held))
        ok(tutor(home, "sync", "push", "--hub", hub_process.url))
        assert hub_rows(hub_process, device) == want
        db = hub_db(hub_process)
        try:
            with db.transaction() as tx:
                assert tx.one("SELECT count(*) FROM events")[0] == len(want)
                assert tx.one("SELECT count(*) FROM forks")[0] == 0
        finally:
            db.close()
    finally:
        hub_process.stop()
    assert any(0 < n < len(want) for n in held_after_kill), held_after_kill
