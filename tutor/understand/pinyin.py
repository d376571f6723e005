"""pypinyin's readings, without loading pypinyin itself at start-up.

pypinyin chooses a character's reading from a dictionary of 47,000 phrases (银行 is yin hang,
行走 is xing zou). Loaded as pypinyin keeps it, the dictionary takes 53 MB and 0.4 s of an
old machine's one core, and the tutor's memory target is 120 MB. So:

- the readings of the course's own text are worked out once, by pypinyin, and handed in
  (`remember`): a start-up that says and hears only course text reads nothing else;
- other text (a learner's own words) is read with the same two dictionaries kept compactly
  (`Dictionary`, about 12 MB), by pypinyin's own method: the same phrase cut, the same
  readings;
- pypinyin itself is loaded only when neither is at hand, or for a character the compact
  dictionary has no reading for.

Exactly pypinyin's readings, because pypinyin reads a text one run at a time: it splits the
text into runs of Chinese characters and runs of anything else, cuts each Chinese run into
phrases on its own (longest phrase of its dictionary first) and reads each phrase on its
own. A reading known for a whole run is the one pypinyin gives that run inside any text.
Tone sandhi would cross runs; it is not used. tests/test_pinyin_readings.py compares every
phrase and character, and random text, with pypinyin.
"""

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping

NORMAL = "normal"
"""Syllables without tones, a run of other characters split into characters: sound keys."""
TONE3 = "tone3"
"""Tone-numbered syllables, the neutral tone as 5, other runs whole: what espeak-ng reads."""
STYLES = (NORMAL, TONE3)

# The characters pypinyin reads (pypinyin.constants.RE_HANS, a test keeps them equal).
HAN_CLASS = (
    r"\u3007\ue815-\ue864\ufa18\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\U00020000-\U0002A6DF\U0002A703-\U0002B73F\U0002B740-\U0002B81D\U0002B825-\U0002BF6E"
    r"\U0002C029-\U0002CE93\U0002D016\U0002D11B-\U0002EBD9\U0002F80A-\U0002FA1F"
    r"\U00030000-\U0003134A\U000300F7-\U00031288\U00030EDD\U00030EDE\U00031350-\U00032389"
)
_RUNS = re.compile(f"[{HAN_CLASS}]+|[^{HAN_CLASS}]+")
_HAN = re.compile(f"[{HAN_CLASS}]")


class Dictionary:
    """pypinyin's phrase and character dictionaries as plain strings, read its way.

    `phrases`: phrase -> its characters' first readings, with tone marks, space-separated;
    `characters`: character -> its first reading; `styles`: each reading with tone marks ->
    (its NORMAL form, its TONE3 form with the neutral tone as 5).
    """

    def __init__(
        self,
        phrases: dict[str, str],
        characters: dict[str, str],
        styles: Mapping[str, tuple[str, str]],
    ):
        self._phrases = phrases
        self._characters = characters
        self._styles = styles
        self._sorted = sorted(phrases)

    def read(self, run: str, style: str) -> list[str] | None:
        """The run's syllables, or None when a character has no reading here."""
        column = STYLES.index(style)
        out = []
        for word in self._cut(run):
            marked = self._phrases.get(word)
            readings = marked.split(" ") if marked else [self._characters.get(c) for c in word]
            for reading in readings:
                styled = self._styles.get(reading) if reading is not None else None
                if styled is None:
                    return None
                out.append(styled[column])
        return out

    def _is_prefix(self, word: str) -> bool:
        at = bisect_left(self._sorted, word)
        return at < len(self._sorted) and self._sorted[at].startswith(word)

    def _cut(self, text: str) -> Iterator[str]:
        """pypinyin's forward maximum matching (pypinyin.seg.mmseg, only real phrases)."""
        remain = text
        while remain:
            longest, end = "", 0
            for index in range(len(remain)):
                word = remain[: index + 1]
                if not self._is_prefix(word):
                    if longest:
                        yield longest
                        remain = remain[end:]
                    else:
                        yield remain[0]
                        remain = remain[1:]
                    break
                if word in self._phrases:
                    longest, end = word, index + 1
            else:
                if longest:
                    yield longest
                    remain = remain[end:]
                    continue
                if remain in self._phrases:
                    yield remain
                else:
                    yield from remain
                break


