"""Train the subword model in memory from the sentences content gives us (no file I/O)."""

import io
from collections.abc import Iterable

SPARE_PIECES = 800
"""Pieces beyond one per character: room for the words and suffixes worth learning (400
was too few for Uyghur once the whole course was in; 1200 splits Korean too finely)."""

TRAINING = f"unigram vocab>=1200 spare={SPARE_PIECES}"
"""The settings, part of the model's stamp: changing them retrains the model."""


def train_subwords(sentences: Iterable[str], vocab_size: int = 1200) -> bytes:
    """A unigram sentencepiece model over normalized lesson text and lexicon words.

    `hard_vocab_limit` is off because a starter pack is small: the model takes as many
    pieces as the text supports, up to `vocab_size`.
    """
    import sentencepiece

    model = io.BytesIO()
    unique = sorted({s for s in sentences if s})
    # Every character must have a piece of its own (coverage is 1.0, for rare Uyghur and
    # Hangul letters), so a course with many Chinese characters needs room beyond them.
    characters = len({ch for sentence in unique for ch in sentence})
    vocab_size = max(vocab_size, characters + SPARE_PIECES)
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(unique),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=1.0,
        normalization_rule_name="identity",
        split_by_whitespace=True,
        minloglevel=2,
        num_threads=1,
    )
    return model.getvalue()
