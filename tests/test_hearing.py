"""The decision rules between the grammar pass, its N-best and the free pass.

What the two vosk passes returned is given here as a `Heard` (the recognizer is exercised
end to end in test_listen_e2e.py); everything after it is the real understanding layer with
the shipped Yanbian profile.
"""

from understand_helpers import understander

from tutor.speech.hearing import decide
from tutor.speech.listener import Heard
from tutor.understand.expectation import Expectation

PHOTO = Expectation.from_json(
    {
        "choices": [
            {"key": "1", "text": "창가 자연광에서 찍기"},
            {"key": "2", "text": "밤에 플래시 켜고 찍기"},
            {"key": "3", "text": "전구 밑에서 찍기"},
        ]
    },
    "ko",
)


def heard(text: str, free: str, whole: bool, confidence: float = 1.0, alternatives=()) -> Heard:
    return Heard(
        text=text,
        confidence=confidence,
        source="voice",
        alternatives=tuple((a, 0.0) for a in alternatives),
        free_text=free,
        complete_phrase=whole,
    )


def verdict(h: Heard) -> tuple:
    d = decide(h, PHOTO, understander("ko-yanbian"))
    return d.decision, d.intent, d.key


def test_both_passes_hearing_one_whole_phrase_is_acted_on():
    assert verdict(heard("다음", "다음", whole=True)) == ("accept", "next", None)


def test_a_sure_grammar_pass_the_free_pass_does_not_back_is_only_asked_back():
    assert verdict(heard("다음", "사진", whole=True)) == ("confirm", "next", None)


def test_the_only_whole_reading_under_a_junk_result_is_asked_back():
    h = heard("뒤로 번째", "또 범죄자", whole=False, confidence=0.69, alternatives=["두 번째"])
    assert verdict(h) == ("confirm", "choice", "2")


def test_a_junk_result_with_several_whole_readings_is_not_guessed_at():
    h = heard("뒤로 번째", "또 범죄자", whole=False, alternatives=["두 번째", "다음"])
    assert verdict(h)[0] == "reject"


def test_two_commands_at_once_are_what_noise_sounds_like_and_are_rejected():
    assert verdict(heard("뒤로 그만", "또 곡", whole=False))[0] == "reject"


def test_an_unsure_whole_phrase_nothing_else_supports_is_rejected():
    assert verdict(heard("처음으로", "유발 했다", whole=True, confidence=0.4))[0] == "reject"
