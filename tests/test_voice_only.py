"""`tutor learn --voice-only`: a whole lesson with no screen, by keys and by Korean speech.

The speech test plays recordings made at test time with espeak-ng (the hardware edge: they
stand in for the microphone) through the real vosk Korean model, the checks between its two
passes, the understanding layer and the lesson runner. The answers are what a learner says
to what the tutor asks: "다음" to go on, the first choice, "네" when the tutor asks back the
right thing and "아니요" when it asks back the wrong one.
"""

import json
import subprocess
import sys

from conftest import ROOT, run_tutor

LEARNER_SAYS = [
    "다음", "네",
    "첫 번째", "아니요", "창가", "아니요", "일 번", "네",
    "다음", "네",
    "다음", "네",
    "크기하고 색깔", "크기하고 색깔",
    "다음", "네",
]


def _events(home) -> list[dict]:
    out = run_tutor("progress", "export", "--format", "json", env={"TUTOR_HOME": str(home)})
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    return data if isinstance(data, list) else data["events"]


def _speak(text: str, target) -> None:
    raw = target.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", "ko", "-s", "150", "-w", str(raw), text], check=True)
    subprocess.run(
        ["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(target)], check=True
    )
    raw.unlink()


def test_a_lesson_by_keys_without_a_screen_is_logged_and_never_loads_textual(tmp_path):
    code = (
        "import sys\n"
        "from tutor.cli import main\n"
        "status = main(['learn', '--voice-only', '--voice', 'zh', '--lesson', 'starter/photos'])\n"
        "assert 'textual' not in sys.modules, 'voice-only imported textual'\n"
        "sys.exit(status)\n"
    )
    answers = "下一个\n2\n1\n下一个\n下一个\n个头和颜色\n下一个\n"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
        env={"TUTOR_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "这一课学完了" in result.stdout
    kinds = [e["type"] for e in _events(tmp_path)]
    assert kinds.count("step_answered") == 3
    assert kinds[-1] == "lesson_completed"


def test_a_lesson_completed_by_korean_speech_through_the_real_model(tmp_path):
    recordings = []
    for n, words in enumerate(LEARNER_SAYS):
        target = tmp_path / f"{n:02d}.wav"
        _speak(words, target)
        recordings += ["--wav-input", str(target)]
    home = tmp_path / "home"
    result = run_tutor(
        "learn", "--voice-only", "--voice", "ko-yanbian", "--lesson", "starter/photos",
        *recordings,
        env={"TUTOR_HOME": str(home)},
        stdin="",
    )
    transcript = result.stdout
    assert result.returncode == 0, result.stderr
    assert "이 과를 다 배웠습니다" in transcript, transcript
    events = _events(home)
    answers = [e["data"] for e in events if e["type"] == "step_answered"]
    assert [a["via"] for a in answers] == ["voice"] * len(answers)
    chosen = [a for a in answers if a["step"] == 1]
    assert chosen == [chosen[0]] and chosen[0]["choice"] == "1" and chosen[0]["correct"]
    assert events[-1]["type"] == "lesson_completed"


DRILL_SAYS = [
    "검사 보고서", "네",
    "반품 됩니다", "7일 반품", "네",
    "고맙습니다", "내일 저녁", "네",
    "다음", "다음", "다음", "다음",
]


def test_a_drill_completed_by_korean_speech_through_the_real_model(tmp_path):
    """The honey drill's best path by voice: short names of the choices, "네" to the right
    question back, and "네" when the scan reaches the move the learner wants."""
    recordings = []
    for n, words in enumerate(DRILL_SAYS):
        target = tmp_path / f"{n:02d}.wav"
        _speak(words, target)
        recordings += ["--wav-input", str(target)]
    home = tmp_path / "home"
    result = run_tutor(
        "drill", "run", "quality-honey", "--voice", "ko-yanbian", *recordings,
        env={"TUTOR_HOME": str(home)},
        stdin="",
    )
    assert result.returncode == 0, result.stderr
    (finished,) = [e["data"] for e in _events(home) if e["type"] == "drill_finished"]
    assert finished["path"] == ["1", "1", "1"]
    from tutor.content.packs import read_pack
    from tutor.content.scene import total, walk

    pack, _ = read_pack(ROOT / "lessons" / "starter", {})
    best = max(total(scene) for scene in walk(pack.drills["quality-honey"], finished["seed"]))
    assert finished["score"] == best


def test_a_drill_by_keys_from_the_command_line(tmp_path):
    result = run_tutor(
        "drill", "run", "starter/scam-call", "--voice", "zh",
        env={"TUTOR_HOME": str(tmp_path)},
        stdin="1\n" * 12,
    )
    assert result.returncode == 0, result.stderr
    assert "我们一起回头看看这场直播" in result.stdout
    kinds = [e["type"] for e in _events(tmp_path)]
    assert "drill_finished" in kinds


def test_the_drills_are_on_the_voice_only_home_menu_too(tmp_path):
    result = run_tutor(
        "learn", "--voice-only", "--voice", "zh",
        env={"TUTOR_HOME": str(tmp_path)},
        stdin="4\n1\n" + "1\n" * 12,
    )
    assert result.returncode == 0, result.stderr
    assert "练一练：直播出了状况怎么办" in result.stdout
    assert "我们一起回头看看这场直播" in result.stdout
    kinds = [e["type"] for e in _events(tmp_path)]
    assert "drill_finished" in kinds
