"""A learner's answers survive the tutor being killed and the power being cut.

The crash test spawns a real child process that appends events and prints each seq once
`append_batch` has returned (the event is acknowledged), and SIGKILLs it at a random moment,
200 times: while Python starts, while the log opens, between appends, in the middle of one.
After every kill the tutor must start (open the log, setting aside a torn last line, and
fold it), the log must then verify, and every acknowledged event must be in it.

A kill can tear a write that crosses a page boundary (Linux stops a write between pages for
a fatal signal), and a power cut can leave a file ending in the middle of a line or in
zeros. The power-cut tests cut a real log at every byte of its last line and check it is
set aside and the chain goes on.
"""

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, run_tutor

from tutor.progress.identity import device_identity
from tutor.progress.records import check_logs, set_aside_files
from tutor.progress.snapshot import load_progress
from tutor.progress.store import open_log, read_events

LEARNER = "6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
ANSWER = {
    "pack": "starter",
    "lesson": "pricing",
    "step": 4,
    "choice": "1",
    "decision": "accept",
    "correct": True,
    "attempts": 1,
    "seconds": 2.5,
    "via": "key",
}
CHILD = f"""
import random, sys, time
from pathlib import Path
from tutor.progress.identity import device_identity
from tutor.progress.store import Draft, open_log

home = Path(sys.argv[1])
rng = random.Random(int(sys.argv[2]))
log = open_log(device_identity(home).id, home)
while True:
    drafts = [Draft({LEARNER!r}, "step_answered", {ANSWER!r})] * rng.randint(1, 3)
    for event in log.append_batch(drafts):
        sys.stdout.write(f"{{event['seq']}}\\n")
    sys.stdout.flush()
    time.sleep(rng.uniform(0, 0.002))  # a busy village session, not a tight loop
"""


def _kill_at_random(home, rng: random.Random) -> set[int]:
    """Start a child appending, SIGKILL it after a random while; the seqs it acknowledged."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(home), str(rng.randrange(1 << 30))],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(rng.uniform(0.0, 0.2))
    child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, err.decode()
    return {int(line) for line in out.decode().split()}


def test_killed_two_hundred_times_no_acknowledged_answer_is_lost(tmp_path):
    rng = random.Random(5)
    acknowledged: set[int] = set()
    total = 0
    for kill in range(200):
        # A fresh device every 50 kills, so first runs are killed too and the full
        # verification after each kill stays quick.
        home = tmp_path / f"home-{kill // 50}"
        if kill % 50 == 0:
            total += len(acknowledged)
            acknowledged = set()
        acknowledged |= _kill_at_random(home, rng)
        if not (home / "progress" / "device").exists():
            continue  # killed before the first run made the identity: nothing was written
        device = device_identity(home)
        with open_log(device.id, home) as log:  # the tutor starts: the log opens for writing
            for aside in log.set_aside:  # a write torn by the kill: never acknowledged
                assert b"\n" not in aside.read_bytes()[:-1], f"kill {kill}: whole lines set aside"
        problem = check_logs(home)[2]
        assert problem is None, f"kill {kill}: {problem}"
        seqs = [event["seq"] for event in read_events(log.path)]
        assert seqs == list(range(1, len(seqs) + 1))
        assert acknowledged <= set(seqs), f"kill {kill}: lost {sorted(acknowledged - set(seqs))}"
        assert load_progress(home).heads.get(device.id, 0) == len(seqs)
        if kill % 20 == 19:
            result = run_tutor("progress", "verify", env={"TUTOR_HOME": str(home)})
            assert result.returncode == 0, result.stderr
    assert total + len(acknowledged) > 1000  # the children really wrote, not only died starting


def _log_with_events(home, count: int):
    device = device_identity(home)
    with open_log(device.id, home) as log:
        for _ in range(count):
            log.append(LEARNER, "step_answered", ANSWER)
    return device, log.path


@pytest.mark.parametrize("tail", ["cut", "zeros", "garbage-line"])
def test_a_power_cut_tail_is_set_aside_and_the_chain_goes_on(tmp_path, tail):
    home = tmp_path / "home"
    device, path = _log_with_events(home, 4)
    whole = path.read_bytes()
    last_start = whole.rindex(b"\n", 0, len(whole) - 1) + 1
    for cut in range(last_start, len(whole)):
        damaged = {
            "cut": whole[:cut],
            "zeros": whole[:cut] + b"\0" * (len(whole) - cut),
            "garbage-line": whole[:cut] + b"\0\0{not json\n",
        }[tail]
        path.write_bytes(damaged)
        for old in set_aside_files(home):
            old.unlink()
        with open_log(device.id, home) as log:
            torn = damaged[last_start:]
            assert [p.read_bytes() for p in log.set_aside] == ([torn] if torn else [])
            assert path.read_bytes() == whole[:last_start]
            assert log.append(LEARNER, "step_answered", ANSWER)["seq"] == 4
        assert check_logs(home)[2] is None


def test_a_torn_tail_fails_verify_until_the_tutor_sets_it_aside(tmp_path):
    home = tmp_path / "home"
    device, path = _log_with_events(home, 3)
    with path.open("ab") as f:
        f.write(b'{"at":"2025-0')
    env = {"TUTOR_HOME": str(home)}
    before = run_tutor("progress", "verify", env=env)
    assert before.returncode == 1
    assert len(before.stderr.strip().splitlines()) == 1
    assert "第 4 行" in before.stderr and "最后一行没写完" in before.stderr
    with open_log(device.id, home) as log:
        assert len(log.set_aside) == 1
    after = run_tutor("progress", "verify", env=env)
    assert after.returncode == 0, after.stderr
    assert "3 条记录" in after.stdout
    assert "另存" in after.stderr  # the set-aside file is named, never deleted


def test_two_processes_appending_at_once_keep_one_chain(tmp_path):
    home = tmp_path / "home"
    device_identity(home)
    script = (
        "import sys\nfrom pathlib import Path\n"
        "from tutor.progress.identity import device_identity\n"
        "from tutor.progress.store import open_log\n"
        "home = Path(sys.argv[1])\n"
        "log = open_log(device_identity(home).id, home)\n"
        f"for _ in range(60):\n    log.append({LEARNER!r}, 'step_answered', {ANSWER!r})\n"
    )
    children = [
        subprocess.Popen([sys.executable, "-c", script, str(home)], cwd=ROOT) for _ in range(3)
    ]
    assert [child.wait(timeout=120) for child in children] == [0, 0, 0]
    logs, events, problem = check_logs(home)
    assert (logs, events, problem) == (1, 180, None)
    assert os.listdir(home / "progress" / "logs") == [f"{device_identity(home).id}.jsonl"]
