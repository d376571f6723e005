"""Speakers: say a sentence without making the caller wait, stop at once, degrade to text.

Every runner (the Textual app, the voice-only runner, tests) talks to a `Speaker`:

- `say(text, string_id)` queues a sentence and returns at once; the learner can press keys
  while the tutor talks.
- `stop()` silences the current sentence within one audio block and drops the queue (the
  learner answered, or said "pause").
- `wait(timeout)` blocks until all was said, for the voice-only runner, which listens only
  after speaking; it never blocks longer than `timeout`.
- `set_rate(wpm)` changes the speed of the sentences that follow: after "slower" the caller
  remembers the learner's rate and sets it again next time.

`TtsSpeaker` plays a local speaker's recording when its voice pack has one for the string id
(slowed with sox when the rate is lowered), and speaks with espeak-ng through pyttsx3
otherwise. When speech cannot work here (no engine, no such voice, no sound device) it shows
each sentence as text instead and says once, in the learner's language, that speech is
unavailable. `SilentSpeaker` says nothing; `RecordingSpeaker` keeps what was said, with voice
and rate, for tests of runners.
"""

import shutil
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from tutor.content.strings import Catalog
from tutor.content.voices import VoiceProfile
from tutor.speech.playback import DevicePlayback, Playback, PlaybackUnavailable
from tutor.speech.pronounce import speakable
from tutor.speech.readings import prime_for
from tutor.speech.recordings import RecordingToolError, VoicePack, slowed
from tutor.speech.synth import SpeechUnavailable, Synthesizer

# The speaking rates a voice profile may have (voices/README.md), in words per minute.
MIN_RATE = 60
MAX_RATE = 300
# A recording is slowed only when the rate differs by more than this from the profile's.
_TEMPO_TOLERANCE = 0.03
_JOIN_SECONDS = 3.0


@dataclass(frozen=True)
class Utterance:
    """One sentence as it was to be said."""

    text: str
    string_id: str | None
    voice: str
    rate: int


class Speaker(Protocol):
    rate: int

    def say(self, text: str, string_id: str | None = None) -> None: ...

    def stop(self) -> None: ...

    def wait(self, timeout: float) -> bool: ...

    def set_rate(self, rate: int) -> None: ...

    def close(self) -> None: ...


def clamp_rate(rate: int) -> int:
    """A rate espeak-ng and the profiles allow; "slower" said many times stops at the floor."""
    return max(MIN_RATE, min(MAX_RATE, int(rate)))


class SilentSpeaker:
    """Says nothing: for a learner who turned speech off, or a screen-only session."""

    def __init__(self, profile: VoiceProfile):
        self.rate = profile.tts_rate

    def say(self, text: str, string_id: str | None = None) -> None:
        """Nothing to do: the runner shows every sentence on screen anyway."""

    def stop(self) -> None:
        """Nothing is playing."""

    def wait(self, timeout: float) -> bool:
        return True

    def set_rate(self, rate: int) -> None:
        self.rate = clamp_rate(rate)

    def close(self) -> None:
        """Nothing to release."""


class RecordingSpeaker:
    """Keeps every sentence it is given, so a test can check what a runner said, and how."""

    def __init__(self, profile: VoiceProfile):
        self.voice = profile.tts_voice
        self.rate = profile.tts_rate
        self.said: list[Utterance] = []
        self.stops = 0

    def say(self, text: str, string_id: str | None = None) -> None:
        self.said.append(Utterance(text, string_id, self.voice, self.rate))

    def stop(self) -> None:
        self.stops += 1

    def wait(self, timeout: float) -> bool:
        return True

    def set_rate(self, rate: int) -> None:
        self.rate = clamp_rate(rate)

    def close(self) -> None:
        """Nothing to release; `said` stays readable."""


@dataclass(frozen=True)
class _Job:
    utterance: Utterance
    cancel: threading.Event


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


