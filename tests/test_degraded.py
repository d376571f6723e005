"""No model, no microphone, a microphone that dies: the learner carries on by keyboard,
told once in their language. This machine really has no microphone."""

import io

from speech_helpers import korean_engine
from understand_helpers import understander

from tutor.content.paths import voices_dir
from tutor.content.strings import load_catalog
from tutor.content.voices import load_profiles
from tutor.speech.available import FallbackListener, open_listener
from tutor.speech.capture import MicrophoneUnavailable
from tutor.speech.listener import KeyboardListener
from tutor.speech.mic import MicrophoneListener
from tutor.understand.expectation import Expectation

PROFILES, _ = load_profiles(voices_dir())
ANY = Expectation.from_json({}, "ko")


def test_no_model_for_the_language_means_keys_said_once():
    told = []
    listener = open_listener(
        PROFILES["zh-southwest"],
        understander("zh-southwest"),
        load_catalog("zh"),
        io.StringIO("2\n"),
        told.append,
    )
    assert not listener.by_voice
    assert told == [load_catalog("zh").text("voice.no_model")]
    assert listener.listen(ANY).text == "2"


def test_no_microphone_means_keys_said_once_in_the_learners_language():
    told = []
    listener = open_listener(
        PROFILES["ko-yanbian"],
        understander("ko-yanbian"),
        load_catalog("ko"),
        io.StringIO("1\n3\n"),
        told.append,
    )
    assert not listener.by_voice
    assert told == ["마이크를 찾지 못했습니다. 숫자 키로 대답해 주세요."]
    assert [listener.listen(ANY).text, listener.listen(ANY).text] == ["1", "3"]
    assert len(told) == 1


class _DyingSource:
    """A headset unplugged mid-lesson: sound stops arriving."""

    def blocks(self):
        raise MicrophoneUnavailable("unplugged")
        yield b""

    def close(self):
        pass


def test_a_microphone_that_dies_mid_lesson_hands_over_to_the_keys_once():
    told = []
    voice = MicrophoneListener(korean_engine(), understander("ko-yanbian"), _DyingSource())
    listener = FallbackListener(voice, KeyboardListener(io.StringIO("2\n2\n")), told.append, "lost")
    assert listener.listen(ANY).text == "2"
    assert listener.listen(ANY).text == "2"
    assert told == ["lost"] and not listener.by_voice
