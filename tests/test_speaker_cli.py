"""`tutor say` as a mentor runs it: real espeak-ng, real WAV files that sox measures."""

import subprocess

import pytest
from conftest import run_tutor


def _soxi(path, flag: str) -> str:
    return subprocess.run(
        ["soxi", flag, str(path)], capture_output=True, text=True, check=True, timeout=30
    ).stdout.strip()


def _seconds(path) -> float:
    return float(_soxi(path, "-D"))


@pytest.mark.parametrize(
    ("voice", "text"),
    [
        ("zh", "买家看不到你的东西，只能看照片。"),
        ("zh-southwest", "250克蜂蜜，一共60元。"),
        ("ko-yanbian", "손님은 사진만 봅니다. 10킬로, 100% 천연."),
        ("ug", "خېرىدار پەقەت رەسىمنىلا كۆرىدۇ. 500 گرام."),
    ],
)
def test_say_to_a_file_writes_a_wav_that_sox_reads(tmp_path, voice, text):
    wav = tmp_path / "said.wav"
    result = run_tutor("say", "--voice", voice, "--to", str(wav), text)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert _soxi(wav, "-c") == "1" and _soxi(wav, "-r") == "22050"
    assert 1.0 < _seconds(wav) < 10.0
    stat = subprocess.run(["sox", str(wav), "-n", "stat"], capture_output=True, text=True)
    assert stat.returncode == 0


def test_a_lower_rate_writes_a_longer_sentence(tmp_path):
    text = "请说慢一点。"
    run_tutor("say", "--rate", "80", "--to", str(tmp_path / "slow.wav"), text)
    run_tutor("say", "--rate", "300", "--to", str(tmp_path / "fast.wav"), text)
    assert _seconds(tmp_path / "slow.wav") > 2 * _seconds(tmp_path / "fast.wav")


def test_a_catalog_string_is_said_by_its_id(tmp_path):
    wav = tmp_path / "welcome.wav"
    result = run_tutor("say", "--id", "app.welcome", "--to", str(wav), env={"TUTOR_LANG": "ko"})
    assert result.returncode == 0, result.stderr
    assert _seconds(wav) > 1.0


def test_a_lesson_sentence_is_said_by_its_id(tmp_path):
    wav = tmp_path / "why.wav"
    result = run_tutor("say", "--id", "starter/photos/why.text", "--to", str(wav))
    assert result.returncode == 0, result.stderr
    assert _seconds(wav) > 1.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--voice", "nope", "hi"], "没有这个语音配置：nope"),
        (["--id", "no.such.id"], "没有这个句子编号：no.such.id"),
        (["   "], "没有要说的话"),
    ],
)
def test_mistakes_are_one_line_and_exit_1(args, message):
    result = run_tutor("say", *args)
    assert result.returncode == 1
    assert result.stderr.strip() == message and result.stdout == ""


def test_a_file_that_cannot_be_written_is_one_line_and_exit_1(tmp_path):
    result = run_tutor("say", "--to", str(tmp_path / "no" / "such" / "folder.wav"), "你好")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_without_a_sound_card_the_text_is_shown_and_the_reason_said_once(no_sound_output):
    result = run_tutor("say", "--voice", "ug", "سالام", env={"TUTOR_LANG": "ug"})
    assert result.returncode == 1
    assert result.stdout.strip() == "سالام"
    assert result.stderr.strip().splitlines() == [
        "بۇ كومپيۇتېر ھازىر ئاۋاز چىقىرالمايدۇ، گەپلەر تۆۋەندە يېزىق بىلەن كۆرسىتىلىدۇ."
    ]


def test_say_is_listed_in_help():
    result = run_tutor("--help")
    assert "say" in result.stdout
    assert "coverage" in run_tutor("voices", "--help").stdout