class TtsSpeaker:
    """Speaks in one worker thread: recordings first, espeak-ng through pyttsx3 otherwise.

    The engine starts in the background as soon as the speaker is made, so make it early
    (while the welcome screen shows) and `close()` it at the end. `failed` becomes True once
    a sentence had to be shown instead of said.
    """

    def __init__(
        self,
        profile: VoiceProfile,
        catalog: Catalog,
        *,
        playback: Playback | None = None,
        voice_pack: VoicePack | None = None,
        show: Callable[[str], None] = print,
        warn: Callable[[str], None] = _stderr,
    ):
        if voice_pack is not None and not voice_pack.suits(profile):
            raise ValueError(f"voice pack {voice_pack.manifest.id} does not suit {profile.id}")
        self.profile = profile
        self.rate = profile.tts_rate
        self.failed = False
        self._catalog = catalog
        self._playback = playback or DevicePlayback()
        self._voice_pack = voice_pack
        self._show = show
        self._warn = warn
        self._synth = Synthesizer(profile.tts_voice)
        self._unavailable = False
        self._warned = False
        self._folder = Path(tempfile.mkdtemp(prefix="tutor-speech-"))
        self._jobs: deque[_Job] = deque()
        self._busy = False
        self._closing = False
        self._cancel = threading.Event()
        self._lock = threading.Condition()
        prime_for(profile.language)
        self._thread = threading.Thread(target=self._run, name="speaker", daemon=True)
        self._thread.start()

    def say(self, text: str, string_id: str | None = None) -> None:
        utterance = Utterance(text, string_id, self.profile.tts_voice, self.rate)
        with self._lock:
            self._jobs.append(_Job(utterance, self._cancel))
            self._lock.notify_all()

    def stop(self) -> None:
        with self._lock:
            self._jobs.clear()
            self._cancel.set()
            self._cancel = threading.Event()
            self._lock.notify_all()

    def wait(self, timeout: float) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: not self._jobs and not self._busy, timeout)

    def set_rate(self, rate: int) -> None:
        self.rate = clamp_rate(rate)

    def close(self) -> None:
        self.stop()
        with self._lock:
            self._closing = True
            self._lock.notify_all()
        self._thread.join(_JOIN_SECONDS)
        self._synth.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def _run(self) -> None:
        self._warm_up()
        while True:
            with self._lock:
                self._lock.wait_for(lambda: self._jobs or self._closing)
                if self._closing:
                    return
                job = self._jobs.popleft()
                self._busy = True
            try:
                self._speak(job)
            finally:
                with self._lock:
                    self._busy = False
                    self._lock.notify_all()

    def _warm_up(self) -> None:
        """Start the engine and read the pronunciation rules before the first sentence (the
        course's pinyin is already in memory: tutor/speech/readings.py)."""
        try:
            speakable("", self.profile.language, self.profile.tts_voice)
            self._synth.start()
        except Exception:  # SpeechUnavailable or a broken install: show text from now on
            self._unavailable = True

    def _speak(self, job: _Job) -> None:
        utterance = job.utterance
        try:
            wav = self._sound_of(utterance)
            if wav is not None and not job.cancel.is_set():
                self._playback.play(wav, job.cancel)
        except (SpeechUnavailable, PlaybackUnavailable):
            self._unavailable = True
            self._show_instead(utterance.text)
        except Exception:  # SynthesisFailed, a bad recording, or anything else: show it
            self._show_instead(utterance.text)

    def _sound_of(self, utterance: Utterance) -> Path | None:
        """The WAV file to play for this sentence, or None when there is nothing to say."""
        if self._unavailable:
            raise SpeechUnavailable
        if self._voice_pack is not None and utterance.string_id is not None:
            recording = self._voice_pack.find(utterance.string_id, utterance.text)
            if recording is not None:
                return self._at_rate(recording, utterance.rate)
        text = speakable(utterance.text, self.profile.language, utterance.voice)
        if not text:
            return None
        wav = self._folder / "sentence.wav"
        self._synth.synthesize(text, utterance.rate, wav)
        return wav

    def _at_rate(self, recording: Path, rate: int) -> Path:
        tempo = rate / self.profile.tts_rate
        if abs(tempo - 1) <= _TEMPO_TOLERANCE:
            return recording
        try:
            return slowed(recording, tempo, self._folder)
        except RecordingToolError:
            return recording

    def _show_instead(self, text: str) -> None:
        self.failed = True
        if not self._warned:
            self._warned = True
            self._warn(self._catalog.text("speech.unavailable"))
        self._show(text)
