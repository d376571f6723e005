"""Every way this profile says "the n-th one", for the choices a prompt has.

Forms are generated from the profile's number words and frames (第{n}个, {n}번째), so a
dialect adds a number word once and gets every frame for free. Digits are always included:
they are what a keypad or a typing learner gives.
"""

from tutor.understand.lexicon import Lexicon


def number_phrases(lexicon: Lexicon, count: int) -> dict[int, list[str]]:
    """Number (1-based) -> every phrase that names it as a choice."""
    phrases: dict[int, list[str]] = {}
    for n in range(1, count + 1):
        spoken = [str(n), *lexicon.number_words.get(n, ())]
        forms = list(spoken)
        for pattern in lexicon.number_patterns:
            forms += [pattern.replace("{n}", word) for word in spoken]
        phrases[n] = list(dict.fromkeys(forms))
    return phrases


def from_end_phrases(lexicon: Lexicon, count: int) -> dict[int, list[str]]:
    """Choice number -> phrases that count it from the end ("second from last" of four is
    the third), for the frames the profile lists in `numbers.from_end`."""
    phrases: dict[int, list[str]] = {}
    for n in range(1, count + 1):
        spoken = [str(n), *lexicon.number_words.get(n, ())]
        forms = [p.replace("{n}", w) for p in lexicon.from_end_patterns for w in spoken]
        if forms:
            phrases[count - n + 1] = list(dict.fromkeys(forms))
    return phrases
