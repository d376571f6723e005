"""The checker against a corpus of broken content: one defect per case, one line per defect.

Each folder under `tests/data/broken_packs/` and `tests/data/broken_voices/` is the valid pack
or profile set with exactly one thing broken, and `expect.txt` holds a piece of the one line
the checker must print for it (file, key path and gist). A second line would be noise a mentor
has to wade through, a traceback would be a crash on a USB stick's junk: both fail here.
"""

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_tutor

DATA = Path(__file__).resolve().parent / "data"
VALID_PACK = DATA / "valid_pack"
VALID_VOICES = DATA / "valid_voices"
PACK_CASES = sorted(p for p in (DATA / "broken_packs").iterdir() if p.is_dir())
VOICE_CASES = sorted(p for p in (DATA / "broken_voices").iterdir() if p.is_dir())


def _expected(case: Path) -> str:
    lines = (case / "expect.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and lines[0].strip(), f"{case}/expect.txt must be one line"
    return lines[0].strip()


def _check_pack(case: Path):
    """A case with its own `voices/` keeps the pack in `pack/` beside it, since every TOML file
    inside a pack folder is read as a lesson. The others use the valid profiles, so a change
    to the shipped voices cannot change what these cases print."""
    if (case / "voices").is_dir():
        return run_tutor("lessons", "check", str(case / "pack"), "--voices", str(case / "voices"))
    return run_tutor("lessons", "check", str(case), "--voices", str(VALID_VOICES))


def _assert_one_problem(result, expected: str) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    lines = result.stdout.splitlines()
    assert result.returncode == 1, result.stdout
    assert len(lines) == 1, "expected exactly one line:\n" + result.stdout
    assert expected in lines[0]


def test_the_corpus_covers_enough_defects():
    assert len(PACK_CASES) >= 32
    assert len(VOICE_CASES) >= 8


@pytest.mark.parametrize("case", PACK_CASES, ids=[p.name for p in PACK_CASES])
def test_a_broken_pack_fails_with_one_line_naming_its_defect(case: Path):
    _assert_one_problem(_check_pack(case), _expected(case))


@pytest.mark.parametrize("case", VOICE_CASES, ids=[p.name for p in VOICE_CASES])
def test_a_broken_voice_profile_fails_with_one_line_naming_its_defect(case: Path):
    _assert_one_problem(run_tutor("voices", "check", str(case)), _expected(case))


def test_a_file_over_one_mebibyte_is_refused_unread(tmp_path: Path):
    pack = tmp_path / "huge-file"
    shutil.copytree(VALID_PACK, pack)
    filler = "# " + "填充" * 60 + "\n"
    lesson = pack / "photos.toml"
    lesson.write_text(lesson.read_text() + filler * (1024 * 1024 // len(filler.encode()) + 10))
    assert lesson.stat().st_size > 1024 * 1024
    result = run_tutor("lessons", "check", str(pack), "--voices", str(VALID_VOICES))
    _assert_one_problem(result, "huge-file/photos.toml: file is too large")


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path):
    pack = tmp_path / "bom"
    shutil.copytree(VALID_PACK, pack)
    lesson = pack / "photos.toml"
    lesson.write_bytes(b"\xef\xbb\xbf" + lesson.read_bytes())
    result = run_tutor("lessons", "check", str(pack), "--voices", str(VALID_VOICES), "--strict")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


@pytest.mark.parametrize("strict", [[], ["--strict"]], ids=["plain", "strict"])
def test_the_valid_pack_passes_without_a_line(strict: list[str]):
    result = run_tutor("lessons", "check", str(VALID_PACK), "--voices", str(VALID_VOICES), *strict)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


@pytest.mark.parametrize("strict", [[], ["--strict"]], ids=["plain", "strict"])
def test_the_valid_voice_profiles_pass_without_a_line(strict: list[str]):
    result = run_tutor("voices", "check", str(VALID_VOICES), *strict)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


_SHIPPED = pytest.mark.skipif(
    not list((ROOT / "lessons").glob("*/pack.toml")) or not list((ROOT / "voices").glob("*.toml")),
    reason="needs the shipped lessons/ packs and voices/ profiles",
)


@_SHIPPED
def test_the_shipped_lessons_pass():
    result = run_tutor("lessons", "check")
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stdout


@_SHIPPED
def test_the_shipped_voice_profiles_pass():
    result = run_tutor("voices", "check")
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stdout
