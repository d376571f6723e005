"""Speech input with the real Korean vosk model, on one core, beside its baselines.

On the same synthesized recordings (benchmarks/speech_corpus.py): the tutor (per-prompt
grammar, N-best, free pass, two-decoder check, understanding layer) against grammar-only,
free-only and the naive baseline (one grammar of the raw phrases, rapidfuzz over the result):
answers landing, wrong accepts, negatives accepted, time per utterance and real-time factor.
Then model load time, decision latency after the end of speech, peak memory of the model
alone and of the tutor listening, and the confusion per command.

Run: `.venv/bin/python benchmarks/listen.py`.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from common import pinned, publish
from speech_corpus import Tally, make_recordings, target_of
from understand_corpus import load_prompts

TARGETS = {"correct_accept_or_confirm_%": 60.0, "wrong_accept_%": 3.0}
OVERHEAD_TARGET_MB = 60

MEMORY_PROBE = """
import resource, sys
import vosk
vosk.SetLogLevel(-1)
vosk.Model(sys.argv[1])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

TUTOR_PROBE = """
import resource, sys
from tutor.cli import main
main(["listen", "--voice", "ko-yanbian", "--wav", sys.argv[1]])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_mb(code: str, arg: str) -> float:
    out = (
        subprocess.run(
            pinned([sys.executable, "-c", code, arg]), capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    return int(out) / 1024


def methods(engine, ears):
    from rapidfuzz import fuzz

    from tutor.speech.grammar import Grammar, build_grammar, phrase_groups
    from tutor.speech.hearing import decide, recognize

    def tutor(pcm, expectation):
        return decide(recognize(engine, pcm, expectation, ears), expectation, ears)

    def grammar_only(pcm, expectation):
        grammar = build_grammar(expectation, ears.lexicon, engine.known, engine.unknown_token)
        return ears.understand(engine.recognize(pcm, grammar).text, expectation)

    def free_only(pcm, expectation):
        return ears.understand(engine.recognize(pcm, None).text, expectation)

    def naive(pcm, expectation):
        from tutor.understand.engine import Decision

        phrases = {p: None for group, _ in phrase_groups(expectation, ears.lexicon) for p in group}
        heard = engine.recognize(pcm, Grammar(tuple(phrases), None)).text
        targets = ears.matcher.prepare(expectation).phrases
        best = max(((fuzz.ratio(heard, p.text), p.target) for p in targets), default=(0, None))
        score, target = best
        if target is None or score < 65:
            return Decision("reject", None, None, score / 100)
        verdict = "accept" if score >= 85 else "confirm"
        return Decision(verdict, target[0], target[1], score / 100)

    return {
        "tutor": tutor,
        "grammar only": grammar_only,
        "free only": free_only,
        "naive (raw grammar + rapidfuzz)": naive,
    }


def live_latencies(engine, ears, recordings, prompts, count: int = 16) -> list[float]:
    """From the end of speech to the decision, with the audio arriving in real time as from
    a microphone (both passes decode while the learner speaks)."""
    from tutor.speech.hearing import decide
    from tutor.speech.mic import FileSource, MicrophoneListener
    from tutor.understand.expectation import Expectation

    spoken = [r for r in recordings if r.want != "reject"][::5][:count]
    out = []
    for recording in spoken:
        expectation = Expectation.from_json(prompts[recording.prompt], "ko")
        listener = MicrophoneListener(engine, ears, FileSource(recording.path, pace=1.0))
        heard = listener.listen(expectation)
        begin = time.perf_counter()
        if heard is not None:
            decide(heard, expectation, ears)
        out.append((listener.seconds_after_speech + time.perf_counter() - begin) * 1000)
    return out


def main() -> int:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from understand_helpers import understander

    from tutor.speech.audio_in import read_wav
    from tutor.speech.models import find_model
    from tutor.speech.vosk_engine import VoskEngine
    from tutor.understand.expectation import Expectation

    model = find_model("vosk-model-small-ko-0.22", "ko")
    with tempfile.TemporaryDirectory() as scratch:
        recordings = make_recordings(Path(scratch))
        # Children first: Linux keeps a process's peak memory across exec, so a child of
        # this process measured after the model is loaded here would report our peak.
        model_mb = peak_mb(MEMORY_PROBE, str(model.path))
        tutor_mb = peak_mb(TUTOR_PROBE, str(recordings[0].path))
        start = time.perf_counter()
        engine = VoskEngine(model.path)
        engine.ready()
        load_s = time.perf_counter() - start
        ears = understander("ko-yanbian")
        prompts = load_prompts()
        audio = [(r, read_wav(r.path)) for r in recordings]
        rows, latencies = [], []
        confusion: dict[str, Counter] = defaultdict(Counter)
        for name, decide in methods(engine, ears).items():
            tally = Tally()
            for recording, pcm in audio:
                expectation = Expectation.from_json(prompts[recording.prompt], "ko")
                begin = time.perf_counter()
                decision = decide(pcm, expectation)
                spent = time.perf_counter() - begin
                tally.seconds += spent
                tally.audio_seconds += len(pcm) / 2 / 16000
                got = target_of(decision.decision, decision.intent, decision.key)
                tally.add(recording, decision.decision, got)
                if name == "tutor":
                    latencies.append(spent * 1000)
                    confusion[f"{recording.said} ({recording.want})"][
                        f"{decision.decision}:{got}"
                    ] += 1
            rows.append({"method": name, **tally.row()})
        live_ms = live_latencies(engine, ears, recordings, prompts)
    ours = rows[0]
    passed = (
        ours["correct_accept_or_confirm_%"] >= TARGETS["correct_accept_or_confirm_%"]
        and ours["wrong_accept_%"] <= TARGETS["wrong_accept_%"]
        and ours["negatives_accepted"] == 0
        and tutor_mb - model_mb <= OVERHEAD_TARGET_MB
    )
    extra = {
        "targets": TARGETS,
        "model_load_s": round(load_s, 2),
        "decision_latency_ms_median": round(statistics.median(latencies), 1),
        "live_latency_ms_median": round(statistics.median(live_ms), 1),
        "live_latency_ms_p90": round(sorted(live_ms)[int(len(live_ms) * 0.9)], 1),
        "decision_latency_ms_p90": round(sorted(latencies)[int(len(latencies) * 0.9)], 1),
        "peak_mb_model_alone": round(model_mb, 1),
        "peak_mb_tutor_listen": round(tutor_mb, 1),
        "tutor_overhead_mb": round(tutor_mb - model_mb, 1),
        "confusion": {said: dict(got) for said, got in confusion.items()},
        "passed": passed,
    }
    publish(
        "listen",
        rows,
        [
            "method",
            "recordings",
            "correct_accept_%",
            "correct_accept_or_confirm_%",
            "wrong_accept_%",
            "negatives_accepted",
            "negatives_asked_back_%",
            "ms_per_utterance",
            "real_time_factor",
        ],
        extra,
    )
    for key in (
        "model_load_s",
        "decision_latency_ms_median",
        "decision_latency_ms_p90",
        "live_latency_ms_median",
        "live_latency_ms_p90",
        "peak_mb_model_alone",
        "peak_mb_tutor_listen",
        "tutor_overhead_mb",
    ):
        print(f"{key}: {extra[key]}")
    print("confusion (said -> decision:target counts):")
    for said, got in confusion.items():
        print(f"  {said:24} {json.dumps(dict(got), ensure_ascii=False)}")
    print(f"targets: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
