"""Listening on a real microphone: capture, endpointing, the live transcript, the decision.

The microphone sits behind `AudioSource` so that everything after the hardware (resampling,
endpointing, recognition) is the same code under test as in a village: tests feed a WAV
file through `FileSource` at the pace a microphone would.
"""

import queue
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from tutor.speech.audio_in import MODEL_RATE, level, read_wav, to_model_pcm
from tutor.speech.capture import MicrophoneUnavailable
from tutor.speech.grammar import build_grammar
from tutor.speech.hearing import recognize
from tutor.speech.listener import Heard, PartialCallback
from tutor.speech.vosk_engine import VoskEngine
from tutor.understand.engine import Understander
from tutor.understand.expectation import Expectation

BLOCK_SECONDS = 0.1


class AudioSource(Protocol):
    def blocks(self) -> Iterator[bytes]:
        """Model-rate 16-bit mono PCM, one block about every BLOCK_SECONDS, until closed."""
        ...

    def close(self) -> None: ...


class DeviceSource:
    """The input device through PortAudio, at its own rate, resampled to the model's."""

    def __init__(self, device: int | str | None = None):
        try:
            import sounddevice
        except (ImportError, OSError) as err:  # OSError: the PortAudio library is missing
            raise MicrophoneUnavailable(str(err)) from err
        self._queue: queue.Queue[np.ndarray] = queue.Queue()
        try:
            info = sounddevice.query_devices(device, kind="input")
            self._rate = int(info["default_samplerate"])
            self._stream = sounddevice.InputStream(
                device=device,
                samplerate=self._rate,
                channels=1,
                dtype="float32",
                blocksize=int(self._rate * BLOCK_SECONDS),
                callback=lambda data, frames, timing, status: self._queue.put(data[:, 0].copy()),
            )
            self._stream.start()
        except (sounddevice.PortAudioError, ValueError) as err:  # none, busy or broken
            raise MicrophoneUnavailable(str(err)) from err

    def blocks(self) -> Iterator[bytes]:
        while True:
            try:
                yield to_model_pcm(self._queue.get(timeout=2.0), self._rate)
            except queue.Empty as err:
                raise MicrophoneUnavailable("the microphone stopped sending sound") from err

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()


class FileSource:
    """A WAV file played into the listener as a microphone would, then a quiet room."""

    def __init__(self, path: Path, pace: float = 0.0):
        self._pcm = read_wav(path)
        self._pace = pace
        self._closed = False

    def blocks(self) -> Iterator[bytes]:
        step = int(MODEL_RATE * BLOCK_SECONDS) * 2
        silence = bytes(step)
        offset = 0
        while not self._closed:
            chunk = self._pcm[offset : offset + step] if offset < len(self._pcm) else silence
            offset += step
            if self._pace:
                time.sleep(BLOCK_SECONDS * self._pace)
            yield chunk.ljust(step, b"\0")

    def close(self) -> None:
        self._closed = True


@dataclass
class Endpointer:
    """Speech starts when the level rises well above the room's noise; it ends after a
    stretch of quiet, or at a hard cap so a radio in the room cannot keep the tutor waiting."""

    trailing_silence: float = 0.8
    max_speech: float = 8.0
    wait_for_speech: float = 8.0
    floor: float = 0.005
    started: float | None = None
    quiet: float = 0.0
    elapsed: float = 0.0

    def feed(self, loudness: float, seconds: float) -> str:
        """'waiting', 'speaking', 'done' or 'timeout'."""
        self.elapsed += seconds
        loud = loudness > max(0.01, self.floor * 3)
        if self.started is None:
            if loud:
                self.started = self.elapsed - seconds
                return "speaking"
            self.floor = 0.9 * self.floor + 0.1 * loudness
            return "timeout" if self.elapsed >= self.wait_for_speech else "waiting"
        self.quiet = 0.0 if loud else self.quiet + seconds
        if self.quiet >= self.trailing_silence or self.elapsed - self.started >= self.max_speech:
            return "done"
        return "speaking"


class MicrophoneListener:
    """Listens for one answer: live partials while speaking, then the checked decision's
    input (grammar pass, N-best, free pass) over the whole utterance."""

    def __init__(self, engine: VoskEngine, understander: Understander, source: AudioSource):
        self.engine = engine
        self.understander = understander
        self.source = source
        self.seconds_after_speech = 0.0
        """How long the last answer took to decode once the endpointer heard its end."""

    def listen(
        self, expectation: Expectation, on_partial: PartialCallback | None = None
    ) -> Heard | None:
        grammar = build_grammar(
            expectation, self.understander.lexicon, self.engine.known, self.engine.unknown_token
        )
        stream = self.engine.stream(grammar)
        second_opinion = self.engine.stream(None)
        endpointer = Endpointer()
        kept: list[bytes] = []
        lead_in = bytes(int(MODEL_RATE * 0.3) * 2)
        for block in self.source.blocks():
            loudness = level(block)
            state = endpointer.feed(loudness, len(block) / 2 / MODEL_RATE)
            if state == "timeout":
                return None
            if state == "waiting":
                lead_in = (lead_in + block)[-len(lead_in) :]
                continue
            if not kept:
                kept.append(lead_in)
            kept.append(block)
            partial = stream.feed(block)
            second_opinion.feed(block)
            if on_partial:
                on_partial(partial, loudness)
            if state == "done":
                break
        pcm = b"".join(kept)
        speech_ended = time.perf_counter()
        heard = recognize(
            self.engine,
            pcm,
            expectation,
            self.understander,
            constrained=stream.final(),
            free=second_opinion.final(),
        )
        self.seconds_after_speech = time.perf_counter() - speech_ended
        started = endpointer.started or 0.0
        return replace(heard, started_at=started, ended_at=endpointer.elapsed)


class WavListener:
    """The same checks over a whole recording, as `tutor listen --wav` and the tests use."""

    def __init__(self, engine: VoskEngine, understander: Understander, path: Path):
        self.engine = engine
        self.understander = understander
        self.path = path

    def listen(
        self, expectation: Expectation, on_partial: PartialCallback | None = None
    ) -> Heard | None:
        pcm = read_wav(self.path)
        return recognize(self.engine, pcm, expectation, self.understander)
