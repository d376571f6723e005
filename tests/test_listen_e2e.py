"""End to end: synthesized Korean through the real vosk model, to a checked decision.

Recordings are made at test time (espeak-ng voices, speeds, pitches, added noise; silence,
noise and Mandarin that must never be acted on). The bar puts safety first: no negative is
accepted, wrong accepts stay at or under 3 %, and most negatives are not even asked about;
then at least 60 % of answers land (accepted, or asked back with the right answer).
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


def test_noise_and_small_talk_are_seldom_even_asked_about(results):
    tally, _ = results
    assert tally.row()["negatives_asked_back_%"] <= 25.0


def test_the_issue_bar(results):
    tally, _ = results
    assert tally.row()["correct_accept_or_confirm_%"] >= 60.0
