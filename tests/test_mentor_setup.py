"""Shared set-up for the mentor console and help-across-the-room tests (no tests here).

A real hub (`tutor hub serve` on loopback), device homes enrolled through the real commands,
and a learner process: `tutor learn --voice-only` in a child process reading keys from a
pipe, whose speaker is the one fake, at the hardware edge: it writes each sentence it is
given to a transcript file instead of a sound card, so a test can read what was said.
"""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT
from hub_helpers import HubProcess, device_of, new_code, ok, tutor

VILLAGE = "金山村"
LEARNER_NAME = "王大妈"

_LEARNER = """
import json, sys
from tutor.speech.speaker import RecordingSpeaker
from tutor.ui import context

transcript = sys.argv[1]

class TranscriptSpeaker(RecordingSpeaker):
    def say(self, text, string_id=None):
        super().say(text, string_id)
        with open(transcript, "a", encoding="utf-8") as f:
            f.write(json.dumps(text, ensure_ascii=False) + "\\n")

context.LearnerContext.speaker = lambda self, voice, show: TranscriptSpeaker(
    self.profiles[voice]
)
from tutor.cli import main
sys.exit(main(sys.argv[2:]))
"""


def enrol_device(hub: HubProcess, home: Path, village: str = VILLAGE) -> str:
    ok(tutor(home, "sync", "enrol", "--hub", hub.url, "--code", new_code(hub, village)))
    return device_of(home)


def enrol_learner(home: Path, name: str = LEARNER_NAME, village: str = VILLAGE) -> str:
    out = ok(tutor(home, "progress", "enrol", "--name", name, "--village", village,
                   "--language", "zh"))
    found = re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", out)
    assert found, out
    return found.group(0)


class LearnerProcess:
    """`tutor learn --voice-only` on a lesson, keys through a pipe, speech to a transcript."""

    def __init__(self, home: Path, learner: str, lesson: str = "starter/photos"):
        self.home = home
        self.transcript = home / "spoken.jsonl"
        self.transcript.unlink(missing_ok=True)
        command = [sys.executable, "-c", _LEARNER, str(self.transcript),
                   "learn", "--voice-only", "--voice", "zh", "--learner", learner,
                   "--lesson", lesson]
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8",
            env={**os.environ, "TUTOR_HOME": str(home)},
        )

    def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def spoken(self) -> list[str]:
        if not self.transcript.exists():
            return []
        lines = self.transcript.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def wait_for(self, words: str, timeout: float = 20.0) -> float:
        """Seconds until a sentence holding `words` was said."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            if any(words in said for said in self.spoken()):
                return time.monotonic() - began
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError(f"{words!r} was never said; said: {self.spoken()}")

    def close(self) -> tuple[int, str]:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        err = self.process.stderr.read() if self.process.stderr else ""
        return self.process.returncode, err
