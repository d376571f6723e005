"""The `tutor` command as a mentor meets it: help, languages, mistakes, entry points."""

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_tutor


def test_help_lists_the_commands_in_mandarin_by_default():
    result = run_tutor("--help", env={"TUTOR_LANG": ""})
    assert result.returncode == 0
    assert "lessons" in result.stdout and "voices" in result.stdout
    assert "检查" in result.stdout


def test_help_follows_the_learners_language():
    assert "검사" in run_tutor("lessons", "--help", env={"TUTOR_LANG": "ko"}).stdout
    assert "تەكشۈرۈش" in run_tutor("lessons", "--help", env={"TUTOR_LANG": "ug"}).stdout


def test_help_imports_no_speech_engine_screen_toolkit_or_validator():
    probe = (
        "import sys\n"
        "from tutor.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'vosk', 'textual', 'pyttsx3', 'pydantic', 'sentencepiece'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_usage_mistake_is_one_line_in_the_learners_language_and_exit_2():
    result = run_tutor("lessons", "chekc", env={"TUTOR_LANG": "ko"})
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "명령이 잘못되었습니다" in lines[0]
    assert "Traceback" not in result.stderr


def test_an_unknown_language_setting_falls_back_to_mandarin():
    result = run_tutor("--help", env={"TUTOR_LANG": "fr_FR.UTF-8"})
    assert result.returncode == 0 and "检查" in result.stdout


def test_checking_a_path_that_does_not_exist_says_so_in_one_line(tmp_path):
    result = run_tutor("lessons", "check", str(tmp_path / "nothing-here"))
    assert result.returncode == 1
    assert result.stdout.strip().splitlines() == [
        f"{tmp_path / 'nothing-here'}: 找不到这个文件或文件夹"
    ]


def test_console_script_and_module_entry_point_agree():
    script = Path(sys.executable).with_name("tutor")
    by_script = subprocess.run([script, "--version"], capture_output=True, text=True)
    by_module = run_tutor("--version")
    assert by_script.returncode == by_module.returncode == 0
    assert by_script.stdout == by_module.stdout and by_script.stdout.startswith("tutor ")


def test_tutor_alone_without_a_terminal_asks_the_language_in_every_language(tmp_path):
    result = run_tutor(env={"TUTOR_HOME": str(tmp_path)}, stdin="")
    assert result.returncode == 0, result.stderr
    assert "1" in result.stdout and "请按" in result.stdout
    assert "번을 누르세요" in result.stdout
    assert any("\u0600" <= ch <= "\u06ff" for ch in result.stdout)


def test_lessons_list_shows_titles_in_the_chosen_language():
    result = run_tutor("lessons", "list", env={"TUTOR_LANG": "ug"})
    assert result.returncode == 0
    assert "starter" in result.stdout
    assert any("\u0600" <= ch <= "\u06ff" for ch in result.stdout)


def test_voices_list_names_every_shipped_profile():
    result = run_tutor("voices", "list")
    assert result.returncode == 0
    for profile in ("zh ", "zh-southwest", "zh-northeast", "ko-yanbian", "ug "):
        assert profile in result.stdout


def test_startup_benchmark_runs_and_reports_no_heavy_imports_for_help():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "startup.py"), "--runs", "2"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert "tutor --help" in result.stdout
    data = json.loads((ROOT / "benchmarks" / "results" / "startup.json").read_text())
    help_row = next(r for r in data["rows"] if r["command"] == "tutor --help")
    assert help_row["heavy_imports"] == ""


def test_lessons_check_fails_when_the_voice_profiles_it_checks_against_are_broken():
    broken = ROOT / "tests" / "data" / "broken_voices" / "circular-extends"
    result = run_tutor("lessons", "check", "lessons", "--voices", str(broken))
    assert result.returncode == 1
    assert result.stdout.strip().splitlines() == [
        f"{broken.relative_to(ROOT)}: voice profiles have errors, so aliases were not "
        "checked against them: run tutor voices check"
    ]


def test_the_checker_retrains_a_stale_subword_model(tmp_path):
    import shutil

    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "lessons", checkout / "lessons")
    stamp = checkout / "lessons" / "subwords.sha256"
    stamp.write_text("stale\n")
    from tutor.commands.understand import ensure_subwords

    assert ensure_subwords(root=checkout / "lessons") is True
    assert stamp.read_text() != "stale\n"
    assert ensure_subwords(root=checkout / "lessons") is False
