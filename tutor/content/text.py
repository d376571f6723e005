"""The plainest comparable form of a phrase, for spotting collisions between content words.

The understanding layer has the full normalizer (fillers, simplified/traditional, fuzzy
sounds); content only needs to see that two written forms are the same words.
"""

import unicodedata


def fold(text: str) -> str:
    """NFKC (full-width to half-width), case-folded, with spaces and punctuation removed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZSC")
