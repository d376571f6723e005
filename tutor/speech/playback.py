"""Where finished sound goes: the sound card, or a folder that stands in for it.

pyttsx3's espeak driver plays by running `aplay` inside espeak's callback thread, which needs
alsa-utils and a sound card and cannot be interrupted. So the tutor plays WAV files itself,
through this small interface, and a stop takes effect within one audio block. `DevicePlayback`
is the real output (PortAudio through sounddevice); `FolderPlayback` takes the same time
without a device and keeps a copy of everything played, for tests and for machines without
sound. Only this edge is ever replaced; everything before it really runs.
"""

import shutil
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# How often a playing sound checks for a stop: short enough to feel instant.
_STOP_CHECK_SECONDS = 0.02
_GRACE_SECONDS = 2.0


class PlaybackUnavailable(Exception):
    """No sound output here (no PortAudio, no sound card, or the device refused)."""


class Playback(Protocol):
    def play(self, wav: Path, cancel: threading.Event) -> None:
        """Play `wav` to its end, or until `cancel` is set; never longer than its length."""
        ...


def wav_seconds(wav: Path) -> float:
    """How long a 16-bit PCM WAV file (the kind the tutor makes and keeps) lasts."""
    with wave.open(str(wav), "rb") as f:
        return f.getnframes() / f.getframerate()


class DevicePlayback:
    """The default sound output, through PortAudio."""

    def play(self, wav: Path, cancel: threading.Event) -> None:
        try:
            import sounddevice
        except (ImportError, OSError) as err:  # OSError: the PortAudio library is missing
            raise PlaybackUnavailable(str(err)) from err
        with wave.open(str(wav), "rb") as f:
            rate, channels, width = f.getframerate(), f.getnchannels(), f.getsampwidth()
            data = f.readframes(f.getnframes())
        if width != 2:
            raise ValueError(f"{wav}: expected 16-bit samples")
        done = threading.Event()
        position = 0

        def feed(out: memoryview, frames: int, timing: object, status: object) -> None:
            nonlocal position
            chunk = data[position : position + len(out)]
            out[: len(chunk)] = chunk
            out[len(chunk) :] = b"\0" * (len(out) - len(chunk))
            position += len(chunk)
            if position >= len(data):
                raise sounddevice.CallbackStop

        try:
            stream = sounddevice.RawOutputStream(
                samplerate=rate,
                channels=channels,
                dtype="int16",
                callback=feed,
                finished_callback=done.set,
            )
        except sounddevice.PortAudioError as err:
            raise PlaybackUnavailable(str(err)) from err
        deadline = time.monotonic() + len(data) / (rate * channels * width) + _GRACE_SECONDS
        with stream:
            while not done.wait(_STOP_CHECK_SECONDS):
                if cancel.is_set() or time.monotonic() > deadline:
                    stream.abort()
                    break


@dataclass
class Played:
    """One sound as `FolderPlayback` received it; `seconds` is how long it played."""

    copy: Path
    started: float
    seconds: float = 0.0
    interrupted: bool = False


class FolderPlayback:
    """Plays into a folder: takes the sound's length, stops when told, keeps a copy.

    `speed` above 1 plays that many times faster than real time, for tests that need the
    order of sounds but not their pace.
    """

    def __init__(self, folder: Path, speed: float = 1.0):
        self.folder = folder
        self.speed = speed
        self.played: list[Played] = []
        folder.mkdir(parents=True, exist_ok=True)

    def play(self, wav: Path, cancel: threading.Event) -> None:
        copy = self.folder / f"{len(self.played) + 1:03d}.wav"
        shutil.copyfile(wav, copy)
        played = Played(copy, time.monotonic())
        self.played.append(played)
        played.interrupted = cancel.wait(wav_seconds(wav) / self.speed)
        played.seconds = time.monotonic() - played.started
