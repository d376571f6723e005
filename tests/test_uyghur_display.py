"""Uyghur on a terminal: shaped, in visual order, right-aligned, wrapped from its first word.

Terminals lay out one character per cell, left to right; xterm neither joins Arabic letters
nor reverses right-to-left text. The app therefore hands the terminal presentation forms in
visual order (tutor/ui/rtl.py). Under Xvfb the real app runs in a real xterm and is
photographed (tests/artifacts/uyghur-xterm-app.png), beside the same sentence sent raw in
logical order (tests/artifacts/uyghur-xterm-raw.png), which shows why.
"""

import os
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT

from tutor.content.paths import lessons_dir
from tutor.progress import events as ev
from tutor.ui.context import LearnerContext
from tutor.ui.rtl import visual_lines

ARTIFACTS = ROOT / "tests" / "artifacts"
QUESTION = "قايسى يورۇقتا تارتسا ئەڭ ھەقىقىي چىقىدۇ؟"  # photos, step "light"
ARABIC_LETTERS = range(0x0620, 0x06D4)
PRESENTATION_FORMS = (range(0xFB50, 0xFE00), range(0xFE70, 0xFF00))


def logical(visual: str) -> str:
    """Back from what the cells show to what was written: reverse, and undo the shaping."""
    return unicodedata.normalize("NFKC", visual[::-1])


@pytest.fixture(autouse=True)
def shaping_on(monkeypatch):
    monkeypatch.delenv("TUTOR_TERMINAL_BIDI", raising=False)


def test_a_uyghur_line_is_in_visual_order_with_presentation_forms():
    [line] = visual_lines(QUESTION, 80)
    assert line.rtl
    # Every joining letter became a presentation form; only punctuation, spaces and the
    # letter AE (which has no presentation forms) are left as written.
    assert not [c for c in line.text if ord(c) in ARABIC_LETTERS]
    assert any(ord(c) in PRESENTATION_FORMS[0] for c in line.text)
    # The question mark ends the sentence, so it is the leftmost cell; the first letter of
    # the first word (QAF, initial form) is near the right end.
    assert line.text[0] == "؟"
    assert line.text.split()[-1][-1] == "\ufed7"  # ARABIC LETTER QAF INITIAL FORM
    assert logical(line.text) == unicodedata.normalize("NFKC", QUESTION)


def test_letters_join_across_the_uyghur_e():
    """ئەڭ: ALEF-less YEH WITH HAMZA joins the AE after it, so it takes its initial form."""
    [line] = visual_lines("ئەڭ", 10)
    assert line.text == "\ufbd3\u06d5\ufe8b"  # NG isolated, AE, YEH WITH HAMZA initial


def test_a_wrapped_paragraph_starts_on_its_first_line_at_the_right():
    text = "ئارقا كۆرۈنۈش پاكىز بولسۇن. گۈلسىز بىر رەخت سېلىڭ، ياكى سېۋەتكە سېلىپ تارتىڭ."
    lines = visual_lines(text, 24)
    assert len(lines) > 2 and all(line.rtl for line in lines)
    assert all(len(line.text) <= 24 for line in lines)
    first_word = logical(lines[0].text).split()[0]
    assert first_word == unicodedata.normalize("NFKC", "ئارقا")
    rebuilt = " ".join(logical(line.text) for line in lines)
    assert rebuilt == unicodedata.normalize("NFKC", text)


def test_numbers_keep_their_order_inside_uyghur():
    [line] = visual_lines("1، دېرىزە يېنىدا", 40)
    assert line.rtl and line.text.endswith("،1")


def test_chinese_and_korean_lines_pass_unchanged():
    assert [line.text for line in visual_lines("哪种光拍出来最真实？", 80)] == [
        "哪种光拍出来最真实？"
    ]
    assert [line.rtl for line in visual_lines("연변 조선말은 1번", 80)] == [False]


def test_a_terminal_that_shapes_by_itself_gets_the_logical_text(monkeypatch):
    monkeypatch.setenv("TUTOR_TERMINAL_BIDI", "1")
    [line] = visual_lines(QUESTION, 80)
    assert line.text == QUESTION and line.rtl


def _x_tools() -> list[str]:
    return [
        tool for tool in ("Xvfb", "xterm", "xwd", "xwdtopnm", "pnmtopng") if not shutil.which(tool)
    ]


def _free_display() -> int:
    for number in range(91, 120):
        if not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


def _screenshot(display: str, out: Path) -> None:
    xwd = subprocess.run(
        ["xwd", "-root", "-silent", "-display", display], capture_output=True, check=True
    ).stdout
    pnm = subprocess.run(["xwdtopnm"], input=xwd, capture_output=True, check=True).stdout
    out.write_bytes(subprocess.run(["pnmtopng"], input=pnm, capture_output=True, check=True).stdout)


def _xterm(display: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [
            "xterm", "-display", display, "-geometry", "80x24+0+0", "-u8",
            "-fa", "DejaVu Sans Mono", "-fs", "13", "-bg", "black", "-fg", "white",
            "-e", *command,
        ],
        env={**env, "DISPLAY": display, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
    )  # fmt: skip


@pytest.mark.skipif(bool(_x_tools()), reason=f"needs {', '.join(_x_tools())}")
def test_xterm_under_xvfb_shows_the_uyghur_lesson_prompt(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path / "home"))
    ctx = LearnerContext(lessons_dir())
    learner = ctx.enrol("Ayshem", "ug", "ug")
    started = {"pack": "starter", "lesson": "photos", "step": 1, "mode": "learn"}
    ctx.log.append(learner, ev.LESSON_STARTED, started)  # open at the choose step
    ctx.close()
    env = {**os.environ, "TERM": "xterm-256color"}
    ARTIFACTS.mkdir(exist_ok=True)
    display = f":{_free_display()}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1000x620x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    terminals = []
    try:
        time.sleep(1.0)
        raw = tmp_path / "raw.txt"
        raw.write_text(f"{QUESTION}\n")
        terminals.append(_xterm(display, ["sh", "-c", f"cat {raw}; sleep 60"], env))
        time.sleep(1.5)
        _screenshot(display, ARTIFACTS / "uyghur-xterm-raw.png")
        terminals.pop().kill()

        marker = tmp_path / "shown"
        helper = str(ROOT / "tests" / "uyghur_screen.py")
        terminals.append(_xterm(display, [sys.executable, helper, str(marker)], env))
        for _ in range(150):
            if marker.exists():
                break
            time.sleep(0.1)
        assert marker.read_text() == QUESTION
        time.sleep(1.0)  # the frame after the prompt was set
        _screenshot(display, ARTIFACTS / "uyghur-xterm-app.png")
    finally:
        for terminal in terminals:
            terminal.kill()
        server.kill()
    for name in ("uyghur-xterm-raw.png", "uyghur-xterm-app.png"):
        picture = (ARTIFACTS / name).read_bytes()
        assert picture.startswith(b"\x89PNG") and len(picture) > 1000
