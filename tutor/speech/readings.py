"""The pinyin of the course's Chinese text, worked out once by pypinyin and kept beside the
lessons (`lessons/pinyin.tsv`), so that neither speaking nor understanding Mandarin loads
pypinyin's 45 MB phrase dictionary at start-up (see tutor/understand/pinyin.py).

Every reading in the file is pypinyin's own, for the pypinyin version named in its first
line; a file from another version is ignored. Text the file does not hold (a learner's name,
a sentence heard for the first time) is read by pypinyin when it comes, so a missing or old
file costs time and memory, never a different reading.

Rebuild after changing lessons, strings or voice profiles:
`.venv/bin/python -m tutor.speech.readings` (tests/test_pinyin_readings.py says when).
"""

import os
import sys
import unicodedata
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from tutor.content.paths import lessons_dir, strings_dir, voices_dir
from tutor.understand import pinyin
from tutor.understand.lexicon import Lexicon

FILE_NAME = "pinyin.tsv"
DICTIONARY = Path(__file__).with_name("pinyin_dictionary.tsv")
_HEADER = "# pypinyin "
_primed: set[Path] = set()


def pypinyin_version() -> str | None:
    """The installed pypinyin's version, read from its metadata folder: importing pypinyin
    to ask would load the very dictionary this module is here to avoid."""
    spec = find_spec("pypinyin")
    if spec is None or spec.origin is None:
        return None
    site = Path(spec.origin).parent.parent
    found = sorted(site.glob("pypinyin-*.dist-info"))
    return found[-1].name.removeprefix("pypinyin-").removesuffix(".dist-info") if found else None


def load_dictionary(path: Path = DICTIONARY) -> pinyin.Dictionary | None:
    """The compact pypinyin dictionary shipped with the tutor; None when it is missing or
    was made from another pypinyin version (pypinyin itself is used then)."""
    try:
        with path.open(encoding="utf-8") as lines:
            if lines.readline().rstrip("\n") != _HEADER + (pypinyin_version() or "?"):
                return None
            return pinyin.dictionary_from_lines(lines)
    except (OSError, UnicodeDecodeError):
        return None


def prime(root: Path | None = None) -> int:
    """Hand the course's readings, and the compact dictionary for any other text, to the
    understanding layer's pinyin (once per process); how many runs were read (0 when the
    file is missing, damaged or for another pypinyin)."""
    path = (root or lessons_dir()) / FILE_NAME
    if path in _primed:
        return 0
    _primed.add(path)
    pinyin.use_dictionary(load_dictionary)
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    version = pypinyin_version()
    if not lines or version is None or lines[0] != _HEADER + version:
        return 0
    normal: dict[str, str] = {}
    tone3: dict[str, str] = {}
    for line in lines[1:]:
        fields = line.split("\t")
        if len(fields) != 3 or not fields[0]:
            continue
        normal[fields[0]] = fields[1]
        tone3[fields[0]] = fields[2]
    pinyin.remember(normal, pinyin.NORMAL)
    pinyin.remember(tone3, pinyin.TONE3)
    return len(normal)


def prime_for(language: str) -> None:
    """Prime before Mandarin is spoken or understood; other languages need no pinyin."""
    if language == "zh":
        prime()


def course_runs(root: Path | None = None) -> set[str]:
    """Every run of Chinese characters the tutor may say or compare: in lessons, UI strings
    and voice profiles, as written, as spoken (digits become numerals) and as normalized by
    each Mandarin profile's understanding (synonyms, fillers and spelling folded)."""
    from tutor.commands.understand import lexicon_of
    from tutor.content.packs import find_packs, read_pack
    from tutor.content.reading import read_toml
    from tutor.content.voices import load_profiles
    from tutor.speech.mandarin import chinese_numerals
    from tutor.speech.pronounce import rules, spell_latin
    from tutor.understand.normalize import normalize

    texts: set[str] = set()
    for pack_root in find_packs(root or lessons_dir()):
        pack, _ = read_pack(pack_root, {})
        if pack is not None:
            items = [pack.manifest, *pack.lessons.values(), *pack.drills.values()]
            texts.update(s for item in items for s in _strings(item.model_dump()))
    data, _ = read_toml(strings_dir() / "zh.toml")
    texts.update(_strings(data))
    profiles, _ = load_profiles(voices_dir())
    lexicons = [lexicon_of(p) for p in profiles.values() if p.language == "zh"]
    for profile in profiles.values():
        texts.update(_strings(vars(profile)))
    letters = rules("zh")["letters"]
    forms = set(texts)
    for text in texts:
        forms.add(spell_latin(chinese_numerals(unicodedata.normalize("NFKC", text)), letters, " "))
        forms.update(normalize(text, lexicon) for lexicon in lexicons)
    for lexicon in lexicons:
        forms.update(_prompt_phrases(lexicon))
    return {run for text in forms for run in pinyin.runs(text) if pinyin.is_han(run)}


def _prompt_phrases(lexicon: Lexicon) -> set[str]:
    """The phrases the matcher makes from a profile's patterns for prompts of every size
    (第一个, 倒数第二个 ...), normalized as it compares them."""
    from tutor.understand.expectation import Expectation, Option
    from tutor.understand.matcher import MAX_NUMBER, PromptPhrases
    from tutor.understand.sounds import SoundKeys
    from tutor.understand.subwords import Subwords

    sounds, phrases = SoundKeys(lexicon), set()
    for count in range(MAX_NUMBER + 1):
        choices = tuple(Option(str(n), ((lexicon.language, str(n)),)) for n in range(count))
        prompt = PromptPhrases(Expectation(choices), lexicon, sounds, Subwords(None))
        phrases.update(phrase.norm for phrase in prompt.phrases)
    return phrases


def build(root: Path | None = None) -> str:
    """The file's text: every course run with pypinyin's reading in both styles."""
    lines = [_HEADER + (pypinyin_version() or "")]
    for run in sorted(course_runs(root)):
        normal = pinyin.from_pypinyin(run, pinyin.NORMAL)
        tone3 = pinyin.from_pypinyin(run, pinyin.TONE3)
        lines.append(f"{run}\t{' '.join(normal)}\t{' '.join(tone3)}")
    return "\n".join(lines) + "\n"


def write(root: Path | None = None) -> list[Path]:
    """Build the course's readings beside the lessons and the compact dictionary beside
    this module, each replacing the old file only once it is whole."""
    dictionary = "".join(
        line + "\n" for line in [_HEADER + (pypinyin_version() or ""), *pinyin.dictionary_lines()]
    )
    written = []
    for path, text in (
        ((root or lessons_dir()) / FILE_NAME, build(root)),
        (DICTIONARY, dictionary),
    ):
        partial = path.with_name(path.name + ".partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
        written.append(path)
    return written


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for child in value.values():
            yield from _strings(child)
    elif isinstance(value, list | tuple):
        for child in value:
            yield from _strings(child)
    elif isinstance(value, str):
        yield value


if __name__ == "__main__":
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
