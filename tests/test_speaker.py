"""The speaker: pyttsx3 and espeak-ng really run; only the sound card is a folder.

`FolderPlayback` takes each sound's real length and keeps a copy, so the tests can see
what was played, in what order, how long and whether it was cut off.
"""

import subprocess
import sys
import threading
import time
from dataclasses import replace

import pytest
from conftest import ROOT

from tutor.content.strings import load_catalog
from tutor.content.voices import load_profiles
from tutor.speech.playback import FolderPlayback, wav_seconds
from tutor.speech.speaker import RecordingSpeaker, SilentSpeaker, TtsSpeaker, Utterance
from tutor.speech.synth import Synthesizer

PROFILES, _ = load_profiles(ROOT / "voices")
ZH = PROFILES["zh"]
LONG = "买家看不到、摸不到你的东西，只能看照片。背景要干净，铺一块素色的布。"


def _until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.fixture
def sink(tmp_path):
    return FolderPlayback(tmp_path / "played")


@pytest.fixture
def fast_sink(tmp_path):
    return FolderPlayback(tmp_path / "played-fast", speed=20)


@pytest.fixture
def speaker_of(sink):
    """A real TtsSpeaker for a profile, closed after the test; `shown` gets what it printed."""
    made = []

    def make(profile=ZH, playback=sink, **options):
        shown: list[str] = []
        warned: list[str] = []
        speaker = TtsSpeaker(
            profile,
            load_catalog("zh"),
            playback=playback,
            show=shown.append,
            warn=warned.append,
            **options,
        )
        speaker.shown, speaker.warned = shown, warned
        made.append(speaker)
        return speaker

    yield make
    for speaker in made:
        speaker.close()


def test_say_returns_at_once_and_sentences_play_in_order(speaker_of, fast_sink):
    speaker = speaker_of(playback=fast_sink)
    started = time.monotonic()
    for text in ("你好。", "我们今天学拍照。", "再见。"):
        speaker.say(text)
    assert time.monotonic() - started < 0.05
    assert speaker.wait(30)
    assert [p.interrupted for p in fast_sink.played] == [False, False, False]
    for before, after in zip(fast_sink.played, fast_sink.played[1:], strict=False):
        assert after.started >= before.started + before.seconds - 0.01
    assert all(0.3 < wav_seconds(p.copy) < 5 for p in fast_sink.played)
    assert speaker.shown == [] and not speaker.failed


def test_stop_cuts_the_sentence_at_once_and_drops_the_queue(speaker_of, sink):
    speaker = speaker_of()
    speaker.say(LONG)
    speaker.say("这一句不该说出来。")
    assert _until(lambda: sink.played)
    time.sleep(0.3)
    stopped = time.monotonic()
    speaker.stop()
    assert speaker.wait(1)
    assert time.monotonic() - stopped < 0.2
    assert len(sink.played) == 1
    played = sink.played[0]
    assert played.interrupted and played.seconds < wav_seconds(played.copy) - 1


def test_speaking_goes_on_after_a_stop(speaker_of, sink):
    speaker = speaker_of()
    speaker.say(LONG)
    assert _until(lambda: sink.played)
    speaker.stop()
    speaker.say("好。")
    assert speaker.wait(10)
    assert [p.interrupted for p in sink.played] == [True, False]


def test_wait_gives_up_after_its_timeout(speaker_of):
    speaker = speaker_of()
    speaker.say(LONG)
    started = time.monotonic()
    assert speaker.wait(0.3) is False
    assert 0.25 < time.monotonic() - started < 1.0


def test_a_lower_rate_makes_the_next_sentences_slower(speaker_of, fast_sink):
    speaker = speaker_of(playback=fast_sink)
    speaker.say("请说慢一点。")
    speaker.wait(20)
    speaker.set_rate(80)
    speaker.say("请说慢一点。")
    speaker.wait(20)
    normal, slow = (wav_seconds(p.copy) for p in fast_sink.played)
    assert slow > normal * 1.5
    assert speaker.rate == 80


def test_the_rate_stays_within_what_espeak_can_do(speaker_of):
    speaker = speaker_of()
    speaker.set_rate(5)
    assert speaker.rate == 60
    speaker.set_rate(1000)
    assert speaker.rate == 300


def test_nothing_to_say_plays_nothing_and_is_no_failure(speaker_of, fast_sink):
    speaker = speaker_of(playback=fast_sink)
    speaker.say("……")
    assert speaker.wait(10)
    assert fast_sink.played == [] and not speaker.failed


@pytest.mark.parametrize("profile_id", ["ko-yanbian", "ug"])
def test_korean_and_uyghur_are_spoken_by_their_voices(speaker_of, fast_sink, profile_id):
    speaker = speaker_of(PROFILES[profile_id], playback=fast_sink)
    speaker.say({"ko-yanbian": "사과 10킬로, 100% 천연", "ug": "500 گرام ئالما"}[profile_id])
    assert speaker.wait(20)
    assert len(fast_sink.played) == 1 and wav_seconds(fast_sink.played[0].copy) > 0.5


