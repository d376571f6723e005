"""The pyttsx3 engine in a process of its own, turning text into WAV files on request.

`python -m tutor.speech.synth_worker VOICE` answers JSON lines on standard input
(`{"text", "rate", "path"}`) with JSON lines on standard output (`{"done": path}` or
`{"error": reason}`), after a first line that says whether the engine works at all.

Why a process, and why only `save_to_file`: pyttsx3 2.99's espeak driver (checked in its
source and by running it) speaks only the last `say()` queued before `runAndWait()`, returns
from `runAndWait()` before the sound is made (synthesis goes on in espeak's own thread),
plays sound by running `aplay` from that thread (so it needs alsa-utils and a sound card, and
cannot be interrupted), keeps writing every later utterance into the last `save_to_file`
target, prints "Audio saved to ..." on standard output, reports a voice that does not exist
only through an "error" callback, and can initialise espeak only once per process. Here one
engine gets exactly one `save_to_file` per `runAndWait()`, each to its own file, and
completion is the "finished-utterance" callback, awaited with a timeout; the tutor plays the
file itself and can stop it at once. A hang or crash in the engine ends this process only:
the parent kills it after its own timeout and starts another.

One more fault shows only under load: every `runAndWait()` calls the driver's `stop()`,
which cancels espeak when it is still busy, and espeak's cancel drops queued commands and
restores its earlier parameters. A rate set just before (a queued command) is then lost, or
the new sentence is cut to nothing. So a rate is set only while the driver is idle, and
`runAndWait()` is called only once espeak has no command pending.
"""

import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

# espeak-ng synthesises far faster than real time; these only guard against a hang.
_SYNTH_TIMEOUT = 30.0
_IDLE_TIMEOUT = 5.0
_IDLE_POLL = 0.002


class _Engine:
    """One pyttsx3 engine, used strictly one file at a time."""

    def __init__(self, voice: str):
        import pyttsx3
        from pyttsx3.drivers import _espeak

        self._engine = pyttsx3.init()
        self._espeak = _espeak
        self._finished = threading.Event()
        self._completed = False
        self._errors: list[str] = []
        self._engine.connect("finished-utterance", self._on_finished)
        self._engine.connect("error", self._on_error)
        self._engine.setProperty("voice", voice)

    def _on_finished(self, completed: bool = False, **_: Any) -> None:
        self._completed = completed
        self._finished.set()

    def _on_error(self, exception: BaseException | None = None, **_: Any) -> None:
        self._errors.append(str(exception))

    def write(self, text: str, rate: int | None, path: str) -> None:
        """Synthesise `text` into the WAV file `path`, or raise RuntimeError saying why not.

        `rate` None keeps the current rate: the first sentence after start-up must not set
        one, because the driver is not idle until it has finished a sentence.
        """
        # The driver writes the file in espeak's thread, where a failure would only leave us
        # waiting: find out here that the file can be written at all.
        Path(path).write_bytes(b"")
        self._finished.clear()
        self._errors.clear()
        if rate is not None:
            self._wait_until(lambda: not self._engine.isBusy())
            self._engine.setProperty("rate", rate)
        self._engine.save_to_file(text, path)
        self._wait_until(lambda: not self._espeak.IsPlaying())
        self._engine.runAndWait()
        if not self._finished.wait(_SYNTH_TIMEOUT):
            raise RuntimeError("espeak did not finish")
        if self._errors:
            raise RuntimeError(self._errors[0])
        if not self._completed or Path(path).stat().st_size <= 44:
            raise RuntimeError("no sound was written")

    @staticmethod
    def _wait_until(ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + _IDLE_TIMEOUT
        while not ready():
            if time.monotonic() > deadline:
                raise RuntimeError("espeak stayed busy")
            time.sleep(_IDLE_POLL)


def _answer(out: TextIO, **message: Any) -> None:
    out.write(json.dumps(message, ensure_ascii=False) + "\n")
    out.flush()


def _protocol_stdout() -> TextIO:
    """Keep standard output for answers; send pyttsx3's own prints to /dev/null."""
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as we do
    return answers


def serve(voice: str) -> int:
    answers = _protocol_stdout()
    try:
        engine = _Engine(voice)
        # A first sentence proves the voice exists (a wrong one only raises in a callback)
        # and loads the voice's data, so the learner's first sentence is not the slow one.
        with tempfile.TemporaryDirectory() as folder:
            engine.write("a", None, str(Path(folder) / "warm-up.wav"))
    except Exception as err:  # the engine is unusable, whatever the reason: say why
        _answer(answers, error=f"{type(err).__name__}: {err}")
        return 1
    _answer(answers, ready=True)
    for line in sys.stdin:
        try:
            request = json.loads(line)
            engine.write(request["text"], int(request["rate"]), request["path"])
        except Exception as err:  # one bad sentence must not end the worker
            _answer(answers, error=f"{type(err).__name__}: {err}")
        else:
            _answer(answers, done=request["path"])
    return 0


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1]))
