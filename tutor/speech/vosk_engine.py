"""Vosk, loaded once in the background, and two passes over each utterance.

The model takes seconds to load on an old machine, so loading starts at once in a thread
while the first prompt is being spoken; `ready()` waits for it. Each utterance is decoded
twice: with the prompt's grammar, and freely with the model's own language model. The free
pass is the second opinion (as in rhasspy-speech): when the two disagree, the caller asks
back or rejects instead of acting.
"""

import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tutor.speech.grammar import UNKNOWN_TOKENS, Grammar

CHUNK_BYTES = 8000


@dataclass(frozen=True)
class Pass:
    text: str
    words: tuple[tuple[str, float], ...]
    alternatives: tuple[tuple[str, float], ...] = ()

    @property
    def confidence(self) -> float:
        return min((c for _, c in self.words), default=0.0)


class ModelNotReady(Exception):
    """The model failed to load; `reason` says why, for a one-line message."""


class VoskEngine:
    def __init__(self, model_path: Path, sample_rate: int = 16000):
        self.model_path = model_path
        self.sample_rate = sample_rate
        self._model = None
        self._error: Exception | None = None
        self._loaded = threading.Event()
        self._thread = threading.Thread(target=self._load, name="vosk-load", daemon=True)
        self._thread.start()
        self.known = lru_cache(maxsize=8192)(self._known)

    def _load(self) -> None:
        try:
            import vosk

            vosk.SetLogLevel(-1)
            self._model = vosk.Model(str(self.model_path))
        except Exception as err:  # any failure to load means "no voice input", said once
            self._error = err
        finally:
            self._loaded.set()

    def ready(self, timeout: float | None = None) -> bool:
        """True once the model is loaded; raises ModelNotReady if loading failed."""
        if not self._loaded.wait(timeout):
            return False
        if self._model is None:
            raise ModelNotReady(str(self._error))
        return True

    def _known(self, word: str) -> bool:
        self.ready()
        return self._model.vosk_model_find_word(word) >= 0

    @property
    def unknown_token(self) -> str | None:
        """The model's own unknown-word token: `[unk]`, `<UNK>` or `<unk>`, per model."""
        return next((t for t in UNKNOWN_TOKENS if self.known(t)), None)

    def _decoder(self, grammar: Grammar | None) -> object:
        """A recognizer for one utterance: with the prompt's grammar, or free when it is
        empty. The grammar goes as real characters: vosk takes JSON escapes as words."""
        import vosk

        self.ready()
        phrases = grammar.as_vosk() if grammar and grammar.phrases else None
        if phrases:
            decoder = vosk.KaldiRecognizer(
                self._model, self.sample_rate, json.dumps(phrases, ensure_ascii=False)
            )
        else:
            decoder = vosk.KaldiRecognizer(self._model, self.sample_rate)
        decoder.SetWords(True)
        return decoder

    def stream(self, grammar: Grammar | None) -> "Stream":
        return Stream(self._decoder(grammar))

    def recognize(self, pcm: bytes, grammar: Grammar | None, alternatives: int = 0) -> Pass:
        decoder = self._decoder(grammar)
        if alternatives:
            decoder.SetMaxAlternatives(alternatives)
        for start in range(0, len(pcm), CHUNK_BYTES):
            decoder.AcceptWaveform(pcm[start : start + CHUNK_BYTES])
        return _parse(json.loads(decoder.FinalResult()))


def _parse(result: dict) -> Pass:
    if "alternatives" in result:
        options = result["alternatives"]
        best = options[0] if options else {"text": "", "result": []}
        words = tuple((w["word"], 1.0) for w in best.get("result", []))
        others = tuple((o.get("text", ""), float(o.get("confidence", 0.0))) for o in options[1:])
        return Pass(best.get("text", ""), words, others)
    words = tuple((w["word"], float(w.get("conf", 0.0))) for w in result.get("result", []))
    return Pass(result.get("text", ""), words)


class Stream:
    """One utterance decoded as it arrives: the live "I am listening" transcript, and a
    result ready almost as soon as speech ends instead of a whole second pass after it."""

    def __init__(self, decoder: object):
        self._decoder = decoder
        self._segments: list[dict] = []

    def feed(self, pcm: bytes) -> str:
        """Add audio; return the transcript so far (finished segments plus the partial)."""
        if self._decoder.AcceptWaveform(pcm):
            self._segments.append(json.loads(self._decoder.Result()))
            partial = ""
        else:
            partial = json.loads(self._decoder.PartialResult()).get("partial", "")
        return " ".join([*(s.get("text", "") for s in self._segments), partial]).strip()

    def final(self) -> Pass:
        results = [*self._segments, json.loads(self._decoder.FinalResult())]
        passes = [_parse(r) for r in results]
        text = " ".join(p.text for p in passes if p.text)
        return Pass(text, tuple(w for p in passes for w in p.words))