def test_a_missing_voice_shows_the_text_and_says_so_once(speaker_of, fast_sink):
    speaker = speaker_of(replace(ZH, tts_voice="no-such-voice"), playback=fast_sink)
    speaker.say("第一句。")
    speaker.say("第二句。")
    started = time.monotonic()
    assert speaker.wait(30)
    assert time.monotonic() - started < 10
    assert speaker.shown == ["第一句。", "第二句。"]
    assert speaker.warned == [load_catalog("zh").text("speech.unavailable")]
    assert fast_sink.played == [] and speaker.failed


def test_no_sound_device_shows_the_text_instead(tmp_path, no_sound_output):
    """This machine has no sound card: the real device output must degrade, not hang."""
    shown: list[str] = []
    warned: list[str] = []
    speaker = TtsSpeaker(ZH, load_catalog("ko"), show=shown.append, warn=warned.append)
    try:
        speaker.say("你好。")
        speaker.say("再见。")
        assert speaker.wait(30)
    finally:
        speaker.close()
    assert shown == ["你好。", "再见。"]
    assert warned == [load_catalog("ko").text("speech.unavailable")]


def test_the_first_sentence_is_heard_soon(speaker_of, fast_sink):
    """Time to first audio, engine start included, then once the engine is warm."""
    speaker = speaker_of(playback=fast_sink)
    started = time.monotonic()
    speaker.say("你好。")
    assert _until(lambda: fast_sink.played)
    cold = fast_sink.played[0].started - started
    speaker.wait(10)
    started = time.monotonic()
    speaker.say("我们开始吧。")
    assert _until(lambda: len(fast_sink.played) == 2)
    warm = fast_sink.played[1].started - started
    print(f"time to first audio: cold {cold:.3f} s, warm {warm:.3f} s")
    assert cold < 3.0 and warm < 0.5


def test_close_ends_the_engine_process(speaker_of, fast_sink):
    speaker = speaker_of(playback=fast_sink)
    speaker.say("你好。")
    speaker.wait(10)
    process = speaker._synth._process
    assert process is not None and process.poll() is None
    speaker.close()
    assert process.poll() is not None


def test_the_recording_speaker_keeps_what_was_said_with_voice_and_rate():
    speaker = RecordingSpeaker(ZH)
    speaker.say("你好。", "app.welcome")
    speaker.set_rate(90)
    speaker.say("慢一点。")
    speaker.stop()
    assert speaker.wait(0)
    assert speaker.said == [
        Utterance("你好。", "app.welcome", "cmn-latn-pinyin", 150),
        Utterance("慢一点。", None, "cmn-latn-pinyin", 90),
    ]
    assert speaker.stops == 1


def test_the_silent_speaker_says_nothing_and_never_waits():
    speaker = SilentSpeaker(ZH)
    speaker.say("你好。")
    speaker.set_rate(100)
    assert speaker.wait(0) and speaker.rate == 100
    speaker.stop()
    speaker.close()


def test_pyttsx3_prints_nothing_on_our_output(tmp_path):
    """The driver prints "Audio saved to ..." for every file; the worker keeps it away."""
    probe = (
        "from pathlib import Path\n"
        "from tutor.speech.synth import Synthesizer\n"
        "s = Synthesizer('cmn-latn-pinyin')\n"
        f"s.synthesize('ni3 hao3', 150, Path({str(tmp_path / 'a.wav')!r}))\n"
        "s.close()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert (tmp_path / "a.wav").stat().st_size > 1000


def test_say_is_safe_from_many_threads(speaker_of, fast_sink):
    speaker = speaker_of(playback=fast_sink)
    threads = [threading.Thread(target=speaker.say, args=(f"第{n}句。",)) for n in range(1, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert speaker.wait(30)
    assert len(fast_sink.played) == 3


def test_alternating_rates_are_all_kept(tmp_path):
    """pyttsx3 cancels espeak in every runAndWait when it is busy, which drops a rate just
    set or cuts the sentence to nothing; the worker waits for espeak to be idle first."""
    synthesizer = Synthesizer("cmn-latn-pinyin")
    wav = tmp_path / "same.wav"
    seconds = {80: set(), 300: set()}
    try:
        for rate in [80, 300] * 6:
            synthesizer.synthesize("mai3 jia1 kan4 bu2 dao4 zhao4 pian4.", rate, wav)
            seconds[rate].add(round(wav_seconds(wav), 1))
    finally:
        synthesizer.close()
    assert len(seconds[80]) == 1 and len(seconds[300]) == 1
    assert min(seconds[80]) > 2 * max(seconds[300]) > 0
