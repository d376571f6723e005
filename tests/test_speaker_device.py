"""The real sound path, PortAudio and ALSA included, on a machine without a sound card.

ALSA's `null` plugin is a device that accepts sound and plays it nowhere (and records
whatever is in its buffer). Given it as the default device, PortAudio, sounddevice and the
tutor's own playback and microphone code all really run; only the loudspeaker is missing. It
takes sound faster than real time, so these tests check what happens, not how long.
"""

import os
import subprocess
import sys

import pytest
from conftest import run_tutor

_NULL_DEVICE = """
pcm.!default {
    type null
    hint { show on description "null output" }
}
"""


@pytest.fixture
def null_sound(tmp_path):
    """Environment whose ALSA default device is `null` (ALSA reads ~/.asoundrc)."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(_NULL_DEVICE)
    env = {"HOME": str(home), "TUTOR_HOME": str(tmp_path / "data")}
    probe = "import sounddevice; print(sounddevice.query_devices(kind='output')['name'])"
    found = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    if found.returncode != 0:
        pytest.skip("PortAudio cannot open ALSA's null device here")
    return env


def test_say_speaks_through_the_sound_device_and_prints_nothing(null_sound):
    result = run_tutor("say", "你好，我们开始吧。", env=null_sound)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""


def test_device_playback_plays_to_the_end_or_stops_when_told(null_sound, tmp_path):
    wav = tmp_path / "said.wav"
    assert run_tutor("say", "--to", str(wav), "你好").returncode == 0
    probe = (
        "import sys, threading\n"
        "from pathlib import Path\n"
        "from tutor.speech.playback import DevicePlayback\n"
        "cancel = threading.Event()\n"
        "DevicePlayback().play(Path(sys.argv[1]), cancel)\n"
        "cancel.set()\n"
        "DevicePlayback().play(Path(sys.argv[1]), cancel)\n"
        "print('played')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(wav)],
        env={**os.environ, **null_sound},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "played"


def test_a_take_is_recorded_from_the_microphone_and_quitting_keeps_nothing(null_sound, tmp_path):
    pack = tmp_path / "wang"
    pack.mkdir()
    (pack / "pack.toml").write_text(
        'id = "wang"\nlanguage = "zh"\nspeaker = "王"\nconsent = true\nreview = "draft"\n',
        encoding="utf-8",
    )
    result = run_tutor("voices", "record", str(pack), env=null_sound, stdin="\n\nq\n")
    assert result.returncode == 0, result.stderr
    assert "正在录音" in result.stdout
    assert result.stdout.strip().endswith("这次录了 0 句。")
    assert list(pack.rglob("*.wav")) == []
