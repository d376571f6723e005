"""Record a mentor's take from the microphone, from one key press to the next.

Only `tutor voices record` uses this: a take is short, started and stopped by hand, and
saved as a WAV file for the voice pack, so it needs none of a recognizer's streaming.
"""

import threading
import wave
from pathlib import Path
from typing import Protocol

from tutor.speech.recordings import SAMPLE_RATE


class MicrophoneUnavailable(Exception):
    """No microphone here (no PortAudio, no input device, or the device refused)."""


class Microphone(Protocol):
    def open(self) -> None:
        """Check that a microphone exists, or raise MicrophoneUnavailable."""
        ...

    def start(self) -> None: ...

    def stop(self, wav: Path) -> None:
        """Stop recording and write what was heard since `start` to `wav`."""
        ...


class DeviceMicrophone:
    """The input device as `tutor listen --mic` opens it (its own rate, resampled to 16 kHz
    mono), recorded from `start` to `stop` by a thread that drains it."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._source = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def open(self) -> None:
        from tutor.speech.mic import DeviceSource

        DeviceSource().close()

    def start(self) -> None:
        from tutor.speech.mic import DeviceSource

        self._chunks = []
        self._stopping.clear()
        self._source = DeviceSource()
        self._thread = threading.Thread(target=self._drain, name="take", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        try:
            for block in self._source.blocks():
                self._chunks.append(block)
                if self._stopping.is_set():
                    return
        except MicrophoneUnavailable:
            return

    def stop(self, wav: Path) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=3.0)
        if self._source is not None:
            self._source.close()
            self._source = None
        with wave.open(str(wav), "wb") as f:
            f.setnchannels(1)
            f.setsampwidth(2)
            f.setframerate(SAMPLE_RATE)
            f.writeframes(b"".join(self._chunks))
