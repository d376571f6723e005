"""Understanding-layer accuracy and speed on the corpus, beside two baselines in one run.

Per profile: accuracy of accepted intents, correct accept + confirm, confirm rate, wrong
accepts and noise rejected, for the tutor, an exact-match grammar (Rhasspy-style templates)
and plain rapidfuzz ratio. Then the median decision time on a 6-choice prompt, one core.
Targets (issue 3): correct accept + confirm >= 97 %, wrong accepts <= 0.5 %, noise rejected
>= 95 %, ahead of both baselines on every profile; median decision under 2 ms.

Run: `.venv/bin/python benchmarks/understand.py [--misses]`.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import publish
from understand_corpus import (
    PROFILES,
    evaluate,
    exact_grammar_decider,
    load_cases,
    load_prompts,
    rapidfuzz_decider,
    tutor_decider,
    verdict_target,
)

TARGETS = {"correct_accept_or_confirm_%": 97.0, "wrong_accept_%": 0.5, "noise_rejected_%": 95.0}
LATENCY_TARGET_MS = 2.0


def meets_targets(row: dict) -> bool:
    return (
        row["correct_accept_or_confirm_%"] >= TARGETS["correct_accept_or_confirm_%"]
        and row["wrong_accept_%"] <= TARGETS["wrong_accept_%"]
        and row["noise_rejected_%"] >= TARGETS["noise_rejected_%"]
    )


def decision_times_ms(decide, cases, prompts) -> list[float]:
    """Each utterance of the 6-choice prompt decided once more, after the warm-up pass."""
    six = [c for c in cases if c.prompt == "platform"]
    times = []
    for case in six:
        start = time.perf_counter()
        decide(case.profile, case.text, prompts[case.prompt])
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="print every miss of the tutor")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    prompts, cases = load_prompts(), load_cases()
    methods = {
        "tutor": tutor_decider(),
        "exact grammar": exact_grammar_decider(),
        "rapidfuzz ratio": rapidfuzz_decider(),
    }
    rows, results = [], {}
    for name, decide in methods.items():
        scores, misses = evaluate(cases, decide, prompts)
        results[name] = (scores, misses)
        for profile in [*PROFILES, "all"]:
            if profile in scores:
                rows.append({"profile": profile, "method": name, **scores[profile].row()})
    ours = {r["profile"]: r for r in rows if r["method"] == "tutor"}
    ahead = all(
        ours[r["profile"]]["correct_accept_or_confirm_%"] - ours[r["profile"]]["wrong_accept_%"]
        > r["correct_accept_or_confirm_%"] - r["wrong_accept_%"]
        for r in rows
        if r["method"] != "tutor"
    )
    times = decision_times_ms(methods["tutor"], cases, prompts)
    median_ms = statistics.median(times) if times else 0.0
    passed = (
        all(meets_targets(r) for r in ours.values()) and ahead and median_ms < LATENCY_TARGET_MS
    )
    publish(
        "understand",
        rows,
        [
            "profile",
            "method",
            "cases",
            "accept_accuracy_%",
            "correct_accept_%",
            "confirm_%",
            "correct_accept_or_confirm_%",
            "wrong_accept_%",
            "noise_rejected_%",
        ],
        {
            "targets": TARGETS,
            "median_decision_ms_6_choices": median_ms,
            "p90_decision_ms_6_choices": sorted(times)[int(len(times) * 0.9)] if times else 0.0,
            "ahead_of_baselines": ahead,
            "passed": passed,
        },
    )
    print(
        f"median decision time, 6 choices, one core: {median_ms:.3f} ms"
        f" (target < {LATENCY_TARGET_MS})"
    )
    if args.misses:
        for case, verdict in results["tutor"][1]:
            print(
                f"{case.profile:13} {case.kind:10} {case.prompt:12} {case.text!r:28} "
                f"want {case.want:9} got {verdict[0]} {verdict_target(verdict)}"
            )
    print(f"targets: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
