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
    """The default input device through PortAudio, 16 kHz mono 16-bit."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._lock = threading.Lock()
        self._stream = None

    def open(self) -> None:
        try:
            import sounddevice
        except (ImportError, OSError) as err:  # OSError: no PortAudio library
            raise MicrophoneUnavailable(str(err)) from err
        try:
            device = sounddevice.query_devices(kind="input")
        except sounddevice.PortAudioError as err:  # no input device at all
            raise MicrophoneUnavailable(str(err)) from err
        if not device or device.get("max_input_channels", 0) < 1:
            raise MicrophoneUnavailable("no input channels")

    def start(self) -> None:
        import sounddevice

        self._chunks = []

        def keep(data: memoryview, frames: int, timing: object, status: object) -> None:
            with self._lock:
                self._chunks.append(bytes(data))

        try:
            self._stream = sounddevice.RawInputStream(
                samplerate=SAMPLE_RATE, channels=1, dtype="int16", callback=keep
            )
            self._stream.start()
        except sounddevice.PortAudioError as err:
            raise MicrophoneUnavailable(str(err)) from err

    def stop(self, wav: Path) -> None:
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()
            self._stream = None
        with self._lock:
            audio = b"".join(self._chunks)
        with wave.open(str(wav), "wb") as f:
            f.setnchannels(1)
            f.setsampwidth(2)
            f.setframerate(SAMPLE_RATE)
            f.writeframes(audio)
