"""Learner text as a terminal must be handed it: wrapped, and Uyghur shaped and reordered.

A terminal puts one character in each cell, left to right, exactly as it is sent. xterm and
the Linux console neither join Arabic letters nor reverse right-to-left text, so Uyghur sent
in logical order shows as loose letters running backwards (the screenshot test in
tests/test_uyghur_display.py shows it). Every widget that shows learner text goes through
`visual_lines`, which wraps the text first (a wrapped right-to-left paragraph must begin on
its first line, at the right), then turns each Arabic-script line into presentation forms
(arabic-reshaper) in visual order (python-bidi), to be right-aligned.

A terminal that shapes and reorders by itself (mlterm, some VTE set-ups) would undo this:
`TUTOR_TERMINAL_BIDI=1` hands such a terminal the logical text unchanged.
"""

import os
import re
from dataclasses import dataclass
from functools import cache

from rich.cells import cell_len


def _ranges(*pairs: tuple[int, int]) -> str:
    """A regex character class body from code point ranges (no script text in the source:
    tests/test_catalog.py keeps learner-facing text out of Python)."""
    return "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in pairs)


_RTL = re.compile(f"[{_ranges((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFC))}]")
_LTR_LETTERS = _ranges((0xC0, 0x24F), (0x400, 0x4FF), (0x1100, 0x11FF), (0x2E80, 0xD7AF))
_STRONG_LTR = re.compile(f"[A-Za-z{_LTR_LETTERS}]")
# A run of spaces, one Chinese character or punctuation mark, or a run of anything else: the
# pieces a line may break between. Chinese has no spaces, so it may break between any two
# characters; Korean and Uyghur break between words.
_WIDE = _ranges((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))
_PIECES = re.compile(rf"\s+|[{_WIDE}]|[^\s{_WIDE}]+")
# ARABIC LETTER AE (U+06D5), the Uyghur "e", joins only to the letter before it and has no
# presentation forms; arabic-reshaper's Arabic table lacks it, which would break the join
# of every letter before it.
_AE = chr(0x06D5)


@dataclass(frozen=True)
class VisualLine:
    """One screen line: `text` in the order the cells show it; `rtl` lines sit at the right."""

    text: str
    rtl: bool


def is_rtl(text: str) -> bool:
    """Whether a paragraph reads right to left: its first strong letter is Arabic or Hebrew."""
    first_rtl = _RTL.search(text)
    if first_rtl is None:
        return False
    first_ltr = _STRONG_LTR.search(text)
    return first_ltr is None or first_rtl.start() < first_ltr.start()


def visual_lines(text: str, width: int) -> list[VisualLine]:
    """`text` as lines of at most `width` cells, each in the order the terminal shows it."""
    lines: list[VisualLine] = []
    for paragraph in text.split("\n"):
        rtl = is_rtl(paragraph)
        shaped = _reshape(paragraph) if _RTL.search(paragraph) and _shaping() else paragraph
        for line in wrap(shaped, width):
            lines.append(VisualLine(_reorder(line, rtl), rtl))
    return lines


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrapping by terminal cells, between words or between wide characters."""
    width = max(1, width)
    lines: list[str] = []
    line = ""
    for piece in _PIECES.findall(text):
        if piece.isspace():
            if line:
                line += " "
            continue
        while cell_len(piece) > width:  # a word longer than a whole line is cut
            head = _fit(piece, width - cell_len(line))
            if not head and line:
                lines.append(line.rstrip())
                line = ""
                continue
            head = head or piece[0]
            lines.append(line + head)
            line, piece = "", piece[len(head) :]
        if cell_len(line + piece) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece
    lines.append(line.rstrip())
    return lines


def _fit(piece: str, cells: int) -> str:
    used = 0
    for index, char in enumerate(piece):
        used += cell_len(char)
        if used > cells:
            return piece[:index]
    return piece


def _shaping() -> bool:
    return os.environ.get("TUTOR_TERMINAL_BIDI", "") not in ("1", "yes", "true")


def _reorder(line: str, rtl: bool) -> str:
    if not _RTL.search(line) or not _shaping():
        return line
    from bidi import get_display

    return get_display(line, base_dir="R" if rtl else "L")


def _reshape(text: str) -> str:
    return _reshaper().reshape(text)


@cache
def _reshaper():
    from arabic_reshaper import ArabicReshaper
    from arabic_reshaper.letters import LETTERS_ARABIC

    reshaper = ArabicReshaper()
    reshaper.letters = {**LETTERS_ARABIC, _AE: (_AE, "", "", _AE)}
    return reshaper
