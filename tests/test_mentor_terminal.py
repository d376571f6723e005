"""`tutor mentor` in a real terminal (tmux, 80x24), on a small hub of its own: a learner
device enrolled with a code the console shows (F6) raises help, the request is on the screen, the
mentor types a hint and presses Enter, and the device gets it; Ctrl+Q closes the console
and the hub it started."""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hub_helpers import ok, tutor
from hub_servers import HubProcess, free_port
from test_mentor_setup import LEARNER_NAME, VILLAGE, enrol_learner
from test_terminal import Terminal

from tutor.progress.helpline import Helpline
from tutor.progress.hublink import load_link
from tutor.progress.store import open_log

TUTOR = str(Path(sys.executable).with_name("tutor"))

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


def _keys(terminal: Terminal, *keys: str) -> None:
    subprocess.run(["tmux", "send-keys", "-t", terminal.name, *keys], check=True)
    time.sleep(0.3)


def test_the_console_on_its_own_hub_in_a_real_terminal(tmp_path):
    mentor_home, learner_home = tmp_path / "mentor", tmp_path / "learner"
    port = free_port()
    env = {"TUTOR_HOME": str(mentor_home), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    env |= {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    terminal = Terminal(
        f"mentor-{os.getpid()}",
        [TUTOR, "mentor", "--village", VILLAGE, "--host", "127.0.0.1", "--port", str(port)],
        env,
    )
    replies = []
    line = None
    try:
        terminal.wait_for("没有人在等帮助", seconds=40)
        # The console's own hub: a learner device enrols with a code from it.
        hub = HubProcess(mentor_home, port=port)
        _keys(terminal, "F6")  # a one-time code for the learner's device, on the screen
        code = re.search(r"登记号码：(\d{3}) (\d{3})", terminal.wait_for("登记号码"))
        assert code, terminal.screen()
        ok(tutor(learner_home, "sync", "enrol", "--hub", hub.url, "--code",
                 code.group(1) + code.group(2)))
        _keys(terminal, "F1")
        learner = enrol_learner(learner_home)
        link = load_link(learner_home)
        line = Helpline(link.device, link, replies.append, learner_home, poll_s=0.2)
        with open_log(link.device, learner_home) as log:
            line.ask(log, learner, {"pack": "starter", "lesson": "photos", "step": 1},
                     prompt="哪种光拍出来最真实？", heard="我不会", name=LEARNER_NAME)
        shown = terminal.wait_for("我不会", seconds=10)
        assert "求助在等着" in shown and LEARNER_NAME in shown
        terminal.press("开窗拍")
        _keys(terminal, "Enter")
        deadline = time.monotonic() + 10
        while not replies and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [r.hint for r in replies] == ["开窗拍"]
        terminal.wait_for("没有人在等帮助", seconds=10)
        _keys(terminal, "F3")
        terminal.wait_for(LEARNER_NAME, seconds=30)  # synced from the hub into the roster
        _keys(terminal, "C-q")
        deadline = time.monotonic() + 20
        while not terminal.exited() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert terminal.exited()
    finally:
        if line is not None:
            line.close()
        terminal.close()
    assert not HubProcess(mentor_home, port=port).healthy(), "the console left its hub running"
