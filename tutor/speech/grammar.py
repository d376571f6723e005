"""A recognizer grammar for one prompt: every phrase it accepts, in words the model knows.

Vosk treats the grammar as a bigram over its words, not a list of sentences, and bends speech
it does not know onto grammar words. So the grammar holds only in-vocabulary words (phrases
the model lacks are split into words it has, or dropped), the model's own unknown-word token
lets off-grammar speech come back as "unknown", and the caller checks afterwards whether what
came back is one whole phrase.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tutor.understand.expectation import Expectation
from tutor.understand.lexicon import Lexicon
from tutor.understand.numbers import number_phrases

UNKNOWN_TOKENS = ("[unk]", "<UNK>", "<unk>")
MAX_WORD = 6


@dataclass(frozen=True)
class Grammar:
    phrases: tuple[str, ...]
    unknown: str | None

    def as_vosk(self) -> list[str]:
        return [*self.phrases, *([self.unknown] if self.unknown else [])]

    def is_whole_phrase(self, text: str) -> bool:
        return " ".join(text.split()) in self.phrases


PER_INTENT = 1
"""Command words per intent put in the grammar: the profile lists the most common first."""

PER_NUMBER = 1
"""Ways of saying each choice number put in the grammar."""

PER_CHOICE = 1
"""Aliases per choice put in the grammar, besides its text."""


def phrase_groups(expectation: Expectation, lexicon: Lexicon) -> list[tuple[list[str], int]]:
    """Each meaning the prompt accepts, with its phrasings (most common first) and how many
    of them the recognizer should listen for.

    A recognizer grammar must stay small: every extra word is one more place for vosk to put
    speech it did not understand. The understanding layer still knows every phrasing, for
    typed answers and for whatever the free pass hears.
    """
    lang = lexicon.language
    groups = [(list(lexicon.intents.get(i, ())), PER_INTENT) for i in expectation.intents]
    count = len(expectation.choices)
    numbers = number_phrases(lexicon, count)
    for n, option in enumerate(expectation.choices, 1):
        groups.append(([option.text_in(lang)], 1))
        groups.append((list(option.aliases_in(lang)), PER_CHOICE))
        said = [*lexicon.ordinal_words.get(n, ()), *numbers.get(n, [])[1:]]
        groups.append((said, PER_NUMBER))
    if count:
        groups.append((list(lexicon.last_words), 1))
        if count % 2 == 1 and count > 1:
            groups.append((list(lexicon.middle_words), 1))
    return groups


def build_grammar(
    expectation: Expectation,
    lexicon: Lexicon,
    known: Callable[[str], bool],
    unknown: str | None,
) -> Grammar:
    """The prompt's phrases as runs of known words; an empty grammar means free recognition.

    From each group, phrasings the model knows word for word come first; a phrasing that
    must be split into known pieces is used only when none is known whole.
    """
    out: dict[str, None] = {}
    for phrasings, wanted in phrase_groups(expectation, lexicon):
        whole, pieced = [], []
        for phrase in phrasings:
            words, split = _known_words(phrase, lexicon.language, known)
            if words:
                (pieced if split else whole).append(" ".join(words))
        for phrase in (whole + pieced)[:wanted]:
            out[phrase] = None
    return Grammar(tuple(out), unknown)


def _known_words(
    phrase: str, language: str, known: Callable[[str], bool]
) -> tuple[list[str], bool]:
    """The phrase in known words, and whether any word had to be split or dropped."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in phrase.lower())
    words, split = [], False
    for token in cleaned.split():
        if known(token):
            words.append(token)
        else:
            split = True
            if language == "zh" or len(token) > 1:
                words += _split_known(token, known)
    return words, split


def _split_known(token: str, known: Callable[[str], bool]) -> list[str]:
    """Longest known words from the left (Chinese has no spaces; a Korean word may carry an
    ending the model lacks): 자연광에서 -> 자연광 에서. Unknown letters are dropped."""
    words, start = [], 0
    while start < len(token):
        for end in range(min(len(token), start + MAX_WORD), start, -1):
            if known(token[start:end]):
                words.append(token[start:end])
                start = end
                break
        else:
            start += 1
    return words
