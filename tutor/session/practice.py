"""Checking a free answer against a practice step's keyword groups.

Each group is one idea and its ways of saying it; the answer is good when it names at least
`need` ideas. Words are looked for inside the answer, so Korean and Uyghur words still count
with a case ending on them (크기를, رەڭگىنى).
"""

import unicodedata

from tutor.content.schema import PracticeStep


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def ideas_named(step: PracticeStep, language: str, answer: str) -> int:
    heard = _plain(answer)
    groups = step.keywords.get(language) or step.keywords.get("zh") or []
    return sum(any(_plain(word) and _plain(word) in heard for word in group) for group in groups)


def practice_result(step: PracticeStep, language: str, answer: str) -> bool:
    groups = step.keywords.get(language) or step.keywords.get("zh") or []
    return ideas_named(step, language, answer) >= min(step.need, len(groups))
