"""The real `tutor` in a real terminal (tmux, 80x24): first run, a whole lesson by keys with
30 random wrong keys pressed along the way and the practice answer typed, the screen read
back, the log checked after.

The keys thrown in are ones a learner hits by mistake: letters and digits that mean nothing
on that screen, and the harmless commands (repeat, slower, colours, smaller text). On the
practice step they land in the answer box, as they would for a learner, and the typed answer
still names the ideas asked for. The tutor speaks, so the test runs only where there is no
sound output to play it on.
"""

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor.progress import events as ev
from tutor.progress.home import LOG_SUFFIX, logs_dir
from tutor.progress.store import read_events

TUTOR = str(Path(sys.executable).with_name("tutor"))
STRAY_KEYS = [*"acdegijklmnouvwxyz", "7", "8", "9", "0", "r", "s", "t", "-", ",", "/"]
WRONG_KEYS = 30

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


class Terminal:
    """One detached tmux session running a command at 80x24."""

    def __init__(self, name: str, command: list[str], env: dict[str, str]):
        self.name = name
        exports = [f"{key}={value}" for key, value in env.items()]
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", name, "-x", "80", "-y", "24",
             "env", *exports, *command],
            check=True,
        )  # fmt: skip
        subprocess.run(["tmux", "set-option", "-t", name, "remain-on-exit", "on"], check=True)

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def wait_for(self, text: str, seconds: float = 20.0) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def press(self, key: str) -> None:
        named = {"space": "Space", "enter": "Enter"}
        if key in named:
            subprocess.run(["tmux", "send-keys", "-t", self.name, named[key]], check=True)
        else:
            subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", key], check=True)
        time.sleep(0.35)  # slower than the debounce, as a person presses keys

    def type(self, text: str) -> None:
        """Text as an input method sends it once a word is chosen, then Enter."""
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)
        time.sleep(0.35)
        self.press("enter")

    def exited(self) -> bool:
        dead = subprocess.run(
            ["tmux", "display-message", "-p", "-t", self.name, "#{pane_dead}"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        return dead == "1"

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def test_a_lesson_by_keys_in_a_real_terminal_with_30_wrong_keys(tmp_path, no_sound_output):
    home = tmp_path / "home"
    env = {"TUTOR_HOME": str(home), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    env |= {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    env |= {key: os.environ[key] for key in ("PYTHONPATH",) if key in os.environ}
    rng = random.Random(6)
    # Where the wrong keys go: spread over the screens before the summary, 30 in all.
    stops = 8
    spread = [WRONG_KEYS // stops + (1 if i < WRONG_KEYS % stops else 0) for i in range(stops)]
    stray = iter(spread)
    pressed: list[str] = []

    terminal = Terminal(f"tutor-{os.getpid()}", [TUTOR], env)
    try:

        def fumble() -> None:
            for _ in range(next(stray)):
                key = rng.choice(STRAY_KEYS)
                pressed.append(key)
                terminal.press(key)

        terminal.wait_for("说普通话，请按3")
        fumble()
        terminal.press("3")
        terminal.wait_for("今天想学什么")
        fumble()
        terminal.press("1")
        for step_text, key in [
            ("买家看不到", "space"),
            ("哪种光拍出来最真实", "1"),
            ("背景要干净", "space"),
            ("再拍一张", "space"),
            ("说一说", "个头和颜色"),
            ("记住三件事", "space"),
        ]:
            terminal.wait_for(step_text)
            fumble()
            if len(key) == 1 or key == "space":
                terminal.press(key)
            else:
                terminal.type(key)
        shown = terminal.wait_for("这一课学完了")
        assert "用手机拍好农产品" in shown and "每一题都答对了" in shown
        assert "按任意键回到开始的地方" in shown
        assert "第6步，共6步" in shown
        terminal.press("space")
        shown = terminal.wait_for("今天想学什么")
        assert "接着学：写一个老实的商品标题" in shown
        terminal.press("q")
        terminal.wait_for("今天就学到这里吗")
        terminal.press("1")
        deadline = time.monotonic() + 20
        while not terminal.exited() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert terminal.exited()
    finally:
        terminal.close()
    assert len(pressed) == WRONG_KEYS

    events = [e for log in logs_dir(home).glob(f"*{LOG_SUFFIX}") for e in read_events(log)]
    types = [e["type"] for e in events]
    assert types.count(ev.LEARNER_ENROLLED) == 1
    assert types.count(ev.LESSON_COMPLETED) == 1
    chosen, typed = [e["data"] for e in events if e["type"] == ev.STEP_ANSWERED]
    assert (chosen["choice"], chosen["correct"], chosen["via"]) == ("1", True, "key")
    assert (typed["step"], typed["correct"], typed["via"]) == (4, True, "key")
    # The stray commands left their harmless marks: settings, never answers.
    assert all(e["type"] != ev.ANSWER_UNDONE for e in events)
    verified = subprocess.run(
        [TUTOR, "progress", "verify"], env={**os.environ, **env}, capture_output=True, text=True
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_drill_from_the_home_screen_in_a_real_terminal(tmp_path, no_sound_output):
    """Home, the drills, the honey drill by keys: the live numbers on screen, "?" says them,
    the debrief at the end; then home and quit. The run is in the log with its path."""
    home = tmp_path / "home"
    env = {"TUTOR_HOME": str(home), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    env |= {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "TUTOR_LANG": "zh"}
    env |= {key: os.environ[key] for key in ("PYTHONPATH",) if key in os.environ}
    terminal = Terminal(f"tutor-drill-{os.getpid()}", [TUTOR], env)
    try:
        terminal.wait_for("说普通话，请按3")
        terminal.press("3")
        shown = terminal.wait_for("今天想学什么")
        assert "练一练" in shown
        terminal.press("4")
        terminal.wait_for("想练哪一个")
        terminal.press("1")
        shown = terminal.wait_for("糖水兑的吧")
        assert "在线人数 800" in shown and "█" in shown
        terminal.press("?")
        terminal.wait_for("现在：在线人数800")
        for key in ["1", "1", "1"]:
            terminal.press(key)
        terminal.wait_for("我们一起回头看看这场直播")
        shown = terminal.wait_for("换个情况再来一次")
        assert "不练了" in shown and "守规矩 100" in shown
        terminal.press("3")
        terminal.wait_for("今天想学什么")
        terminal.press("q")
        terminal.wait_for("今天就学到这里吗")
        terminal.press("1")
        deadline = time.monotonic() + 20
        while not terminal.exited() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert terminal.exited()
    finally:
        terminal.close()
    events = [e for log in logs_dir(home).glob(f"*{LOG_SUFFIX}") for e in read_events(log)]
    [finished] = [e["data"] for e in events if e["type"] == ev.DRILL_FINISHED]
    assert finished["drill"] == "quality-honey" and finished["path"] == ["1", "1", "1"]
