"""Every sentence the tutor can say is read in the learner's language, never in English.

espeak-ng marks a switch to another voice's language in its phoneme output as `(en)`. A
learner who knows no English hears noise there, so no shipped sentence may cause one: every
lesson sentence and every spoken UI string, in zh, ko and ug, through the voice each
shipped profile uses. espeak-ng really runs, once per voice with all sentences.
"""

import re
import subprocess

import pytest
from conftest import ROOT

from tutor.content.packs import find_packs, load_pack
from tutor.content.voices import load_profiles
from tutor.speech.pronounce import speakable
from tutor.speech.spoken import lesson_strings, ui_strings

_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_PROFILES, _ = load_profiles(ROOT / "voices")
_VOICES = sorted({(p.language, p.tts_voice) for p in _PROFILES.values()})


def _phonemes(voice: str, lines: list[str]) -> str:
    result = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", voice],
        input="\n".join(lines),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def _english(language: str, voice: str, sentences: dict[str, str]) -> list[str]:
    """The sentences that switch to English, with what espeak-ng was given for them."""
    said = {where: speakable(text, language, voice) for where, text in sentences.items()}
    if "(en)" not in _phonemes(voice, list(said.values())):
        return []
    return [
        f"{where}: {text!r}" for where, text in said.items() if "(en)" in _phonemes(voice, [text])
    ]


def _shipped_sentences(language: str) -> dict[str, str]:
    sentences = {
        f"tutor/strings/{language}.toml: {key}": _PLACEHOLDER.sub("2", text)
        for key, text in ui_strings(language).items()
    }
    for root in find_packs(ROOT / "lessons"):
        for string_id, text in lesson_strings(load_pack(root), language).items():
            sentences[string_id] = text
    return sentences


def test_the_shipped_profiles_use_voices_for_all_three_languages():
    assert {language for language, _ in _VOICES} == {"zh", "ko", "ug"}


@pytest.mark.parametrize(("language", "voice"), _VOICES)
def test_no_shipped_sentence_switches_to_english(language, voice):
    sentences = _shipped_sentences(language)
    assert len(sentences) > 20
    assert _english(language, voice, sentences) == []


@pytest.mark.parametrize(
    ("language", "voice", "text"),
    [
        ("ko", "ko", "10킬로 사과, 100% 천연, 3.5킬로"),
        ("ko", "ko", "TUTOR_HOME 폴더에 App을 OK"),
        ("ug", "ug", "500 گرام ئالما، 100% تەبىئىي"),
        ("ug", "ug", "TUTOR_HOME قىسقۇچى"),
        ("zh", "cmn-latn-pinyin", "用App卖250克，100%纯天然，OK！TUTOR_HOME"),
    ],
)
def test_digits_symbols_and_latin_letters_are_said_in_the_language(language, voice, text):
    assert _english(language, voice, {"sample": text}) == []


def test_the_check_itself_sees_an_english_switch():
    assert _english("ko", "ko", {"raw": "OK"}) == []
    assert "(en)" in _phonemes("ko", ["OK"])
    assert "(en)" in _phonemes("cmn", ["你好 我们 今天"])
