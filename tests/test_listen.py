"""Speech input pieces with the real Korean model: grammar, listening, endpointing, CLI."""

import json
import subprocess

import pytest
from conftest import run_tutor
from speech_helpers import korean_engine
from understand_helpers import understander

from tutor.speech.capture import MicrophoneUnavailable
from tutor.speech.grammar import build_grammar
from tutor.speech.mic import DeviceSource, Endpointer, FileSource, MicrophoneListener
from tutor.understand.expectation import Expectation

PHOTO = {
    "choices": [
        {"key": "1", "text": "창가 자연광에서 찍기", "aliases": ["창가"]},
        {"key": "2", "text": "밤에 플래시 켜고 찍기", "aliases": ["플래시"]},
    ]
}


def speak(tmp_path, text, voice="ko", name="said.wav", rate=150):
    raw, out = tmp_path / f"raw-{name}", tmp_path / name
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)
    return out


def test_the_grammar_holds_only_words_the_model_knows_plus_its_unknown_token():
    engine = korean_engine()
    grammar = build_grammar(
        Expectation.from_json(PHOTO, "ko"),
        understander("ko-yanbian").lexicon,
        engine.known,
        engine.unknown_token,
    )
    assert engine.unknown_token == "<UNK>"
    assert grammar.unknown == "<UNK>"
    words = {w for phrase in grammar.phrases for w in phrase.split()}
    assert words and all(engine.known(w) for w in words)
    assert "창가" in grammar.phrases and "플래시" in grammar.phrases
    assert 5 <= len(grammar.phrases) <= 40


def test_the_model_loads_in_the_background(tmp_path):
    from tutor.speech.vosk_engine import VoskEngine

    engine = VoskEngine(korean_engine().model_path)
    assert not engine.ready(timeout=0)
    assert engine.ready(timeout=60)


def test_a_microphone_listener_ends_on_silence_and_shows_partials(tmp_path):
    wav = speak(tmp_path, "다시")
    partials = []
    listener = MicrophoneListener(korean_engine(), understander("ko-yanbian"), FileSource(wav))
    heard = listener.listen(Expectation.from_json({}, "ko"), lambda t, lv: partials.append(lv))
    assert heard is not None and heard.source == "voice"
    assert 0 <= heard.started_at < heard.ended_at < 3.0
    assert partials and max(partials) > 0.01


def test_a_quiet_room_times_out_with_nothing_heard(tmp_path):
    silent = tmp_path / "silent.wav"
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(silent), "synth", "1", "sine", "0"],
        check=True,
    )
    listener = MicrophoneListener(korean_engine(), understander("ko-yanbian"), FileSource(silent))
    assert listener.listen(Expectation.from_json({}, "ko")) is None


def test_endpointing_has_a_hard_cap_for_a_radio_that_never_stops():
    endpointer = Endpointer()
    states = [endpointer.feed(0.3, 0.1) for _ in range(200)]
    assert "done" in states and states.index("done") <= 81


def test_no_microphone_here_is_said_in_one_line_in_the_learners_language():
    with pytest.raises(MicrophoneUnavailable):
        DeviceSource()
    result = run_tutor("listen", "--voice", "ko-yanbian", "--mic", env={"TUTOR_LANG": "ko"})
    assert result.returncode == 1
    assert result.stderr.strip() == "쓸 수 있는 마이크가 없습니다. 우선 키보드를 쓰세요."


def test_tutor_listen_answers_in_the_understand_contract_plus_what_was_heard(tmp_path):
    wav = speak(tmp_path, "네")
    expect = tmp_path / "expect.json"
    expect.write_text(json.dumps({"intents": ["yes", "no", "repeat"]}))
    result = run_tutor(
        "listen", "--voice", "ko-yanbian", "--wav", str(wav), "--expect", str(expect)
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert {"decision", "intent", "key", "score", "alternatives", "heard"} <= set(answer)
    assert (answer["decision"], answer["intent"]) in {("accept", "yes"), ("confirm", "yes")}


def test_tutor_listen_never_acts_on_mandarin_speech(tmp_path):
    wav = speak(tmp_path, "ni3 hao3, xia4 yi2 ge4", voice="cmn-latn-pinyin")
    result = run_tutor("listen", "--voice", "ko-yanbian", "--wav", str(wav))
    assert json.loads(result.stdout)["decision"] != "accept"


@pytest.mark.parametrize(
    "args,message",
    [
        (("--voice", "zh", "--wav", "x.wav"), "还没有语音识别模型"),
        (("--voice", "nope", "--wav", "x.wav"), "没有这个语音配置"),
        (("--voice", "ko-yanbian", "--wav", "/no/such.wav"), "找不到录音文件"),
    ],
)
def test_listen_mistakes_are_one_line_and_exit_1(args, message):
    result = run_tutor("listen", *args, env={"TUTOR_LANG": "zh"})
    assert result.returncode == 1
    assert result.stdout == ""
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_file_that_is_not_audio_is_refused_in_one_line(tmp_path):
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF....not really a wave file" * 10)
    result = run_tutor("listen", "--voice", "ko-yanbian", "--wav", str(junk))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
