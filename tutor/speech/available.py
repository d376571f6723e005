"""The best way to hear this learner on this machine, said once when it is the keyboard.

No speech model for the learner's language, no microphone, or a microphone that dies in the
middle of a lesson: the learner is told once, in their language, and carries on with the
number keys. Nothing else changes; the session runner never knows which listener it has.
"""

from collections.abc import Callable
from typing import TextIO

from tutor.content.strings import Catalog
from tutor.content.voices import VoiceProfile
from tutor.speech.capture import MicrophoneUnavailable
from tutor.speech.listener import Heard, KeyboardListener, Listener, PartialCallback
from tutor.understand.engine import Understander
from tutor.understand.expectation import Expectation

Notify = Callable[[str], None]


class FallbackListener:
    """Voice while it works; the keyboard, announced once, from the moment it does not."""

    def __init__(self, voice: Listener | None, keyboard: Listener, notify: Notify, message: str):
        self._voice: Listener | None = voice
        self._keyboard = keyboard
        self._notify = notify
        self._message = message

    @property
    def by_voice(self) -> bool:
        return self._voice is not None

    def listen(
        self, expectation: Expectation, on_partial: PartialCallback | None = None
    ) -> Heard | None:
        if self._voice is not None:
            try:
                return self._voice.listen(expectation, on_partial)
            except MicrophoneUnavailable:
                self._voice = None
                self._notify(self._message)
        return self._keyboard.listen(expectation, on_partial)


def open_listener(
    profile: VoiceProfile,
    understander: Understander,
    catalog: Catalog,
    keys: TextIO,
    notify: Notify,
    device: int | str | None = None,
) -> FallbackListener:
    """Microphone and vosk when both exist (the model starts loading now, in the
    background); otherwise the keyboard, with one sentence saying why."""
    from tutor.speech.models import find_model
    from tutor.speech.readings import prime_for

    prime_for(profile.language)
    keyboard = KeyboardListener(keys)
    model = find_model(profile.asr_model, profile.language)
    if model is None:
        notify(catalog.text("voice.no_model"))
        return FallbackListener(None, keyboard, notify, "")
    # Only now: the microphone side needs numpy (0.4 s and 16 MB), the keyboard does not.
    from tutor.speech.mic import DeviceSource, MicrophoneListener
    from tutor.speech.vosk_engine import VoskEngine

    try:
        source = DeviceSource(device)
    except MicrophoneUnavailable:
        notify(catalog.text("voice.no_microphone"))
        return FallbackListener(None, keyboard, notify, "")
    voice = MicrophoneListener(VoskEngine(model.path), understander, source)
    return FallbackListener(voice, keyboard, notify, catalog.text("voice.microphone_lost"))
