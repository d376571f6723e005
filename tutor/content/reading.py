"""Read a TOML file that may be anything: junk, empty, huge, GBK, a directory.

Content comes from mentors' editors and USB sticks, so every failure becomes one Problem and
none becomes a traceback.
"""

import os
import tomllib
from pathlib import Path
from typing import Any

from tutor.content.problems import Problem

MAX_FILE_BYTES = 1024 * 1024
_BOM = b"\xef\xbb\xbf"


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    absolute = Path(os.path.abspath(path))
    if absolute.is_relative_to(Path.cwd()):
        return str(absolute.relative_to(Path.cwd()))
    return str(path)


def read_toml(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse `path`; on failure return None and a single problem that says what to do."""
    name = display_path(path)

    def fail(message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(name, "", message)]

    try:
        size = path.stat().st_size
        if path.is_dir():
            return fail("is a folder, expected a TOML file")
        if size > MAX_FILE_BYTES:
            return fail(f"file is too large ({size} bytes, limit {MAX_FILE_BYTES})")
        raw = path.read_bytes()
    except OSError as err:
        return fail(f"cannot read file: {err.strerror or err}")
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    if not raw.strip():
        return fail("file is empty")
    if b"\x00" in raw:
        return fail("not a text file (binary data)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return fail(_encoding_advice(raw, err))
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as err:
        return fail(f"invalid TOML: {err}")


def _encoding_advice(raw: bytes, err: UnicodeDecodeError) -> str:
    line = raw[: err.start].count(b"\n") + 1
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return f"not UTF-8 text (bad byte at line {line}); save the file as UTF-8"
    return f"encoded as GBK/GB18030, not UTF-8 (line {line}); save the file as UTF-8"
