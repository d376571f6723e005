"""The tutor reads Chinese exactly as pypinyin does, without loading pypinyin at start-up.

Sound keys (what a Sichuan ear hears alike) and what espeak-ng is asked to say both come
from pinyin; a different reading would change what the tutor understands and says. So every
phrase and character of pypinyin's dictionary, the whole course, and random mixtures of
Chinese, digits, Latin letters and punctuation are compared with pypinyin itself.
"""

import os
import random
import subprocess
import sys

import pytest
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT, RE_HANS

from tutor.speech import readings
from tutor.understand import pinyin


def _pypinyin(text: str, style: str) -> list[str]:
    if style == pinyin.NORMAL:
        return lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: list(s))
    return lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)


@pytest.fixture(scope="module")
def dictionary() -> pinyin.Dictionary:
    loaded = readings.load_dictionary()
    assert loaded is not None, "run: .venv/bin/python -m tutor.speech.readings"
    return loaded


def test_chinese_characters_are_the_ones_pypinyin_reads() -> None:
    assert RE_HANS.pattern == f"^(?:[{pinyin.HAN_CLASS}])+$"


def test_every_phrase_and_character_reads_as_pypinyin_reads_it(dictionary) -> None:
    texts = [chr(code) for code in PINYIN_DICT] + list(PHRASES_DICT)
    for style in pinyin.STYLES:
        wrong = [t for t in texts if dictionary.read(t, style) != _pypinyin(t, style)]
        assert wrong == [], f"{style}: {wrong[:5]}"


def test_phrases_run_together_are_cut_as_pypinyin_cuts_them(dictionary) -> None:
    rng = random.Random(7)
    phrases, characters = list(PHRASES_DICT), [chr(code) for code in PINYIN_DICT]
    texts = []
    for _ in range(800):
        a, b = rng.choice(phrases), rng.choice(phrases)
        texts.append(a[rng.randrange(len(a)) :] + b[: rng.randint(1, len(b))])
        texts.append("".join(rng.choice(phrases + characters) for _ in range(rng.randint(2, 6))))
    for style in pinyin.STYLES:
        wrong = [t for t in texts if dictionary.read(t, style) != _pypinyin(t, style)]
        assert wrong == [], f"{style}: {wrong[:5]}"


def test_the_course_readings_on_file_are_pypinyins() -> None:
    lines = (readings.lessons_dir() / readings.FILE_NAME).read_text("utf-8").splitlines()
    assert lines[0] == f"# pypinyin {readings.pypinyin_version()}"
    for line in lines[1 :: max(1, len(lines) // 400)]:
        run, normal, tone3 = line.split("\t")
        assert normal.split(" ") == _pypinyin(run, pinyin.NORMAL)
        assert tone3.split(" ") == _pypinyin(run, pinyin.TONE3)


def test_any_text_reads_as_pypinyin_reads_it() -> None:
    readings.prime()
    rng = random.Random(11)
    course = sorted(readings.course_runs())
    others = ["1", "250", " ", "\uff0c", "\u3002", "App", "%", "\u00e9", "\U0001f600", "\t", "{n}"]
    rare = ["\u3007", "\U00020000", "\U0002a6d6", "\ue815", "\u9fff"]
    texts = ["", *course[::10]]
    for _ in range(800):
        pieces = [rng.choice(course + others + rare) for _ in range(rng.randint(1, 5))]
        texts.append("".join(p[: rng.randint(1, len(p))] for p in pieces))
    for style in pinyin.STYLES:
        wrong = [t for t in texts if pinyin.lazy_pinyin(t, style) != _pypinyin(t, style)]
        assert wrong == [], f"{style}: {wrong[:5]}"


def test_a_lesson_in_mandarin_answered_by_keys_never_loads_pypinyin(tmp_path) -> None:
    """The 53 MB dictionary stays out of memory: course text is read from the course's
    readings, a learner's own words from the compact dictionary."""
    script = (
        "import sys\n"
        "from tutor.cli import main\n"
        "code = main(['learn', '--voice-only', '--voice', 'zh', '--lesson', 'starter/photos'])\n"
        "print('pypinyin' in sys.modules, code)\n"
    )
    answers = "\u4e0b\u4e00\u4e2a\n1\n\u4e0b\u4e00\u4e2a\n\u4e0b\u4e00\u4e2a\n"
    answers += "\u4e2a\u5934\u548c\u989c\u8272\n\u4e0b\u4e00\u4e2a\n"
    env = {**os.environ, "TUTOR_HOME": str(tmp_path), "TUTOR_LANG": "zh"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=answers,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "False 0", result.stdout[-500:]
