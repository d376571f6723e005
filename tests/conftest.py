import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The corpora and their scoring live in benchmarks/, shared by the benchmarks and the tests.
sys.path.insert(0, str(ROOT / "benchmarks"))


def run_tutor(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The real command, in a child process, as a mentor or a script would run it."""
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tutor():
    return run_tutor


@pytest.fixture
def no_sound_output():
    """For tests of the no-sound-card path: skip on a machine that has a sound output."""
    sounddevice = pytest.importorskip("sounddevice")
    try:
        sounddevice.query_devices(kind="output")
    except sounddevice.PortAudioError:
        return
    pytest.skip("this machine has a sound output")
