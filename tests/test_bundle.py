"""The offline bundle end to end, as a mentor uses it: built (packaging/build-bundle),
installed into a fresh virtual environment with the network cut off, a lesson played with
it; an older bundle upgraded with learner data present; an older bundle refused over newer
data; the Debian packages made from it (packaging/build-deb).

Slow: building needs the package registry (pip downloads every wheel for x86_64 and
aarch64; ~/.cache/tutor-bundle-test keeps them, so later runs only resolve), and each
install takes most of a minute. The whole module is skipped, with the reason, when the
registry cannot be reached. Everything is built once per module.
"""

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tutor import __version__
from tutor.datahome import FORMAT_VERSION, NEWER_DATA_EXIT, STAMP_NAME

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path.home() / ".cache" / "tutor-bundle-test"
PYTHON_VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"
# The Python the bundle's install.sh builds its environment with: this one, outside .venv.
BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)
OLD_VERSION = "0.0.1"
SCRIPT = "下一个\n1\n下一个\n下一个\n个头和颜色\n下一个\n"
LESSON = ["learn", "--voice-only", "--voice", "zh", "--lesson", "starter/photos"]
FINISHED = "这一课学完了"


def registry_problem() -> str | None:
    """Why the package registry cannot be used for the build, or None when it can.

    An aarch64 wheel is asked for: no mirror on an x86_64 machine stands in for it.
    """
    probe = CACHE / "probe"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary=:all:", "--platform", "manylinux2014_aarch64", "--implementation",
             "cp", "--python-version", PYTHON_VERSION, "--cache-dir", str(CACHE / "pip"),
             "--dest", str(probe), "numpy"],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return "the package registry did not answer in 300 s"
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
        return "the package registry is unreachable: " + (lines or ["pip failed"])[-1]
    return None


def network_cut() -> list[str]:
    """A command prefix that runs with no network at all, if this machine allows it."""
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        if shutil.which("unshare") and subprocess.run([*prefix, "true"]).returncode == 0:
            return prefix
    return []


OFFLINE = network_cut()


def offline_env(home: Path, data: Path) -> dict[str, str]:
    """Nothing of this machine's pip set-up: no index, no configuration, a fresh HOME."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "TUTOR_HOME": str(data),
        "PIP_NO_INDEX": "1",
        "PIP_CONFIG_FILE": os.devnull,
    }


def build(out: Path, *args: str) -> Path:
    done = subprocess.run(
        ["bash", ROOT / "packaging" / "build-bundle", "--out", out, "--cache", CACHE, *args],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    archive = Path(done.stdout.strip().splitlines()[-1])
    assert archive.is_file()
    return archive


def unpack(archive: Path, into: Path) -> Path:
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="tar")
    (folder,) = into.iterdir()
    return folder


class Install:
    """An install of a bundle into `base`/venv, learner data in `base`/data."""

    def __init__(self, base: Path):
        self.base = base
        self.venv, self.data, self.home, self.bin = (
            base / n for n in ("venv", "data", "home", "bin")
        )
        self.home.mkdir(parents=True, exist_ok=True)

    def install(self, bundle: Path, *options: str) -> subprocess.CompletedProcess[str]:
        command = ["bash", str(bundle / "install.sh"), "--python", BASE_PYTHON,
                   "--venv", str(self.venv), "--bin", str(self.bin), *options]  # fmt: skip
        return subprocess.run(
            [*OFFLINE, *command],
            env=offline_env(self.home, self.data),
            cwd=self.base,
            capture_output=True,
            text=True,
            timeout=900,
        )

    def tutor(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """The installed command through its launcher, offline, away from the checkout."""
        return subprocess.run(
            [*OFFLINE, str(self.bin / "tutor"), *args],
            env=offline_env(self.home, self.data),
            cwd=self.base,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def logs(self) -> dict[str, bytes]:
        folder = self.data / "progress" / "logs"
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def play_lesson(install: Install) -> None:
    played = install.tutor(*LESSON, stdin=SCRIPT)
    assert played.returncode == 0, played.stdout + played.stderr
    assert FINISHED in played.stdout
    verified = install.tutor("progress", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    """This checkout's bundle (x86_64 and aarch64), and an older one (x86_64)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    problem = registry_problem()
    if problem:
        pytest.skip(f"{problem}: the bundle cannot be built")
    out = tmp_path_factory.mktemp("dist")
    new = build(out, "--arch", "x86_64,aarch64", "--python", PYTHON_VERSION)
    old = build(out, "--arch", "x86_64", "--python", PYTHON_VERSION, "--version", OLD_VERSION)
    return {
        "new_archive": new,
        "new": unpack(new, tmp_path_factory.mktemp("new")),
        "old": unpack(old, tmp_path_factory.mktemp("old")),
    }


