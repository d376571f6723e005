"""Sound keys: strings that are equal when two phrases sound alike to this profile's ear.

Chinese is compared by pinyin syllables without tones, Korean by jamo, Uyghur by letters. Each
sound unit becomes one character of the key, so fast string distances (rapidfuzz) measure
sound distance. Two keys are made: `strict` merges only the profile's own confusions (a
Sichuan speaker's n/l), `loose` also merges the slips any small recognizer makes for that
language (the base profile's `slips`), and a match through the loose key counts for less.
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from tutor.understand import pinyin
from tutor.understand.lexicon import Lexicon

_INITIALS = (
    "zh",
    "ch",
    "sh",
    "b",
    "p",
    "m",
    "f",
    "d",
    "t",
    "n",
    "l",
    "g",
    "k",
    "h",
    "j",
    "q",
    "x",
    "r",
    "z",
    "c",
    "s",
    "y",
    "w",
)


@dataclass(frozen=True)
class SoundKey:
    strict: str
    loose: str


class _Merger:
    """Union-find over sound units, so (a, b) and (b, c) make a, b and c one sound."""

    def __init__(self, pairs: tuple[tuple[str, str], ...]):
        self._parent: dict[str, str] = {}
        for a, b in pairs:
            self._parent[self.find(a)] = self.find(b)

    def find(self, unit: str) -> str:
        parent = self._parent.get(unit, unit)
        if parent == unit:
            return unit
        root = self.find(parent)
        self._parent[unit] = root
        return root


class SoundKeys:
    def __init__(self, lexicon: Lexicon):
        self.language = lexicon.language
        own = tuple(lexicon.sounds)
        slips = tuple(lexicon.slips)
        self._strict = _Merger(own)
        self._loose = _Merger(own + slips)
        self._codes: dict[str, str] = {}
        self.key = lru_cache(maxsize=4096)(self._key)

    def _key(self, text: str) -> SoundKey:
        units = _UNITS[self.language](text)
        return SoundKey(self._encode(units, self._strict), self._encode(units, self._loose))

    def _encode(self, units: list[str], merger: _Merger) -> str:
        out = []
        for unit in units:
            canonical = "".join(merger.find(part) for part in unit.split("|"))
            if canonical not in self._codes:
                self._codes[canonical] = chr(0xF0000 + len(self._codes))
            out.append(self._codes[canonical])
        return "".join(out)


def _split_syllable(syllable: str) -> tuple[str, str]:
    for initial in _INITIALS:
        if syllable.startswith(initial) and len(syllable) > len(initial):
            return initial, syllable[len(initial) :]
    return "", syllable


def _pinyin_units(text: str) -> list[str]:
    """One unit per syllable, written 'initial|final' so each half is merged on its own."""
    units = []
    for syllable in pinyin.lazy_pinyin(text, pinyin.NORMAL):
        initial, final = _split_syllable(syllable)
        units.append(f"{initial}|{final}")
    return units


_SILENT_INITIAL = "\u110b"


@lru_cache(maxsize=256)
def _position_free(jamo: str) -> str:
    """A final consonant as the same letter as an initial: Korean carries a final over to a
    following vowel (천천히 is said 천처니), so position must not count as a difference."""
    try:
        name = unicodedata.name(jamo)
    except ValueError:
        return jamo
    for position in ("CHOSEONG", "JUNGSEONG", "JONGSEONG"):
        if f"HANGUL {position} " in name:
            try:
                return unicodedata.lookup(name.replace(position, "LETTER"))
            except KeyError:
                return jamo
    return jamo


# Compound vowels and consonant clusters said as their parts, by Unicode letter name: a
# recognizer that drops the w of a "wa" vowel gives an "a", one part away, not a new vowel.
_COMPOUND_PARTS = {
    "WA": ("O", "A"),
    "WAE": ("O", "AE"),
    "OE": ("O", "I"),
    "WEO": ("U", "EO"),
    "WE": ("U", "E"),
    "WI": ("U", "I"),
    "YI": ("EU", "I"),
    "KIYEOK-SIOS": ("KIYEOK", "SIOS"),
    "NIEUN-CIEUC": ("NIEUN", "CIEUC"),
    "NIEUN-HIEUH": ("NIEUN", "HIEUH"),
    "RIEUL-KIYEOK": ("RIEUL", "KIYEOK"),
    "RIEUL-MIEUM": ("RIEUL", "MIEUM"),
    "RIEUL-PIEUP": ("RIEUL", "PIEUP"),
    "RIEUL-HIEUH": ("RIEUL", "HIEUH"),
    "PIEUP-SIOS": ("PIEUP", "SIOS"),
}


@lru_cache(maxsize=256)
def _parts(letter: str) -> tuple[str, ...]:
    try:
        name = unicodedata.name(letter).removeprefix("HANGUL LETTER ")
    except ValueError:
        return (letter,)
    parts = _COMPOUND_PARTS.get(name)
    if parts is None:
        return (letter,)
    return tuple(unicodedata.lookup(f"HANGUL LETTER {part}") for part in parts)


def _jamo_units(text: str) -> list[str]:
    """Jamo without position, compounds split, and without the silent initial ieung."""
    decomposed = unicodedata.normalize("NFD", text)
    return [
        part
        for ch in decomposed
        if not ch.isspace() and ch != _SILENT_INITIAL
        for part in _parts(_position_free(ch))
    ]


def _letter_units(text: str) -> list[str]:
    return [ch for ch in text if not ch.isspace()]


_UNITS = {"zh": _pinyin_units, "ko": _jamo_units, "ug": _letter_units}
