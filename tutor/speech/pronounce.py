"""Turn a sentence into text espeak-ng reads in the learner's language, never in English.

espeak-ng switches to its English voice for whatever it cannot read in the voice's language:
Latin words ("App"), symbols ("100%" in Korean), and, in its `cmn` voice, many Chinese
characters. A learner who knows no English hears noise. So Mandarin goes to the
`cmn-latn-pinyin` voice as tone-numbered pinyin (tutor/speech/mandarin.py), and Latin letters
and symbols are replaced by the words people say for them, from `pronounce.toml`.
"""

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

_RULES = Path(__file__).with_name("pronounce.toml")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
_PERCENT = re.compile(r"\s*[%％]")
# Marks that are not words and that espeak-ng would otherwise name in English.
_UNSAID = re.compile(r"[_#*=+|\\/<>{}\[\]@^`~$&]+")


@cache
def rules(language: str) -> dict[str, Any]:
    """The reading rules of one language (empty for a language that needs none)."""
    with _RULES.open("rb") as f:
        return tomllib.load(f).get(language, {})


def spell_latin(text: str, letters: dict[str, str], joiner: str) -> str:
    """Replace every Latin word by its letters' names, joined by `joiner`: App -> A P P."""

    def spell(match: re.Match[str]) -> str:
        return " " + joiner.join(letters[c] for c in match.group().lower()) + " "

    return _LATIN_WORD.sub(spell, text)


def is_pinyin_voice(voice: str) -> bool:
    """espeak-ng's Mandarin voice that reads tone-numbered pinyin (`cmn-latn-pinyin`)."""
    return voice.lower().endswith("pinyin")


def speakable(text: str, language: str, voice: str) -> str:
    """What to hand espeak-ng so that `text` is read in `language` with `voice`."""
    if language == "zh" and is_pinyin_voice(voice):
        from tutor.speech.mandarin import to_pinyin
        from tutor.speech.readings import prime_for

        prime_for(language)
        return to_pinyin(text)
    table = rules(language)
    if "point" in table:
        text = _DECIMAL_POINT.sub(table["point"], text)
    if "percent" in table:
        text = _PERCENT.sub(" " + table["percent"], text)
    if "letters" in table:
        text = spell_latin(text, table["letters"], "")
    return " ".join(_UNSAID.sub(" ", text).split())
