"""The documented formats are the formats the checker enforces."""

import re

from conftest import ROOT, run_tutor


def _toml_block_after(markdown: str, heading: str) -> str:
    tail = markdown.split(heading, 1)[1]
    return re.search(r"```toml\n(.*?)```", tail, re.S).group(1)


def test_the_readme_example_lesson_is_a_valid_lesson(tmp_path):
    readme = (ROOT / "lessons" / "README.md").read_text()
    pack = tmp_path / "example"
    pack.mkdir()
    (pack / "photos.toml").write_text(_toml_block_after(readme, "### A complete example"))
    (pack / "pack.toml").write_text(
        'id = "example"\nversion = "1.0.0"\nlanguages = ["zh", "ko", "ug"]\n'
        'title = { zh = "例子", ko = "예", ug = "مىسال" }\n'
        'review = { zh = "draft", ko = "draft", ug = "draft" }\nlessons = ["photos"]\n'
        '[[skill]]\nid = "product-photos"\nname = { zh = "拍照", ko = "사진", ug = "رەسىم" }\n'
    )
    result = run_tutor("lessons", "check", str(pack), "--strict")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_the_readme_example_profile_is_a_valid_dialect_of_the_shipped_base(tmp_path):
    readme = (ROOT / "voices" / "README.md").read_text()
    (tmp_path / "zh.toml").write_text((ROOT / "voices" / "zh.toml").read_text())
    (tmp_path / "zh-southwest.toml").write_text(_toml_block_after(readme, "## Example"))
    result = run_tutor("voices", "check", str(tmp_path))
    assert result.returncode == 0, result.stdout
