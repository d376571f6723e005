"""What a listener hands back, and the listeners that need no speech model.

Every listener answers one call: listen for the current prompt and return what was heard.
The vosk listeners also carry a second opinion (a free-recognition pass over the same audio)
so the caller can check the grammar pass before acting on it.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from tutor.understand.expectation import Expectation


@dataclass(frozen=True)
class Heard:
    text: str
    confidence: float = 1.0
    source: str = "key"  # "voice", "key" or "script"
    alternatives: tuple[tuple[str, float], ...] = ()
    free_text: str | None = None
    complete_phrase: bool = True
    started_at: float = 0.0
    ended_at: float = 0.0
    word_confidences: tuple[float, ...] = field(default=())

    @property
    def duration(self) -> float:
        return max(0.0, self.ended_at - self.started_at)


PartialCallback = Callable[[str, float], None]
"""Called with the partial transcript and the input level (0-1) while listening."""


class Listener(Protocol):
    def listen(
        self, expectation: Expectation, on_partial: PartialCallback | None = None
    ) -> Heard | None:
        """What was heard for this prompt, or None on a timeout with nothing said."""


class ScriptedListener:
    """Answers from a list, for tests and for `progress simulate`'s scripted learners."""

    def __init__(self, answers: Iterable[str]):
        self._answers: Iterator[str] = iter(answers)

    def listen(
        self, expectation: Expectation, on_partial: PartialCallback | None = None
    ) -> Heard | None:
        text = next(self._answers, None)
        return None if text is None else Heard(text, source="script")


class KeyboardListener:
    """A typed line (a number key, or words), for learners without a microphone."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def listen(
        self, expectation: Expectation, on_partial: PartialCallback | None = None
    ) -> Heard | None:
        line = self._stream.readline()
        if not line:
            return None
        return Heard(line.strip(), source="key")
