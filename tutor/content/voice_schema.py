"""The voice-profile format (`voices/<id>.toml`), as pydantic models.

A dialect profile `extends` its base language profile and adds only what its speakers say
differently; `voices.py` merges the two. So every field is optional here and completeness is
checked after the merge.
"""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from tutor.content.languages import Intent, Language, ReviewStatus
from tutor.content.schema import Id, NonEmptyText, Strict

Word = NonEmptyText
NumberKey = Annotated[str, StringConstraints(pattern=r"^([1-9]|10)$")]
NumberPattern = Annotated[str, StringConstraints(pattern=r"\{n\}")]
SoundPair = Annotated[list[Word], Field(min_length=2, max_length=2)]
Spelling = Annotated[list[str], Field(min_length=2, max_length=2)]


class Speech(Strict):
    engine: Literal["espeak-ng"] = "espeak-ng"
    voice: NonEmptyText
    rate: Annotated[int, Field(ge=60, le=300)]


class Recognition(Strict):
    model: NonEmptyText | None = None


class Numbers(Strict):
    """Number words and the frames a language puts around them ("the {n}th one", "number {n}")."""

    words: dict[NumberKey, list[Word]] = Field(default_factory=dict)
    ordinals: dict[NumberKey, list[Word]] = Field(default_factory=dict)
    patterns: list[NumberPattern] = Field(default_factory=list)
    last: list[Word] = Field(default_factory=list)
    from_end: list[NumberPattern] = Field(default_factory=list)
    middle: list[Word] = Field(default_factory=list)


class Profile(Strict):
    id: Id
    language: Language
    extends: Id | None = None
    name: NonEmptyText
    name_zh: NonEmptyText | None = None
    region: NonEmptyText | None = None
    review: ReviewStatus
    tts: Speech | None = None
    asr: Recognition | None = None
    sounds: list[SoundPair] = Field(default_factory=list)
    slips: list[SoundPair] = Field(default_factory=list)
    spellings: list[Spelling] = Field(default_factory=list)
    synonyms: list[SoundPair] = Field(default_factory=list)
    fillers: list[Word] = Field(default_factory=list)
    endings: list[Word] = Field(default_factory=list)
    particles: list[Word] = Field(default_factory=list)
    intents: dict[Intent, list[Word]] = Field(default_factory=dict)
    numbers: Numbers = Numbers()
