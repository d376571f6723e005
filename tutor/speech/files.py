"""Recordings played as the microphone, one per answer: for demos, mentor training and
end-to-end tests of the voice-only mode on machines without a microphone.

Each answer takes the next WAV file and goes through exactly the path a real microphone
does (endpointing, both vosk passes, the checks between them). When the files run out the
microphone is "unplugged", and the listener in front of this one carries on by keyboard.
"""

from collections import deque
from pathlib import Path

from tutor.content.voices import VoiceProfile
from tutor.speech.capture import MicrophoneUnavailable
from tutor.speech.listener import Heard, PartialCallback
from tutor.understand.engine import Understander
from tutor.understand.expectation import Expectation


class WavQueueListener:
    def __init__(self, profile: VoiceProfile, understander: Understander, files: list[Path]):
        from tutor.speech.models import find_model
        from tutor.speech.readings import prime_for
        from tutor.speech.vosk_engine import VoskEngine

        model = find_model(profile.asr_model, profile.language)
        if model is None:
            raise MicrophoneUnavailable(profile.asr_model)
        prime_for(profile.language)
        self._engine = VoskEngine(model.path)
        self._understander = understander
        self._files = deque(files)

    def listen(
        self, expectation: Expectation, on_partial: PartialCallback | None = None
    ) -> Heard | None:
        from tutor.speech.mic import FileSource, MicrophoneListener

        if not self._files:
            raise MicrophoneUnavailable("no more recordings")
        source = FileSource(self._files.popleft())
        return MicrophoneListener(self._engine, self._understander, source).listen(
            expectation, on_partial
        )
