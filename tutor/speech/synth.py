"""Text to WAV file through the pyttsx3 worker process, with a timeout on every wait.

The worker (tutor/speech/synth_worker.py) owns the one pyttsx3 engine; this side starts it,
sends it one sentence at a time and never waits for it without a limit: a worker that does
not answer in time is killed, and the next sentence starts a fresh one.
"""

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import tutor

# A cold start on a Raspberry Pi 4 class board (Python, pyttsx3, espeak data) stays well
# under this; a worker that takes longer is treated as broken.
STARTUP_TIMEOUT = 20.0
_SECONDS_PER_CHARACTER = 0.05
_MIN_SYNTH_TIMEOUT = 10.0
_PACKAGE_ROOT = str(Path(tutor.__file__).resolve().parent.parent)


class SpeechUnavailable(Exception):
    """The engine cannot speak at all here: pyttsx3 or espeak-ng missing, or no such voice."""


class SynthesisFailed(Exception):
    """One sentence could not be made into sound; the next may well work."""


class Synthesizer:
    """One worker process for one espeak-ng voice."""

    def __init__(self, voice: str):
        self.voice = voice
        self._process: subprocess.Popen[str] | None = None
        self._answers: queue.Queue[dict | None] = queue.Queue()
        self._lock = threading.Lock()

    def start(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Start the worker (if it is not running) and wait until its engine has spoken once."""
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                return
            env = {
                **os.environ,
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")])
                ),
            }
            try:
                self._process = subprocess.Popen(
                    [sys.executable, "-m", "tutor.speech.synth_worker", self.voice],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    text=True,
                    encoding="utf-8",
                    env=env,
                )
            except OSError as err:
                raise SpeechUnavailable(str(err)) from err
            self._answers = queue.Queue()
            threading.Thread(
                target=_read_answers, args=(self._process, self._answers), daemon=True
            ).start()
            answer = self._next_answer(timeout)
            if answer is None or not answer.get("ready"):
                self._kill()
                reason = "no answer" if answer is None else answer.get("error", "no answer")
                raise SpeechUnavailable(reason)

    def synthesize(self, text: str, rate: int, path: Path) -> None:
        """Write `text` (already speakable, see pronounce.py) as a WAV file at `path`."""
        self.start()
        timeout = max(_MIN_SYNTH_TIMEOUT, len(text) * _SECONDS_PER_CHARACTER)
        with self._lock:
            process = self._process
            assert process is not None and process.stdin is not None
            request = {"text": text, "rate": rate, "path": str(path.absolute())}
            try:
                process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
                process.stdin.flush()
            except OSError as err:
                self._kill()
                raise SynthesisFailed(str(err)) from err
            answer = self._next_answer(timeout)
            if answer is None:
                self._kill()
                raise SynthesisFailed("the speech engine did not answer")
            if "error" in answer:
                raise SynthesisFailed(answer["error"])

    def close(self, timeout: float = 2.0) -> None:
        """End the worker: politely (end of input), then by force after `timeout`.

        Not under the lock: a sentence being made holds it, and ending the worker is what
        makes that sentence give up at once instead of after its own timeout.
        """
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin is not None:
                process.stdin.close()
            process.wait(timeout)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait(timeout)

    def _next_answer(self, timeout: float) -> dict | None:
        try:
            return self._answers.get(timeout=timeout)
        except queue.Empty:
            return None

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


def _read_answers(process: subprocess.Popen[str], answers: queue.Queue[dict | None]) -> None:
    """Hand each JSON line the worker writes to the waiting side; None when it has ended."""
    assert process.stdout is not None
    for line in process.stdout:
        try:
            answers.put(json.loads(line))
        except json.JSONDecodeError:
            continue
    answers.put(None)
