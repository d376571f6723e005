"""Mandarin text -> tone-numbered pinyin for espeak-ng's `cmn-latn-pinyin` voice.

Debian's espeak-ng reads many characters of its `cmn` voice as English letter names, but it
reads pinyin well, including third-tone sandhi. pypinyin chooses each character's reading
from its phrase dictionary, so polyphones follow the word they are in (长大 zhang3, 长度
chang2; 银行 hang2, 行走 xing2). Digits become Chinese numerals first, so that 250克 is read
二百五十克 by the same dictionary, and a phone number digit by digit.
"""

import re
import unicodedata

from tutor.speech.pronounce import rules, spell_latin
from tutor.understand import pinyin

_NUMBER = re.compile(r"(\d+)(?:\.(\d+))?(\s*%)?")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SYLLABLE = re.compile(r"[a-z]+[1-5]")
# Pauses, weakest first: a pause mark in the text becomes one of these for espeak-ng.
_PAUSES = (",", ".", "?")
_PAUSE_OF = {
    **dict.fromkeys(",、;:“”‘’\"'()《》「」【】—-~", ","),
    **dict.fromkeys(".。!…", "."),
    "?": "?",
}


def _digits(number: str) -> str:
    digits = rules("zh")["digits"]
    return "".join(digits[int(d)] for d in number)


def _group(n: int) -> str:
    """1..9999 in words: 250 -> 二百五十, 1005 -> 一千零五."""
    table = rules("zh")
    said, zero = "", False
    for place in (3, 2, 1, 0):
        digit = n // 10**place % 10
        if digit == 0:
            zero = bool(said)
            continue
        if zero:
            said += table["digits"][0]
            zero = False
        said += table["digits"][digit] + table["places"][place]
    return said


def integer_words(n: int) -> str:
    """A whole number in Chinese numerals, as it is said: 10010 -> 一万零一十, 15 -> 十五."""
    table = rules("zh")
    digits, places, groups = table["digits"], table["places"], table["groups"]
    if n == 0:
        return digits[0]
    parts = []
    while n:
        parts.append(n % 10000)
        n //= 10000
    said, zero = "", False
    for index in reversed(range(len(parts))):
        part = parts[index]
        if part == 0:
            zero = bool(said)
            continue
        if said and (zero or part < 1000):
            said += digits[0]
        said += _group(part) + groups[index]
        zero = False
    # 一十五 is said 十五, 一十万 is said 十万.
    if said.startswith(digits[1] + places[1]):
        said = said[1:]
    return said


def chinese_numerals(text: str) -> str:
    """Every number in `text` in Chinese numerals, read the way a Mandarin speaker reads it."""
    table = rules("zh")
    text = _THOUSANDS.sub("", text)

    def say(match: re.Match[str]) -> str:
        whole, fraction, percent = match.groups()
        before = text[match.start() - 1 : match.start()]
        after = text[match.end() : match.end() + 1]
        is_code = len(whole) >= table["code_digits"] or (len(whole) > 1 and whole[0] == "0")
        is_year = len(whole) == 4 and after == table["year"]
        if not fraction and not percent and (is_code or is_year):
            return _digits(whole)
        said = integer_words(int(whole))
        if fraction:
            said += table["point"] + _digits(fraction)
        elif whole == "2" and not percent and after and after in table["two_before"]:
            said = said if before == table["ordinal"] else table["two"]
        return table["percent"] + said if percent else said

    return _NUMBER.sub(say, text)


def to_pinyin(text: str) -> str:
    """`text` as tone-numbered pinyin with pauses: 你好，250克。 -> ni3 hao3, er4 bai3 wu3 shi2 ke4.

    The neutral tone is 5; Latin letters are spelled the way Mandarin speakers name them;
    marks that are not pauses are dropped.
    """
    text = chinese_numerals(unicodedata.normalize("NFKC", text))
    text = spell_latin(text, rules("zh")["letters"], " ")
    words: list[str] = []
    for token in pinyin.lazy_pinyin(text, pinyin.TONE3):
        for piece in token.split() if not _SYLLABLE.fullmatch(token) else [token]:
            if _SYLLABLE.fullmatch(piece):
                words.append(piece)
            else:
                words += [_PAUSE_OF[c] for c in piece if c in _PAUSE_OF]
    return _join(words)


def _join(words: list[str]) -> str:
    """Syllables separated by spaces, each run of pauses as its strongest pause; no pause
    first, and none last but a full stop or a question (which ends the sentence's tune)."""
    said = ""
    pause = ""
    for word in words:
        if word in _PAUSES:
            if said and _PAUSES.index(word) >= _PAUSES.index(pause or ","):
                pause = word
            continue
        said += f"{pause} {word}" if said else word
        pause = ""
    return said + (pause if pause != "," else "")