# Each run's syllables joined by single spaces (a syllable never holds one): a few thousand
# strings take far less memory than as many tuples of syllables.
_known: dict[str, dict[str, str]] = {NORMAL: {}, TONE3: {}}
_dictionary: list[Dictionary | None] = []
_dictionary_source: list[Callable[[], Dictionary | None]] = []


def runs(text: str) -> list[str]:
    """`text` cut where it changes between Chinese characters and anything else."""
    return _RUNS.findall(text)


def is_han(run: str) -> bool:
    return bool(_HAN.match(run))


def remember(readings: Mapping[str, str], style: str) -> None:
    """Readings of Chinese runs worked out before (by `from_pypinyin`, syllables joined by
    single spaces), in `style`."""
    _known[style].update(readings)


def use_dictionary(source: Callable[[], Dictionary | None]) -> None:
    """Where to get the compact dictionary, called the first time a run is not known."""
    _dictionary_source[:] = [source]
    _dictionary.clear()


def known(style: str) -> int:
    """How many runs have their reading in memory: for tests and benchmarks."""
    return len(_known[style])


def lazy_pinyin(text: str, style: str) -> list[str]:
    """What pypinyin's `lazy_pinyin` gives `text` in `style` (see NORMAL and TONE3)."""
    out: list[str] = []
    table = _known[style]
    for run in runs(text):
        if not is_han(run):
            out += list(run) if style == NORMAL else [run]
            continue
        said = table.get(run)
        if said is None:
            said = table[run] = " ".join(_unknown(run, style))
        out += said.split(" ")
    return out


def _unknown(run: str, style: str) -> list[str]:
    if not _dictionary and _dictionary_source:
        _dictionary.append(_dictionary_source[0]())
    dictionary = _dictionary[0] if _dictionary else None
    said = dictionary.read(run, style) if dictionary is not None else None
    return said if said is not None else from_pypinyin(run, style)


def from_pypinyin(text: str, style: str) -> list[str]:
    """pypinyin itself (its dictionaries load on the first call in a process)."""
    from pypinyin import Style
    from pypinyin import lazy_pinyin as pypinyin_lazy

    if style == NORMAL:
        return pypinyin_lazy(text, style=Style.NORMAL, errors=lambda s: list(s))
    return pypinyin_lazy(text, style=Style.TONE3, neutral_tone_with_five=True)


def dictionary_lines() -> Iterable[str]:
    """The compact dictionary as lines of text, from pypinyin's own (for building its file):
    `S reading normal tone3`, `C character reading`, `P phrase readings`, tab-separated."""
    from pypinyin import Style
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin.converter import UltimateConverter

    plain = UltimateConverter()
    numbered = UltimateConverter(neutral_tone_with_five=True)
    characters = {chr(code): readings.split(",")[0] for code, readings in PINYIN_DICT.items()}
    phrases = {p: " ".join(r[0] for r in readings) for p, readings in PHRASES_DICT.items()}
    marked = set(characters.values()) | {r for v in phrases.values() for r in v.split(" ")}
    for reading in sorted(marked):
        normal = plain.convert_style("", reading, Style.NORMAL, True)
        tone3 = numbered.convert_style("", reading, Style.TONE3, True)
        yield f"S\t{reading}\t{normal}\t{tone3}"
    for character, reading in sorted(characters.items()):
        yield f"C\t{character}\t{reading}"
    for phrase, readings in sorted(phrases.items()):
        yield f"P\t{phrase}\t{readings}"


def dictionary_from_lines(lines: Iterable[str]) -> Dictionary:
    """The compact dictionary from the lines `dictionary_lines` made. Each reading is kept
    as one string object, shared by the 42,000 characters that have one of 1,500 readings."""
    phrases: dict[str, str] = {}
    characters: dict[str, str] = {}
    styles: dict[str, tuple[str, str]] = {}
    shared: dict[str, str] = {}
    for line in lines:
        fields = line.rstrip("\n").split("\t")
        if fields[0] == "S" and len(fields) == 4:
            styles[fields[1]] = (fields[2], fields[3])
        elif fields[0] == "C" and len(fields) == 3:
            characters[fields[1]] = shared.setdefault(fields[2], fields[2])
        elif fields[0] == "P" and len(fields) == 3:
            phrases[fields[1]] = fields[2]
    return Dictionary(phrases, characters, styles)
