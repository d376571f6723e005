"""Mandarin is spoken as pinyin: polyphones by their word, numbers as Chinese numerals."""

import subprocess

import pytest

from tutor.speech.mandarin import chinese_numerals, integer_words, to_pinyin
from tutor.speech.pronounce import speakable


def _phonemes(pinyin: str) -> str:
    return subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", "cmn-latn-pinyin", pinyin],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.strip()


@pytest.mark.parametrize(
    ("text", "pinyin"),
    [
        ("长大", "zhang3 da4"),
        ("长度", "chang2 du4"),
        ("银行", "yin2 hang2"),
        ("行走", "xing2 zou3"),
        ("重量", "zhong4 liang4"),
        ("重新", "chong2 xin1"),
        ("他们的", "ta1 men5 de5"),
        ("绿色", "lv4 se4"),
    ],
)
def test_a_polyphone_is_read_as_its_word_wants(text, pinyin):
    assert to_pinyin(text) == pinyin


def test_the_two_readings_of_a_polyphone_sound_different():
    assert _phonemes(to_pinyin("长大")) != _phonemes(to_pinyin("长度"))
    assert "(en)" not in _phonemes(to_pinyin("长大长度银行行走重量重新"))


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("250克", "二百五十克"),
        ("0", "零"),
        ("15元", "十五元"),
        ("40元", "四十元"),
        ("105", "一百零五"),
        ("1005", "一千零五"),
        ("10010", "一万零一十"),
        ("100000", "十万"),
        ("1,000元", "一千元"),
        ("2.5斤", "二点五斤"),
        ("2斤", "两斤"),
        ("2个", "两个"),
        ("第2个", "第二个"),
        ("2月", "二月"),
        ("100%纯天然", "百分之一百纯天然"),
        ("2024年", "二零二四年"),
        ("13812345678", "一三八一二三四五六七八"),
        ("0851", "零八五一"),
    ],
)
def test_numbers_become_chinese_numerals_as_they_are_said(text, said):
    assert chinese_numerals(text) == said


def test_large_numbers_keep_their_zeros():
    assert integer_words(20_000_001) == "二千万零一"
    assert integer_words(300_000_000) == "三亿"


def test_numbers_are_then_read_by_the_phrase_dictionary():
    assert to_pinyin("250克") == "er4 bai3 wu3 shi2 ke4"
    assert to_pinyin("2斤") == "liang3 jin1"


def test_punctuation_becomes_pauses_and_quotes_do_not_stack_them():
    assert to_pinyin("你好，我们今天去银行。") == "ni3 hao3, wo3 men5 jin1 tian1 qu4 yin2 hang2."
    assert to_pinyin("不写“最好”“第一”这类词？") == ("bu4 xie3, zui4 hao3, di4 yi1, zhe4 lei4 ci2?")
    assert to_pinyin("“好”") == "hao3"


def test_latin_letters_are_named_the_way_mandarin_speakers_name_them():
    assert to_pinyin("用App卖") == "yong4 ei4 pi4 pi4 mai4"
    assert "(en)" not in _phonemes(to_pinyin("OK，TUTOR_HOME，JSON"))


def test_the_zh_route_is_taken_only_for_the_pinyin_voice():
    assert speakable("你好", "zh", "cmn-latn-pinyin") == "ni3 hao3"
    assert speakable("你好", "zh", "cmn") == "你好"