def test_the_bundle_holds_wheels_for_both_architectures_content_and_installer(bundles):
    bundle = bundles["new"]
    assert bundle.name == f"tutor-bundle-{__version__}"
    for name in ("install.sh", "README.txt", "bundle.env", "bundle.json"):
        assert (bundle / name).is_file(), name
    assert (bundle / "lessons" / "starter" / "pack.toml").is_file()
    assert (bundle / "voices" / "zh.toml").is_file()
    assert (bundle / "kiosk" / "tutor-kiosk").is_file()
    assert not any((bundle / "models").iterdir()), "models only when given"
    any_wheels = {p.name.split("-")[0].lower() for p in (bundle / "wheels" / "any").iterdir()}
    assert {"tutor", "srt", "pyttsx3", "platformdirs"} <= any_wheels
    for arch in ("x86_64", "aarch64"):
        names = [p.name for p in (bundle / "wheels" / arch).iterdir()]
        for package in ("numpy", "vosk", "sentencepiece", "opencc", "pydantic_core"):
            assert any(n.startswith(package + "-") and arch in n for n in names), (arch, package)
    assert "vosk_model" not in " ".join(p.name for p in (bundle / "wheels").rglob("*.whl"))


def test_a_fresh_install_with_no_network_plays_a_lesson(bundles, tmp_path_factory):
    install = Install(tmp_path_factory.mktemp("fresh"))
    done = install.install(bundles["new"], "--kiosk")
    assert done.returncode == 0, done.stderr
    assert "装好了" in done.stderr
    assert install.tutor("--version").stdout.strip() == f"tutor {__version__}"
    play_lesson(install)
    code = "from tutor.content.paths import lessons_dir as l, voices_dir as v; print(l(), v())"
    where = subprocess.run(
        [install.venv / "bin" / "python", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=install.base,
    ).stdout.split()
    assert where == [
        str(install.venv / "share" / "tutor" / "lessons"),
        str(install.venv / "share" / "tutor" / "voices"),
    ]
    assert (install.bin / "tutor-kiosk").is_file() and (install.bin / "tutor-kiosk-run").is_file()
    autostart = install.home / ".config" / "autostart" / "tutor-kiosk.desktop"
    assert f"Exec={install.bin}/tutor-kiosk" in autostart.read_text()


@pytest.fixture(scope="module")
def upgraded(bundles, tmp_path_factory):
    """The older bundle installed and used by a learner, then this one installed over it
    (after an install that was cut off)."""
    install = Install(tmp_path_factory.mktemp("upgrade"))
    first = install.install(bundles["old"])
    assert first.returncode == 0, first.stderr
    assert install.tutor("--version").stdout.strip() == f"tutor {OLD_VERSION}"
    play_lesson(install)
    before = install.logs()
    assert before
    # As a power cut can leave them: the working install moved aside by an install that was
    # cut off, and a half-deleted older one.
    (install.venv).rename(install.base / "venv.previous")
    (install.base / "venv.discard" / "bin").mkdir(parents=True)
    second = install.install(bundles["new"])
    assert second.returncode == 0, second.stderr
    return install, before


def test_an_upgrade_keeps_every_learner_record(upgraded):
    install, before = upgraded
    assert install.tutor("--version").stdout.strip() == f"tutor {__version__}"
    assert install.logs() == before
    verified = install.tutor("progress", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert (install.data / STAMP_NAME).read_text() == f"{FORMAT_VERSION}\n"
    assert not (install.base / "venv.previous").exists()
    assert not (install.base / "venv.discard").exists()
    listed = install.tutor("progress", "list")
    assert listed.returncode == 0 and "1" in listed.stdout
    play_lesson(install)


def test_an_older_bundle_never_touches_newer_data(upgraded, bundles):
    install, _ = upgraded

    def data() -> dict[str, bytes]:
        return {str(p): p.read_bytes() for p in install.data.rglob("*") if p.is_file()}

    (install.data / STAMP_NAME).write_text(f"{FORMAT_VERSION + 1}\n")
    before = data()
    done = install.install(bundles["old"])
    assert data() == before
    assert done.returncode == NEWER_DATA_EXIT
    assert "更新版本" in done.stderr and "没有安装" in done.stderr
    assert install.tutor("--version").stdout.strip() == f"tutor {__version__}"


def test_an_install_the_new_code_refuses_is_rolled_back(upgraded, bundles):
    """A stamp only the installed code can judge (unreadable): the install is undone."""
    install, _ = upgraded
    (install.data / STAMP_NAME).write_text("two\n")
    before = {str(p): p.read_bytes() for p in install.data.rglob("*") if p.is_file()}
    done = install.install(bundles["old"])
    assert {str(p): p.read_bytes() for p in install.data.rglob("*") if p.is_file()} == before
    assert done.returncode == NEWER_DATA_EXIT
    assert "看不懂" in done.stderr and "原来装的版本还在" in done.stderr
    assert install.tutor("--version").stdout.strip() == f"tutor {__version__}"
    assert not (install.base / "venv.previous").exists()


def deb_field(deb: Path, field: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "--field", deb, field], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def debs(bundles, tmp_path_factory):
    if shutil.which("dpkg-deb") is None:
        pytest.skip("dpkg-deb is not installed")
    out = tmp_path_factory.mktemp("debs")
    done = subprocess.run(
        ["bash", ROOT / "packaging" / "build-deb", "--out", out, bundles["new_archive"]],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return {deb_field(Path(p), "Architecture"): Path(p) for p in done.stdout.split()}


def test_the_debian_packages(debs):
    assert set(debs) == {"amd64", "arm64"}
    for arch, deb in debs.items():
        assert deb.name == f"tutor_{__version__}_{arch}.deb"
        info = subprocess.run(
            ["dpkg-deb", "--info", deb], capture_output=True, text=True, check=True
        ).stdout
        assert "Package: tutor" in info
        depends = deb_field(deb, "Depends")
        assert depends == "python3 (>= 3.11), python3-venv, espeak-ng, sox, libportaudio2"
        assert deb_field(deb, "Version") == __version__
        for script in ("postinst", "prerm", "postrm"):
            assert f" {script}" in info
        contents = subprocess.run(
            ["dpkg-deb", "--contents", deb], capture_output=True, text=True, check=True
        ).stdout
        paths = {line.split()[-1].removeprefix(".") for line in contents.splitlines()}
        for path in (
            "/opt/tutor/install.sh",
            "/opt/tutor/bundle.env",
            "/opt/tutor/lessons/starter/pack.toml",
            "/opt/tutor/voices/zh.toml",
            "/usr/bin/tutor",
            "/usr/bin/tutor-kiosk",
            "/usr/bin/tutor-kiosk-run",
            "/usr/lib/systemd/user/tutor-kiosk.service",
            "/usr/share/doc/tutor/copyright",
        ):
            assert path in paths, (arch, path)
        wheels = [p for p in paths if p.endswith(".whl")]
        own, other = ("x86_64", "aarch64") if arch == "amd64" else ("aarch64", "x86_64")
        assert any(f"/opt/tutor/wheels/{own}/" in p for p in wheels)
        assert not any(f"/wheels/{other}/" in p for p in wheels)
        assert any(p.startswith("/opt/tutor/wheels/any/tutor-") for p in wheels)
        assert "root/root" in contents and "/usr/bin/tutor\n" in contents


def test_the_debian_package_installs_offline(debs, tmp_path):
    """What postinst runs, on the unpacked amd64 package (dpkg itself would need root)."""
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", debs["amd64"], root], check=True)
    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "-e", debs["amd64"], control], check=True)
    postinst = (control / "postinst").read_text()
    assert "bash /opt/tutor/install.sh --system --venv /opt/tutor/venv" in postinst
    venv = root / "opt" / "tutor" / "venv"
    done = subprocess.run(
        [*OFFLINE, "bash", root / "opt/tutor/install.sh", "--system", "--venv", venv,
         "--python", BASE_PYTHON],
        env=offline_env(tmp_path, tmp_path / "data"), capture_output=True, text=True,
        timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "data").exists(), "a system install touches no learner data"
    version = subprocess.run([venv / "bin" / "tutor", "--version"], capture_output=True, text=True)
    assert version.stdout.strip() == f"tutor {__version__}"
    launcher = (root / "usr" / "bin" / "tutor").read_text()
    assert "exec /opt/tutor/venv/bin/tutor" in launcher
