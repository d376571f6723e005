"""From `tutor` to the first prompt on screen and the first word handed to the speaker, on
one core, with peak memory, beside `python -c "import textual"` in the same run.

Two measurements:

- the real command in a real terminal: `tutor` (pinned to core 0) in a detached tmux pane at
  80x24, timed until the prompt's text is in the pane (`capture-pane` every 10 ms): first
  run (the language question) and a returning learner (home);
- the same app in a child process, headless, timed from the child's start to the first
  prompt shown and to the first sentence handed to the real speaker, with the child's peak
  resident memory.

Target (issue 6): first prompt under 1.5 s on one core. Run:
`.venv/bin/python benchmarks/app_startup.py [--runs N]`. The real speaker speaks: run it
where a voice in the room does not matter.
"""

import argparse
import asyncio
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import pinned, publish, time_command
from startup import loaded_heavy_modules

TARGET_S = 1.5
TUTOR = str(Path(sys.executable).with_name("tutor"))
FIRST_RUN_TEXT = "请按"
HOME_TEXT = "今天想学什么"


def _prepared_home(with_learner: bool) -> Path:
    home = Path(tempfile.mkdtemp(prefix="tutor-bench-"))
    if with_learner:
        env = {**os.environ, "TUTOR_HOME": str(home)}
        code = "from tutor.ui.context import LearnerContext as C; c = C(); c.enrol('a', 'zh', 'zh')"
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return home


def _pane(name: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True
    ).stdout


def terminal_once(with_learner: bool) -> float:
    """Seconds from starting `tutor` in a tmux pane to its first prompt's text in the pane."""
    home = _prepared_home(with_learner)
    name = f"bench-{os.getpid()}-{time.monotonic_ns()}"
    wanted = HOME_TEXT if with_learner else FIRST_RUN_TEXT
    exports = [f"TUTOR_HOME={home}", "TERM=xterm-256color", "LANG=C.UTF-8"]
    command = ["tmux", "new-session", "-d", "-s", name, "-x", "80", "-y", "24"]
    try:
        start = time.perf_counter()
        subprocess.run([*command, "env", *exports, *pinned([TUTOR])], check=True)
        while time.perf_counter() - start < 30:
            if wanted in _pane(name):
                return time.perf_counter() - start
            time.sleep(0.01)
        raise RuntimeError(f"no prompt after 30 s:\n{_pane(name)}")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def headless_once(with_learner: bool) -> dict[str, float]:
    """The child below, pinned: times from its start, and its peak memory."""
    home = _prepared_home(with_learner)
    try:
        env = {**os.environ, "TUTOR_HOME": str(home)}
        started = time.time()
        result = subprocess.run(
            pinned([sys.executable, __file__, "--child", str(started)]),
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(home, ignore_errors=True)


def child(started: float) -> None:
    """Run the app headless until its first prompt is drawn and its first word is said."""
    from tutor.ui.app import TutorApp
    from tutor.ui.context import LearnerContext
    from tutor.ui.screens.prompt import PromptScreen

    first_word: list[float] = []
    ctx = LearnerContext()

    class Timed:
        """The real speaker, noting when it is handed its first sentence."""

        def __init__(self, voice: str):
            self.inner = ctx.speaker(voice, lambda text: None)

        def __getattr__(self, name: str):
            return getattr(self.inner, name)

        def say(self, text: str, string_id: str | None = None) -> None:
            if not first_word:
                first_word.append(time.time())
            self.inner.say(text, string_id)

    app = TutorApp(ctx, speakers=Timed)

    async def run() -> float:
        async with app.run_test(size=(80, 24)):
            while not (isinstance(app.screen, PromptScreen) and app.screen.prompt is not None):
                await asyncio.sleep(0.005)
            shown = time.time()  # the frame with the prompt is drawn before anything is said
            while not first_word:
                await asyncio.sleep(0.005)
            return shown

    shown = asyncio.run(run())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    app.close_speech(0.0)
    timings = {
        "first_prompt_s": shown - started,
        "first_word_s": first_word[0] - started,
        "peak_mb": peak_mb,
    }
    print(json.dumps(timings))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return 0
    rows = []
    for label, command in {
        "python -c pass (baseline)": [sys.executable, "-c", "pass"],
        'python -c "import textual" (baseline)': [sys.executable, "-c", "import textual"],
        'python -c "import textual.app" (baseline)': [sys.executable, "-c", "import textual.app"],
    }.items():
        timing = time_command(command, args.runs)
        rows.append({"measure": label, "median_s": timing["median_s"], "min_s": timing["min_s"]})
    help_heavy = loaded_heavy_modules([TUTOR, "--help"])
    if shutil.which("tmux"):
        for label, learner in (("first run", False), ("returning learner", True)):
            terminal_once(learner)  # warm-up: file caches, compiled bytecode
            samples = sorted(terminal_once(learner) for _ in range(args.runs))
            rows.append(
                {
                    "measure": f"tutor -> first prompt in tmux pane ({label})",
                    "median_s": statistics.median(samples),
                    "min_s": samples[0],
                }
            )
    for label, learner in (("first run", False), ("returning learner", True)):
        headless_once(learner)
        samples = [headless_once(learner) for _ in range(args.runs)]
        for key, what in (("first_prompt_s", "first prompt"), ("first_word_s", "first word")):
            values = sorted(s[key] for s in samples)
            rows.append(
                {
                    "measure": f"headless app -> {what} ({label})",
                    "median_s": statistics.median(values),
                    "min_s": values[0],
                    "peak_mb": max(s["peak_mb"] for s in samples),
                }
            )
    prompt_rows = [r for r in rows if "first prompt" in r["measure"]]
    passed = all(r["median_s"] < TARGET_S for r in prompt_rows) and "textual" not in help_heavy
    publish(
        "app_startup",
        rows,
        ["measure", "median_s", "min_s", "peak_mb"],
        {"target_first_prompt_s": TARGET_S, "help_heavy_imports": help_heavy, "passed": passed},
    )
    print(f"first prompt target < {TARGET_S} s on one core, tutor --help without textual: "
          f"{'PASS' if passed else 'FAIL'}")  # fmt: skip
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
