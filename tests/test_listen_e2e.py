"""End to end: synthesized Korean through the real vosk model, to a checked decision.

Recordings are made at test time (espeak-ng voices, speeds, pitches, added noise; silence,
noise and Mandarin that must never be acted on). The bar puts safety first: no negative is
accepted and wrong accepts stay at or under 3 %; the issue's 60 % of answers landing is
asserted as a strict expected failure until it is met, with today's level held as a floor.
"""

import pytest
from speech_corpus import Tally, make_recordings, target_of
from speech_helpers import korean_engine
from understand_corpus import load_prompts
from understand_helpers import understander

from tutor.speech.hearing import decide
from tutor.speech.mic import WavListener
from tutor.understand.expectation import Expectation


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    recordings = make_recordings(tmp_path_factory.mktemp("speech"))
    engine = korean_engine()
    ears = understander("ko-yanbian")
    prompts = load_prompts()
    tally = Tally()
    rows = []
    for recording in recordings:
        expectation = Expectation.from_json(prompts[recording.prompt], "ko")
        heard = WavListener(engine, ears, recording.path).listen(expectation)
        decision = decide(heard, expectation, ears)
        got = target_of(decision.decision, decision.intent, decision.key)
        tally.add(recording, decision.decision, got)
        rows.append((recording, decision.decision, got, heard))
    return tally, rows


def test_at_least_sixty_recordings_with_negatives(results):
    tally, _ = results
    assert tally.answers + tally.negatives >= 60
    assert tally.negatives >= 10


def test_no_negative_is_ever_accepted(results):
    _, rows = results
    accepted = [
        (r.said, got) for r, decision, got, _ in rows if r.want == "reject" and decision == "accept"
    ]
    assert accepted == []


def test_wrong_accepts_stay_at_or_under_three_percent(results):
    tally, _ = results
    assert tally.row()["wrong_accept_%"] <= 3.0


def test_ground_already_gained_is_kept(results):
    tally, _ = results
    assert tally.row()["correct_accept_or_confirm_%"] >= 50.0


@pytest.mark.xfail(strict=True, reason="issue 4 bar of 60 % not met yet: benchmarks/listen.py")
def test_the_issue_bar(results):
    tally, _ = results
    assert tally.row()["correct_accept_or_confirm_%"] >= 60.0
