"""The data-format stamp: first run stamps, a newer tutor upgrades in place, an older one
refuses to touch newer data (tutor/datahome.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor import datahome
from tutor.datahome import FORMAT_VERSION, NEWER_DATA_EXIT, STAMP_NAME


def snapshot(home: Path) -> dict[str, bytes]:
    """Every file under `home` with its bytes: what 'untouched' means."""
    return {
        str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file()
    }


def stamp(home: Path) -> str:
    return (home / STAMP_NAME).read_text(encoding="utf-8")


@pytest.fixture
def learner_home(tmp_path, tutor):
    """A home with a real learner and log, written before stamps existed."""
    home = tmp_path / "home"
    done = tutor(
        "progress", "enrol", "--name", "王芳", "--village", "石门村", env={"TUTOR_HOME": str(home)}
    )
    assert done.returncode == 0, done.stderr
    # Today's tutor stamps the home as it writes; an older one did not.
    (home / STAMP_NAME).unlink()
    return home


def test_first_run_creates_the_home_and_stamps_it(tmp_path):
    home = tmp_path / "new" / "home"
    assert datahome.ensure_current(home) is None
    assert stamp(home) == f"{FORMAT_VERSION}\n"
    assert datahome.ensure_current(home) is None
    assert [p.name for p in home.iterdir()] == [STAMP_NAME]


def test_an_installer_stamps_only_data_that_is_there(tmp_path):
    home = tmp_path / "home"
    assert datahome.ensure_current(home, create=False) is None
    assert not home.exists()


def test_unstamped_data_is_stamped_and_the_log_left_alone(learner_home, tutor):
    before = snapshot(learner_home)
    assert datahome.ensure_current(learner_home, create=False) is None
    after = snapshot(learner_home)
    assert after.pop(STAMP_NAME) == f"{FORMAT_VERSION}\n".encode()
    assert after == before
    verified = tutor("progress", "verify", env={"TUTOR_HOME": str(learner_home)})
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_check_only_asks(learner_home):
    before = snapshot(learner_home)
    assert datahome.check(learner_home) is None
    assert snapshot(learner_home) == before


def test_an_upgrade_runs_each_migration_in_order_and_bumps_the_stamp_after_each(
    tmp_path, monkeypatch
):
    home = tmp_path / "home"
    home.mkdir()
    (home / STAMP_NAME).write_text("1\n")
    seen = []

    def step(home: Path) -> None:
        seen.append(stamp(home).strip())

    monkeypatch.setattr(datahome, "FORMAT_VERSION", 3)
    monkeypatch.setattr(datahome, "MIGRATIONS", {1: step, 2: step})
    assert datahome.ensure_current(home) is None
    assert seen == ["1", "2"]
    assert stamp(home) == "3\n"


def test_an_upgrade_cut_off_half_way_resumes_where_it_stopped(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / STAMP_NAME).write_text("1\n")
    ran = []

    def first(home: Path) -> None:
        ran.append(1)

    def second(home: Path) -> None:
        ran.append(2)
        if ran.count(2) == 1:
            raise OSError("power cut")

    monkeypatch.setattr(datahome, "FORMAT_VERSION", 3)
    monkeypatch.setattr(datahome, "MIGRATIONS", {1: first, 2: second})
    with pytest.raises(OSError):
        datahome.ensure_current(home)
    assert stamp(home) == "2\n"
    assert datahome.ensure_current(home) is None
    assert ran == [1, 2, 2]
    assert stamp(home) == "3\n"


@pytest.mark.parametrize("written", [f"{FORMAT_VERSION + 1}\n", "7\n"])
def test_data_from_a_newer_tutor_is_refused_and_untouched(learner_home, written):
    (learner_home / STAMP_NAME).write_text(written)
    before = snapshot(learner_home)
    message = datahome.ensure_current(learner_home)
    assert message is not None
    assert "\n" not in message
    assert message.startswith(str(learner_home))
    assert "更新版本" in message and f"格式 {written.strip()}" in message
    assert datahome.check(learner_home) == message
    assert snapshot(learner_home) == before


@pytest.mark.parametrize("written", ["", "two\n", "1.5\n", "\xff"])
def test_an_unreadable_stamp_is_refused_and_untouched(learner_home, written):
    (learner_home / STAMP_NAME).write_bytes(written.encode("latin-1"))
    before = snapshot(learner_home)
    message = datahome.ensure_current(learner_home)
    assert message is not None and "看不懂" in message and "\n" not in message
    assert snapshot(learner_home) == before


def run_module(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor.datahome", *args],
        env={**os.environ, "TUTOR_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_installer_commands(tmp_path):
    """What install.sh runs: --check asks, --existing upgrades but creates nothing."""
    home = tmp_path / "home"
    assert run_module("--check", home=home).returncode == 0
    assert run_module("--existing", home=home).returncode == 0
    assert not home.exists()
    assert run_module(home=home).returncode == 0
    assert stamp(home) == f"{FORMAT_VERSION}\n"
    (home / STAMP_NAME).write_text(f"{FORMAT_VERSION + 1}\n")
    for args in (["--check"], ["--existing"], []):
        done = run_module(*args, home=home)
        assert done.returncode == NEWER_DATA_EXIT
        assert len(done.stderr.strip().splitlines()) == 1
        assert "更新版本" in done.stderr
    assert stamp(home) == f"{FORMAT_VERSION + 1}\n"
    assert run_module("--check", str(tmp_path / "elsewhere"), home=home).returncode == 0
    assert run_module("--bogus", home=home).returncode == 2
