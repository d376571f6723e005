"""Subword pieces from a sentencepiece model trained on all lesson text and lexicons.

Pieces let "사진을" and "사진이요" meet "사진", and a paraphrase share its meaningful parts with
the choice it describes. The model arrives as bytes (loading files is not this layer's job).
"""

from functools import lru_cache


class Subwords:
    def __init__(self, model: bytes | None):
        self._processor = None
        if model:
            import sentencepiece

            self._processor = sentencepiece.SentencePieceProcessor(model_proto=model)
        self.pieces = lru_cache(maxsize=4096)(self._pieces)

    def _pieces(self, text: str) -> frozenset[str]:
        """Meaningful pieces: the word-boundary mark and single characters of noise dropped."""
        if self._processor is None:
            return frozenset(_bigrams(text))
        pieces = {p.lstrip("▁") for p in self._processor.encode(text, out_type=str)}
        return frozenset(p for p in pieces if p)


def _bigrams(text: str) -> list[str]:
    compact = text.replace(" ", "")
    return [compact[i : i + 2] for i in range(len(compact) - 1)] or [compact]
