"""The kiosk launchers (packaging/kiosk/) and the packaging scripts' hygiene.

tutor-kiosk-run must bring a crashed tutor back with a growing pause, and in a kiosk also
after a quit; tutor-kiosk must open a full-screen terminal with a large CJK font running
that loop. Fake terminals and a fake tutor stand in for the real ones, so no display is
needed.
"""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KIOSK = ROOT / "packaging" / "kiosk"
SCRIPTS = [
    ROOT / "packaging" / "bootstrap",
    ROOT / "packaging" / "build-bundle",
    ROOT / "packaging" / "build-deb",
    ROOT / "packaging" / "bundle" / "install.sh",
    KIOSK / "tutor-kiosk",
    KIOSK / "tutor-kiosk-run",
    *(ROOT / "packaging" / "debian" / name for name in ("postinst", "prerm", "postrm", "tutor")),
]

# Exits with the codes given in EXITS (one per run, the last one repeated), counting runs.
FAKE_TUTOR = """#!/bin/sh
n=$(cat "$COUNT" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$COUNT"
echo "run $n: $*"
code=$(echo "$EXITS" | tr ' ' '\\n' | sed -n "${n}p")
[ -n "$code" ] || code=$(echo "$EXITS" | tr ' ' '\\n' | tail -n 1)
if [ "$code" = INT ]; then kill -INT $$; fi
exit "$code"
"""


def write_script(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o755)
    return path


