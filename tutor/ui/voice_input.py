"""Listening for the prompt on screen, in one background thread, never blocking the screen.

Listeners block until the learner has spoken (or a timeout), and cannot be interrupted. So
one loop listens for whichever prompt is current; a screen says what it expects, and a
result that arrives after the prompt changed (the learner answered by key meanwhile) is
dropped by its generation number. The loop waits for the tutor to finish speaking before it
listens, so it never hears the tutor's own voice.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message
from textual.message_pump import MessagePump

from tutor.speech.listener import Heard, Listener
from tutor.understand.expectation import Expectation

if TYPE_CHECKING:
    from tutor.speech.speaker import Speaker

SPEAKING_WAIT = 60.0
"""Longest wait for the tutor to finish speaking before listening anyway."""


class VoiceHeard(Message):
    """What the microphone heard (None: silence until the timeout) for prompt `generation`."""

    def __init__(self, generation: int, heard: Heard | None):
        super().__init__()
        self.generation, self.heard = generation, heard


class VoicePartial(Message):
    """Words understood so far while the learner speaks, and the input level (0-1)."""

    def __init__(self, text: str, level: float):
        super().__init__()
        self.text, self.level = text, level


class VoiceLost(Message):
    """The microphone stopped working: from now on the learner answers by keys."""


@dataclass
class _Wanted:
    generation: int
    expectation: Expectation
    owner: MessagePump


class VoiceInput:
    def __init__(self, listener: Listener, speaker: Callable[[], "Speaker"]):
        self._listener = listener
        self._speaker = speaker
        self._wanted: _Wanted | None = None
        self._generation = 0
        self._stopped = False
        self._changed = threading.Condition()

    @property
    def by_voice(self) -> bool:
        return getattr(self._listener, "by_voice", True) and not self._stopped

    def expect(self, owner: MessagePump, expectation: Expectation | None) -> int:
        """Listen for `expectation` on behalf of `owner` (None: stop listening for now); the
        generation number tells the answer to this request from older ones."""
        with self._changed:
            wanted = self._wanted
            if wanted and wanted.owner is owner and wanted.expectation == expectation:
                return wanted.generation  # already listening for it: keep what is heard
            self._generation += 1
            self._wanted = (
                None if expectation is None else _Wanted(self._generation, expectation, owner)
            )
            self._changed.notify_all()
            return self._generation

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify_all()

    def run(self) -> None:
        """The loop, for a thread worker: returns when stopped or the microphone is gone."""
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._stopped or self._wanted is not None)
                if self._stopped:
                    return
                wanted = self._wanted
            assert wanted is not None
            self._speaker().wait(SPEAKING_WAIT)
            if not self._current(wanted):
                continue
            owner = wanted.owner

            def partial(text: str, level: float, owner: MessagePump = owner) -> None:
                owner.post_message(VoicePartial(text, level))

            heard = self._listener.listen(wanted.expectation, partial)
            if not getattr(self._listener, "by_voice", True):
                self._stopped = True
                owner.post_message(VoiceLost())
                return
            if self._current(wanted):
                owner.post_message(VoiceHeard(wanted.generation, heard))
                with self._changed:  # one answer per prompt: wait for the next one
                    if self._wanted is wanted:
                        self._wanted = None

    def _current(self, wanted: _Wanted) -> bool:
        with self._changed:
            return not self._stopped and self._wanted is wanted
