"""USB sync between real homes, through the real command, with every fault the issue names."""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, run_tutor

from tutor.progress.store import EventLog, read_events

SOMEONE = "6f1c1a52-4a3e-4f5e-9d0e-3c6f2a1b7d11"


def add_event(home, note: str = "") -> None:
    """One more event on a device, as the learner app would write it."""
    device = device_of(home)
    with EventLog(home / "progress" / "logs" / f"{device}.jsonl", device) as log:
        log.append(SOMEONE, "help_requested", {"note": note} if note else {})


def tutor(home, *args):
    return run_tutor(*args, env={"TUTOR_HOME": str(home)})


def ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def events_of(home) -> list[dict]:
    logs = sorted((home / "progress" / "logs").glob("*.jsonl"))
    return [e for log in logs for e in read_events(log)]


def device_of(home) -> str:
    return json.loads((home / "progress" / "device" / "device.json").read_text())["device"]


@pytest.fixture
def village(tmp_path):
    """A learner device with a few weeks of real sessions, a coordinator, and a stick."""
    device, hub, stick = tmp_path / "device", tmp_path / "hub", tmp_path / "stick"
    stick.mkdir()
    ok(tutor(device, "progress", "simulate", "--learners", "3", "--days", "6", "--seed", "4"))
    ok(tutor(device, "sync", "export", "--to", str(stick)))
    return device, hub, stick


def bundle_files(stick):
    (folder,) = (stick / "tutor-sync").iterdir()
    return sorted(folder.glob("*.jsonl")), sorted(folder.glob("*.json"))


def test_import_brings_every_event_once_and_twice_changes_nothing(village):
    device, hub, stick = village
    ok(tutor(hub, "sync", "verify", str(stick)))
    ok(tutor(hub, "sync", "import", str(stick)))
    once = events_of(hub)
    assert once == events_of(device)
    out = ok(tutor(hub, "sync", "import", str(stick)))
    assert events_of(hub) == once and "0" in out
    ok(tutor(hub, "progress", "verify"))


def test_export_writes_only_what_the_stick_lacks(village):
    device, _, stick = village
    before = len(events_of(device))
    add_event(device)
    ok(tutor(device, "sync", "export", "--to", str(stick)))
    _, manifests = bundle_files(stick)
    assert len(manifests) == 2
    assert json.loads(manifests[-1].read_text())["first"] == before + 1


@pytest.mark.parametrize(
    "damage, reason",
    [
        ("truncate", "不完整"),
        ("flip", "改过"),
        ("drop-manifest-field", "不完整"),
        ("forge-signature", "签名不对"),
    ],
)
def test_a_damaged_bundle_is_refused_in_one_line_and_nothing_is_merged(village, damage, reason):
    _, hub, stick = village
    (events,), (manifest,) = bundle_files(stick)
    data = events.read_bytes()
    if damage == "truncate":
        events.write_bytes(data[: len(data) - 40])
    elif damage == "flip":
        at = len(data) // 2
        events.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :])
    else:
        m = json.loads(manifest.read_text())
        if damage == "drop-manifest-field":
            del m["head"]
        else:
            m["last"] = m["last"] + 1
        manifest.write_text(json.dumps(m))
    for action in ("verify", "import"):
        result = tutor(hub, "sync", action, str(stick))
        assert result.returncode == 1
        assert len(result.stderr.strip().splitlines()) == 1 and reason in result.stderr
        assert "Traceback" not in result.stderr
    assert events_of(hub) == []


def test_a_bundle_signed_by_another_key_for_a_known_device_is_refused(village, tmp_path):
    device, hub, stick = village
    ok(tutor(hub, "sync", "import", str(stick)))
    thief = tmp_path / "thief"
    ok(tutor(thief, "progress", "enrol", "--name", "x", "--village", "y"))
    # The thief copies the real device's id into its own identity and writes new events.
    info = json.loads((thief / "progress" / "device" / "device.json").read_text())
    info["device"] = device_of(device)
    (thief / "progress" / "device" / "device.json").write_text(json.dumps(info))
    (thief / "progress" / "logs").mkdir(exist_ok=True)
    shutil.copy(
        device / "progress" / "logs" / f"{device_of(device)}.jsonl",
        thief / "progress" / "logs" / f"{device_of(device)}.jsonl",
    )
    thief_log = thief / "progress" / "logs" / f"{device_of(device)}.jsonl"
    with EventLog(thief_log, info["device"]) as log:
        log.append(SOMEONE, "help_requested", {})
    stick2 = tmp_path / "stick2"
    stick2.mkdir()
    ok(tutor(thief, "sync", "export", "--to", str(stick2)))
    before = events_of(hub)
    result = tutor(hub, "sync", "import", str(stick2))
    assert result.returncode == 1 and "钥匙" in result.stderr
    assert events_of(hub) == before


