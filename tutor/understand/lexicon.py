"""What the understanding layer needs from a voice profile, and nothing more."""

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Lexicon:
    profile: str
    language: str
    intents: Mapping[str, tuple[str, ...]]
    number_words: Mapping[int, tuple[str, ...]]
    number_patterns: tuple[str, ...]
    last_words: tuple[str, ...]
    middle_words: tuple[str, ...]
    fillers: tuple[str, ...]
    endings: tuple[str, ...]
    sounds: tuple[tuple[str, str], ...]
    particles: tuple[str, ...] = ()
    ordinal_words: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    from_end_patterns: tuple[str, ...] = ()
    slips: tuple[tuple[str, str], ...] = ()
    spellings: tuple[tuple[str, str], ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()

    def __hash__(self) -> int:
        return hash((self.profile, self.language))