@pytest.fixture
def kiosk_bin(tmp_path):
    """The kiosk scripts installed side by side with a fake tutor, as install.sh does."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in ("tutor-kiosk", "tutor-kiosk-run"):
        shutil.copy2(KIOSK / name, folder / name)
    write_script(folder / "tutor", FAKE_TUTOR)
    return folder


def env_for(tmp_path: Path, exits: str, **extra: str) -> dict[str, str]:
    return {
        "PATH": f"{tmp_path / 'fakes'}:/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "COUNT": str(tmp_path / "count"),
        "EXITS": exits,
        "LANG": "C.UTF-8",
        **extra,
    }


def runs(tmp_path: Path) -> int:
    """How many times the fake tutor ran (0 while its count is being rewritten)."""
    count = tmp_path / "count"
    text = count.read_text().strip() if count.exists() else ""
    return int(text) if text.isdigit() else 0


@pytest.fixture
def fakes(tmp_path):
    """A folder first on PATH for fake commands; `sleep` there records its pauses."""
    folder = tmp_path / "fakes"
    folder.mkdir()
    write_script(folder / "sleep", f'#!/bin/sh\necho "$1" >> "{tmp_path}/pauses"\n')
    return folder


def pauses(tmp_path: Path) -> list[int]:
    path = tmp_path / "pauses"
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def test_a_crashing_tutor_is_restarted_until_it_succeeds(tmp_path, kiosk_bin, fakes):
    done = subprocess.run(
        [kiosk_bin / "tutor-kiosk-run", "--", kiosk_bin / "tutor", "learn"],
        env=env_for(tmp_path, "1 1 0"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0
    assert runs(tmp_path) == 3
    assert done.stdout.splitlines() == ["run 1: learn", "run 2: learn", "run 3: learn"]
    restarts = done.stderr.splitlines()
    assert len(restarts) == 2
    assert restarts[0].startswith("学习软件停了（代码 1），1 秒后重新打开。")
    assert pauses(tmp_path) == [1, 2]


def test_the_pause_grows_to_a_limit(tmp_path, kiosk_bin, fakes):
    done = subprocess.run(
        [kiosk_bin / "tutor-kiosk-run", "--pause", "2", "--max-pause", "10"],
        env=env_for(tmp_path, "3 3 3 3 3 3 0"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0
    assert runs(tmp_path) == 7, "the tutor beside the script is the default command"
    assert pauses(tmp_path) == [2, 4, 8, 10, 10, 10]


def test_in_a_kiosk_a_quit_or_ctrl_c_also_brings_it_back(tmp_path, kiosk_bin, fakes):
    """--always: crash, quit and Ctrl+C all restart; only the kiosk being stopped ends it."""
    loop = subprocess.Popen(
        [kiosk_bin / "tutor-kiosk-run", "--always", "--pause", "0"],
        env=env_for(tmp_path, "1 0 INT 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while runs(tmp_path) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert runs(tmp_path) >= 5
        assert loop.poll() is None
    finally:
        os.killpg(loop.pid, signal.SIGTERM)
        loop.wait(timeout=10)


def test_bad_options_are_refused(tmp_path, kiosk_bin):
    done = subprocess.run(
        [kiosk_bin / "tutor-kiosk-run", "--pause", "0.5"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert "整数" in done.stderr


def print_command(kiosk_bin: Path, tmp_path: Path, **extra: str) -> str:
    done = subprocess.run(
        [kiosk_bin / "tutor-kiosk", "--print"],
        env=env_for(tmp_path, "0", **extra),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_kiosk_opens_xterm_full_screen_with_a_large_cjk_font(tmp_path, kiosk_bin, fakes):
    write_script(fakes / "xterm", "#!/bin/sh\n")
    write_script(fakes / "foot", "#!/bin/sh\n")
    command = print_command(kiosk_bin, tmp_path)
    assert command == (
        r"xterm -fullscreen -u8 -fa Noto\ Sans\ Mono\ CJK\ SC -fs 20 -bg black -fg white +sb "
        f"-title tutor -e {kiosk_bin}/tutor-kiosk-run --always -- {kiosk_bin}/tutor"
    )
    bigger = print_command(kiosk_bin, tmp_path, TUTOR_KIOSK_FONT_SIZE="28")
    assert "-fs 28 " in bigger


def test_under_wayland_foot_is_preferred_then_kitty(tmp_path, kiosk_bin, fakes):
    write_script(fakes / "xterm", "#!/bin/sh\n")
    write_script(fakes / "foot", "#!/bin/sh\n")
    command = print_command(kiosk_bin, tmp_path, WAYLAND_DISPLAY="wayland-0")
    assert command.startswith(r"foot --fullscreen --font=Noto\ Sans\ Mono\ CJK\ SC:size=20 -- ")
    assert command.endswith(f"{kiosk_bin}/tutor-kiosk-run --always -- {kiosk_bin}/tutor")
    kitty = print_command(kiosk_bin, tmp_path, TUTOR_KIOSK_TERMINAL="kitty")
    assert kitty.startswith(
        r"kitty --start-as=fullscreen -o font_family=Noto\ Sans\ Mono\ CJK\ SC -o font_size=20 "
    )


def test_without_a_terminal_the_mentor_is_told_what_to_install(tmp_path, kiosk_bin, fakes):
    for tool in ("dirname", "basename"):
        (fakes / tool).symlink_to(shutil.which(tool))
    env = env_for(tmp_path, "0")
    env["PATH"] = str(fakes)
    done = subprocess.run(
        ["/bin/bash", kiosk_bin / "tutor-kiosk"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr.startswith("没有找到终端程序。请运行：sudo apt-get install xterm")


def test_the_kiosk_runs_the_tutor_in_the_terminal_and_brings_both_back(tmp_path, kiosk_bin, fakes):
    """Start to finish with a fake xterm that runs what follows -e: the tutor crashes, is
    back, quits, is back; the terminal, closed, is opened again."""
    terminal_log = tmp_path / "terminal"
    terminal_pid = tmp_path / "terminal.pid"
    write_script(
        fakes / "xterm",
        f'#!/bin/bash\necho "$*" >> "{terminal_log}"\necho $$ > "{terminal_pid}"\n'
        'while [ "$1" != -e ]; do shift; done\nshift\n"$@"\n',
    )
    kiosk = subprocess.Popen(
        [kiosk_bin / "tutor-kiosk"],
        env=env_for(tmp_path, "1 0 0 0 0 0 0 0 0 0 0 0"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while runs(tmp_path) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert runs(tmp_path) >= 3
        assert kiosk.poll() is None
        os.kill(int(terminal_pid.read_text()), signal.SIGKILL)
        deadline = time.monotonic() + 20
        while len(terminal_log.read_text().splitlines()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        os.killpg(kiosk.pid, signal.SIGTERM)
        kiosk.wait(timeout=10)
    opened = terminal_log.read_text().splitlines()
    assert len(opened) >= 2, "the terminal was not opened again"
    assert opened[0].startswith("-fullscreen -u8 -fa Noto Sans Mono CJK SC -fs 20 ")


def test_enable_and_disable_the_kiosk_at_log_in(tmp_path, kiosk_bin):
    env = env_for(tmp_path, "0")
    entry = tmp_path / "home" / ".config" / "autostart" / "tutor-kiosk.desktop"
    done = subprocess.run(
        [kiosk_bin / "tutor-kiosk", "enable"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stderr.startswith("好了：")
    text = entry.read_text()
    assert "[Desktop Entry]" in text
    assert f"Exec={kiosk_bin}/tutor-kiosk\n" in text
    subprocess.run([kiosk_bin / "tutor-kiosk", "disable"], env=env, check=True, capture_output=True)
    assert not entry.exists()


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_shell_scripts_parse_and_are_shellcheck_clean(script):
    shell = "bash" if "bash" in script.read_text().splitlines()[0] else "sh"
    assert subprocess.run([shell, "-n", script]).returncode == 0
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed (packaging/bootstrap test installs it)")
    done = subprocess.run(["shellcheck", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
