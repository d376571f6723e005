"""Build real understanders from the shipped voice profiles, as `tutor understand` does."""

from functools import lru_cache

from tutor.commands.understand import lexicon_of, load_subwords
from tutor.content.paths import voices_dir
from tutor.content.voices import load_profiles
from tutor.understand.engine import Decision, Understander
from tutor.understand.expectation import Expectation


@lru_cache(maxsize=1)
def _profiles():
    profiles, problems = load_profiles(voices_dir())
    assert profiles, problems
    return profiles


@lru_cache(maxsize=8)
def understander(voice: str) -> Understander:
    return Understander(lexicon_of(_profiles()[voice]), load_subwords())


def hear(
    voice: str, text: str, choices: list | None = None, intents: list | None = None
) -> Decision:
    expect: dict = {"choices": [{"key": str(i), "text": t} for i, t in enumerate(choices or [], 1)]}
    if intents is not None:
        expect["intents"] = intents
    language = _profiles()[voice].language
    return understander(voice).understand(text, Expectation.from_json(expect, language))
