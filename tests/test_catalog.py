"""UI strings: every one exists in zh, ko and ug, and none hides in Python code."""

import ast
import re
import shutil

from conftest import ROOT, run_tutor

from tutor.content.strings import check_strings, load_catalog

_SCRIPT_CHARS = re.compile(r"[\u3400-\u9fff\uac00-\ud7af\u0600-\u06ff]")


def test_shipped_catalog_is_complete():
    result = run_tutor("strings", "check")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_a_missing_translation_is_reported_with_file_and_key(tmp_path):
    folder = tmp_path / "strings"
    shutil.copytree(ROOT / "tutor" / "strings", folder)
    ug = folder / "ug.toml"
    ug.write_text(ug.read_text().replace('no_model = "', 'no_modle = "'))
    lines = [p.line() for p in check_strings(folder)]
    assert any(line.endswith("ug.toml: voices.no_model: missing (present in zh)") for line in lines)


def test_a_placeholder_lost_in_translation_is_reported(tmp_path):
    folder = tmp_path / "strings"
    shutil.copytree(ROOT / "tutor" / "strings", folder)
    ko = folder / "ko.toml"
    ko.write_text(
        ko.read_text().replace('오류 {errors}개, 알림 {warnings}개."\nfailed', '오류."\nfailed')
    )
    lines = [p.line() for p in check_strings(folder)]
    assert any("check.passed: placeholders differ" in line for line in lines)


def test_a_missing_key_falls_back_to_mandarin_then_to_the_key():
    catalog = load_catalog("ug")
    assert catalog.text("check.not_found") != "check.not_found"
    assert catalog.text("no.such.key") == "no.such.key"


def _string_literals(source: str) -> list[tuple[int, str]]:
    """Every string constant except docstrings (examples in docs are not shown to anyone)."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_learner_facing_text_is_written_in_python():
    offenders = []
    for path in (ROOT / "tutor").rglob("*.py"):
        for line, value in _string_literals(path.read_text(encoding="utf-8")):
            if _SCRIPT_CHARS.search(value):
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {value[:30]}")
    assert offenders == []
