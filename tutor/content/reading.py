"""Read a TOML file that may be anything: junk, empty, huge, GBK, a directory.

Content comes from mentors' editors and USB sticks, so every failure becomes one Problem and
none becomes a traceback.
"""

import hashlib
import json
import os
import tomllib
from pathlib import Path
from typing import Any

from tutor.content.problems import Problem

MAX_FILE_BYTES = 1024 * 1024
_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Bytes no text file holds (TOML allows none of them either); tab, newline and CR are text.
_CONTROL_BYTES = bytes(sorted(frozenset(range(32)) - {9, 10, 13} | {127}))
_SNIFF_BYTES = 8192


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
    if _is_utf16(raw):
        return fail("encoded as UTF-16, not UTF-8; save the file as UTF-8")
    if _is_binary(raw):
        return fail("not a text file (binary data)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return fail(_encoding_advice(raw, err))
    cached = _parsed_before(raw)
    if cached is not None:
        return cached, []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        return fail(f"invalid TOML: {err}")
    except RecursionError:
        return fail("invalid TOML: values nested too deeply")
    _remember(raw, data)
    return data, []


SHIPPED_PARSED = Path(__file__).with_name("parsed")
"""The parsed form of the lessons, voice profiles and strings the tutor ships with, made by
`python -m tutor.content.reading`: a new learner's first start-up (a fresh data home)
parses no TOML either."""


def _cache_file(raw: bytes) -> Path:
    from tutor.content.paths import data_home

    return data_home() / "cache" / "toml" / f"{_digest(raw)}.json"


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _parsed_before(raw: bytes) -> dict[str, Any] | None:
    """TOML already parsed, by the bytes' hash: the Python TOML parser is most of what a
    start-up on an old machine spends on lessons, and lesson files rarely change."""
    for path in (_cache_file(raw), SHIPPED_PARSED / f"{_digest(raw)}.json"):
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError, RecursionError):
            continue
        if isinstance(data, dict):
            return data
    return None


def ship_parsed(folders: list[Path]) -> int:
    """Write SHIPPED_PARSED afresh: every TOML file under `folders`, parsed; how many."""
    SHIPPED_PARSED.mkdir(exist_ok=True)
    wanted: dict[str, dict[str, Any]] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*.toml")):
            raw = path.read_bytes().removeprefix(_BOM)
            try:
                wanted[_digest(raw)] = tomllib.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
    for old in SHIPPED_PARSED.glob("*.json"):
        if old.stem not in wanted:
            old.unlink()
    written = 0
    for digest, data in wanted.items():
        try:
            text = json.dumps(data, ensure_ascii=False)
        except (TypeError, ValueError):  # a date or time: parsed at start-up as before
            continue
        (SHIPPED_PARSED / f"{digest}.json").write_text(text + "\n", encoding="utf-8")
        written += 1
    return written


def _remember(raw: bytes, data: dict[str, Any]) -> None:
    """Best effort: a cache that cannot be written (a read-only home) changes nothing."""
    try:
        target = _cache_file(raw)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, target)
    except (OSError, TypeError, ValueError, RecursionError):
        return


def _is_utf16(raw: bytes) -> bool:
    """Windows Notepad's "Unicode": a UTF-16 byte-order mark, or ASCII with every other byte 0.

    Checked before the binary test because UTF-16 text is full of zero bytes and would
    otherwise be called binary, which sends a mentor looking for the wrong mistake.
    """
    if raw.startswith(_UTF16_BOMS):
        return True
    head = raw[:_SNIFF_BYTES]
    zeros = sorted((head[0::2].count(0), head[1::2].count(0)))
    return zeros[1] >= len(head) // 8 and zeros[0] * 10 <= zeros[1]


def _is_binary(raw: bytes) -> bool:
    """A zero byte, or more control bytes than a stray paste could explain.

    One stray control character in a real lesson is left to the TOML parser, which names its
    line; junk (an image, a zip saved as .toml) is full of them.
    """
    head = raw[:_SNIFF_BYTES]
    if 0 in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > max(2, len(head) // 100)


def _encoding_advice(raw: bytes, err: UnicodeDecodeError) -> str:
    line = raw[: err.start].count(b"\n") + 1
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return f"not UTF-8 text (bad byte at line {line}); save the file as UTF-8"
    return f"encoded as GBK/GB18030, not UTF-8 (line {line}); save the file as UTF-8"


if __name__ == "__main__":
    from tutor.content.paths import lessons_dir, strings_dir, voices_dir

    print(
        ship_parsed([lessons_dir(), voices_dir(), strings_dir()]),
        "files parsed into",
        SHIPPED_PARSED,
    )
