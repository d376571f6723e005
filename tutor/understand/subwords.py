"""Subword pieces from a sentencepiece model trained on all lesson text and lexicons.

Pieces let "사진을" and "사진이요" meet "사진", and a paraphrase share its meaningful parts with
the choice it describes. The model arrives as bytes (loading files is not this layer's job).
"""

from functools import lru_cache


class Subwords:
    """One per language: pieces are shared, but whether characters count depends on it."""

    def __init__(self, model: bytes | None, with_characters: bool = False, shortest: int = 1):
        self._processor = None
        if model:
            import sentencepiece

            try:
                self._processor = sentencepiece.SentencePieceProcessor(model_proto=model)
            except RuntimeError:
                # A damaged model file must not stop the tutor from listening: matching
                # falls back to character pairs until `tutor lessons check` retrains it.
                self._processor = None
        self.with_characters = with_characters
        self.shortest = shortest
        self.pieces = lru_cache(maxsize=4096)(self._pieces)

    @property
    def loaded(self) -> bool:
        return self._processor is not None

    def for_language(self, language: str) -> "Subwords":
        # A Chinese character or a Hangul syllable carries meaning; a letter or two of
        # Uyghur does not, so pieces shorter than three letters are left out there.
        copy = Subwords(
            None, with_characters=language == "zh", shortest=3 if language == "ug" else 1
        )
        copy._processor = self._processor
        return copy

    def _pieces(self, text: str) -> frozenset[str]:
        """Pieces without the word-boundary mark; with `with_characters` (Chinese, where every
        character is a word part) each character too, so 窗…边 still meets the piece 窗边."""
        if self._processor is None:
            return frozenset(_bigrams(text))
        pieces = {p.lstrip("▁") for p in self._processor.encode(text, out_type=str)}
        if self.with_characters:
            pieces |= set(text)
        return frozenset(p for p in pieces if len(p) >= self.shortest)


def _bigrams(text: str) -> list[str]:
    compact = text.replace(" ", "")
    return [compact[i : i + 2] for i in range(len(compact) - 1)] or [compact]
