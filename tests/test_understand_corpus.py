"""The evaluation corpus (tests/data/understand/) scored as the benchmark scores it.

The issue's targets are asserted per profile in `test_targets_of_the_issue`.
"""

import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from understand_corpus import (
    PROFILES,
    evaluate,
    exact_grammar_decider,
    kind_counts,
    load_cases,
    load_prompts,
    rapidfuzz_decider,
    tutor_decider,
)


@pytest.fixture(scope="module")
def corpus():
    return load_prompts(), load_cases()


@pytest.fixture(scope="module")
def ours(corpus):
    prompts, cases = corpus
    return {p: s.row() for p, s in evaluate(cases, tutor_decider(), prompts)[0].items()}


def test_the_corpus_is_large_and_covers_every_profile_and_kind(corpus):
    _, cases = corpus
    assert len(cases) >= 400
    assert sum(c.is_noise for c in cases) >= 80
    counts = kind_counts(cases)
    for profile in PROFILES:
        for kind in ("exact", "number", "slip", "paraphrase", "noise"):
            assert counts[(profile, kind)] >= 10, (profile, kind)


@pytest.mark.parametrize("profile", PROFILES)
def test_almost_no_wrong_accepts(ours, profile):
    assert ours[profile]["wrong_accept_%"] <= 0.5


@pytest.mark.parametrize("baseline", [exact_grammar_decider, rapidfuzz_decider])
def test_ahead_of_both_baselines_on_every_profile(corpus, ours, baseline):
    prompts, cases = corpus
    theirs = evaluate(cases, baseline(), prompts)[0]
    for profile in PROFILES:
        mine, base = ours[profile], theirs[profile].row()
        assert mine["correct_accept_or_confirm_%"] > base["correct_accept_or_confirm_%"]
        assert mine["wrong_accept_%"] <= base["wrong_accept_%"]


@pytest.mark.parametrize("profile", PROFILES)
def test_targets_of_the_issue(ours, profile):
    row = ours[profile]
    assert row["correct_accept_or_confirm_%"] >= 97.0
    assert row["wrong_accept_%"] <= 0.5
    assert row["noise_rejected_%"] >= 95.0
