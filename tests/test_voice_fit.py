"""`tutor lessons check` proves that no two choices of a prompt sound alike to any profile."""

import shutil

from conftest import ROOT, run_tutor

PACK = ROOT / "tests" / "data" / "drills" / "mini"

CLASH = '''
[[step]]
kind = "choose"
text.zh = "哪个最好卖？"

[[step.choice]]
key = "1"
text.zh = "留着自己吃"
correct = true
feedback.zh = "对。"
aliases.zh = ["留着"]

[[step.choice]]
key = "2"
text.zh = "拿到牛市上卖"
feedback.zh = "不对。"
aliases.zh = ["牛着"]
'''


def test_the_shipped_packs_have_no_choices_that_sound_alike():
    result = run_tutor("lessons", "check")
    assert result.returncode == 0, result.stdout
    assert "sounds like" not in result.stdout


def test_an_alias_that_a_southwestern_ear_hears_as_another_choice_is_an_error(tmp_path):
    pack = tmp_path / "mini"
    shutil.copytree(PACK, pack)
    lesson = pack / "intro.toml"
    lesson.write_text(lesson.read_text(encoding="utf-8") + CLASH, encoding="utf-8")
    result = run_tutor("lessons", "check", str(pack))
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "sounds like" in line]
    assert lines and all("intro.toml: step[2].choice[" in line for line in lines)
    assert any("zh-southwest" in line for line in lines)
