"""Bring what was heard or typed, and every phrase it is compared with, to one plain form.

The same function is applied to both sides, so whatever it removes or folds can never make
two different answers look alike by accident on one side only.
"""

import re
import unicodedata
from functools import lru_cache

from tutor.understand.lexicon import Lexicon

# A word said again and again counts once (对对对, 下一个下一个); digits never collapse,
# since 11 is not 1 and 100 is not 10.
_REPEAT = re.compile(r"(\D+?)\1+")

MAX_CHARACTERS = 200
"""An answer is a few words; a longer text (a pasted page, a radio left on) is cut here so
that matching stays fast whatever arrives."""


STACKED_SUFFIXES = 2


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc

    return opencc.OpenCC("t2s")


def _plain(text: str) -> str:
    """NFKC (full-width to half-width, Arabic presentation forms to letters), no case."""
    return unicodedata.normalize("NFKC", text).casefold()


def _spelled(text: str, lexicon: Lexicon) -> str:
    """One spelling for one word: simplified Chinese, and the profile's `spellings` (the
    same Uyghur letter typed from an Arabic, Persian or Uyghur keyboard)."""
    text = _plain(text)
    if lexicon.language == "zh":
        text = _to_simplified().convert(text)
    for variant, standard in lexicon.spellings:
        text = text.replace(variant, standard)
    return text


def words(text: str, lexicon: Lexicon) -> list[str]:
    """The words of `text` with punctuation, fillers, polite endings and repeats removed."""
    text = text[:MAX_CHARACTERS].encode("utf-8", "replace").decode("utf-8")
    text = _spelled(text, lexicon)
    cleaned = "".join(ch if unicodedata.category(ch)[0] in "LN" else " " for ch in text)
    tokens = _with_synonyms([t for t in cleaned.split() if t], lexicon)
    if lexicon.language == "zh":
        tokens = [_drop_fillers("".join(tokens), _folded_fillers(lexicon))]
    else:
        fillers = set(_folded_fillers(lexicon))
        endings, particles = _folded_endings(lexicon)
        kept = [t for t in tokens if t not in fillers]
        kept = [_strip_endings(t, endings, particles) for t in kept]
        kept = [t for t in kept if t and t not in fillers]
        tokens = kept or max(tokens, key=len, default="").split()
    tokens = [_REPEAT.sub(r"\1", t) for t in tokens if t]
    return [t for i, t in enumerate(tokens) if t and (i == 0 or t != tokens[i - 1])]


def normalize(text: str, lexicon: Lexicon) -> str:
    """The comparable key: the words joined without spaces (spacing varies by recognizer)."""
    return "".join(words(text, lexicon))


def spaced(text: str, lexicon: Lexicon) -> str:
    """The words with single spaces between them: what the subword model learns and reads."""
    return " ".join(words(text, lexicon))


@lru_cache(maxsize=64)
def _folded_fillers(lexicon: Lexicon) -> tuple[str, ...]:
    folded = {_spelled(f, lexicon) for f in lexicon.fillers}
    return tuple(sorted(folded, key=len, reverse=True))


@lru_cache(maxsize=64)
def _folded_endings(lexicon: Lexicon) -> tuple[tuple[str, ...], tuple[str, ...]]:
    def longest_first(items: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted({_spelled(e, lexicon) for e in items}, key=len, reverse=True))

    return longest_first(lexicon.endings), longest_first(lexicon.particles)


def _drop_fillers(text: str, fillers: tuple[str, ...]) -> str:
    """Remove filler words; if nothing but fillers was said, keep them: a lone filler may be
    an answer in some profile, and an empty answer would hide that something was said."""
    stripped = text
    for filler in fillers:
        stripped = stripped.replace(filler, "")
    if stripped:
        return stripped
    return next((f for f in fillers if f in text), text)


def _strip_endings(token: str, endings: tuple[str, ...], particles: tuple[str, ...]) -> str:
    """Peel a polite ending, then up to two stacked suffixes (다음으로요 -> 다음; Uyghur
    possessive + case: كېيىنكىسىگە -> كېيىنكى).

    A suffix is peeled only when two letters stay, since short words end in the same
    letters (다은 is a slip for 다음, not 다 + 은).
    """
    for ending in endings:
        if token.endswith(ending) and len(token) > len(ending):
            token = token[: -len(ending)]
            break
    for _ in range(STACKED_SUFFIXES):
        particle = next(
            (p for p in particles if token.endswith(p) and len(token) - len(p) >= 2), None
        )
        if particle is None:
            break
        token = token[: -len(particle)]
    return token


@lru_cache(maxsize=64)
def _folded_synonyms(lexicon: Lexicon) -> tuple[tuple[str, str], ...]:
    pairs = {(_spelled(a, lexicon), _spelled(b, lexicon)) for a, b in lexicon.synonyms}
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def _with_synonyms(tokens: list[str], lexicon: Lexicon) -> list[str]:
    """Regional words and loanwords replaced by the word the lessons use (纸壳箱子 -> 纸箱,
    덩파오 -> 전구). Chinese is replaced anywhere; Korean and Uyghur at the start of a word,
    so the suffix stays (쑤랴오다이에 -> 비닐봉지에)."""
    synonyms = _folded_synonyms(lexicon)
    if not synonyms:
        return tokens
    if lexicon.language == "zh":
        text = "".join(tokens)
        for variant, standard in synonyms:
            text = text.replace(variant, standard)
        return [text] if text else []
    out = []
    for token in tokens:
        for variant, standard in synonyms:
            if token.startswith(variant):
                token = standard + token[len(variant) :]
                break
        out.append(token)
    return out