def test_a_revoked_device_keeps_its_past_and_its_later_bundles_are_refused(village, tmp_path):
    device, hub, stick = village
    ok(tutor(hub, "sync", "import", str(stick)))
    held = events_of(hub)
    ok(tutor(hub, "sync", "revoke", device_of(device)))
    add_event(device)
    ok(tutor(device, "sync", "export", "--to", str(stick)))
    result = tutor(hub, "sync", "import", str(stick))
    assert result.returncode == 1 and "吊销" in result.stderr
    assert events_of(hub) == held


def test_a_forked_device_log_is_kept_aside_and_reported(village, tmp_path):
    device, hub, stick = village
    log = device / "progress" / "logs" / f"{device_of(device)}.jsonl"
    backup = log.read_bytes()
    with EventLog(log, device_of(device)) as events:
        events.append(SOMEONE, "help_requested", {"note": "first"})
    ok(tutor(device, "sync", "export", "--to", str(stick)))
    ok(tutor(hub, "sync", "import", str(stick)))
    held = events_of(hub)
    # The device is restored from an old backup and carries on: same seq, other events.
    log.write_bytes(backup)
    with EventLog(log, device_of(device)) as events:
        events.append(SOMEONE, "help_requested", {"note": "second"})
    stick2 = tmp_path / "stick2"
    stick2.mkdir()
    ok(tutor(device, "sync", "export", "--to", str(stick2), "--all"))
    result = tutor(hub, "sync", "import", str(stick2))
    assert result.returncode == 0
    assert "对不上" in result.stderr
    assert events_of(hub) == held
    (fork,) = (hub / "progress" / "sync" / "forks").iterdir()
    assert b"second" in fork.read_bytes()


def test_a_hub_killed_mid_import_holds_exactly_the_right_events_after_a_rerun(tmp_path):
    devices = []
    stick = tmp_path / "stick"
    stick.mkdir()
    for n in range(4):
        home = tmp_path / f"device{n}"
        ok(tutor(home, "progress", "simulate", "--learners", "4", "--days", "10", "--seed", str(n)))
        ok(tutor(home, "sync", "export", "--to", str(stick)))
        devices.append(home)
    want = sorted(e["hash"] for home in devices for e in events_of(home))
    rng = random.Random(5)
    for attempt in range(6):
        hub = tmp_path / f"hub{attempt}"
        child = subprocess.Popen(
            [sys.executable, "-m", "tutor", "sync", "import", str(stick)],
            cwd=ROOT,
            env={**os.environ, "TUTOR_HOME": str(hub)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.25, 0.9))
        child.send_signal(signal.SIGKILL)
        child.wait()
        ok(tutor(hub, "sync", "import", str(stick)))
        ok(tutor(hub, "progress", "verify"))
        assert sorted(e["hash"] for e in events_of(hub)) == want


def test_a_full_disk_during_export_leaves_no_half_bundle(village, tmp_path):
    device, _, _ = village
    stick = tmp_path / "small"
    stick.mkdir()
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))\n"
        "from tutor.cli import main\n"
        f"sys.exit(main(['sync', 'export', '--to', {str(stick)!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "TUTOR_HOME": str(device)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "没有留下写了一半" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(stick.rglob("*.json")) and not list(stick.rglob("*.jsonl"))


def test_a_stick_carries_other_devices_bundles_onward(village, tmp_path):
    device, hub, stick = village
    ok(tutor(hub, "sync", "import", str(stick)))
    stick2 = tmp_path / "stick2"
    stick2.mkdir()
    ok(tutor(hub, "sync", "export", "--to", str(stick2)))
    county = tmp_path / "county"
    ok(tutor(county, "sync", "import", str(stick2)))
    assert events_of(county) == events_of(device)
