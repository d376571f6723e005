"""Installing a vosk model from a USB stick: whole or not at all, with one-line reasons."""

import shutil
import zipfile

import pytest
from conftest import run_tutor
from speech_helpers import korean_engine


@pytest.fixture(scope="module")
def model_folder():
    return korean_engine().model_path


def _zip(folder, target, skip=()):
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for path in folder.rglob("*"):
            rel = path.relative_to(folder)
            if path.is_file() and str(rel) not in skip:
                archive.write(path, f"vosk-model-small-ko-0.22/{rel}")
    return target


def test_install_from_a_folder_then_listed(tmp_path, model_folder):
    stick = tmp_path / "usb" / "vosk-model-small-ko-0.22"
    shutil.copytree(model_folder, stick)
    home = {"TUTOR_HOME": str(tmp_path / "home")}
    result = run_tutor("voices", "install", str(stick), env=home)
    assert result.returncode == 0, result.stderr
    installed = tmp_path / "home" / "models" / "vosk-model-small-ko-0.22"
    assert (installed / "am" / "final.mdl").is_file()
    listing = run_tutor("voices", "models", env=home)
    assert "vosk-model-small-ko-0.22" in listing.stdout and "ko-yanbian" in listing.stdout


def test_install_from_a_zip(tmp_path, model_folder):
    stick = _zip(model_folder, tmp_path / "vosk-model-small-ko-0.22.zip")
    home = {"TUTOR_HOME": str(tmp_path / "home")}
    result = run_tutor("voices", "install", str(stick), env=home)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "home" / "models" / "vosk-model-small-ko-0.22" / "graph").is_dir()


def _nothing_installed(home):
    models = home / "models"
    return not models.exists() or not [p for p in models.iterdir() if not p.name.startswith(".")]


def test_a_partial_zip_is_refused_and_nothing_is_installed(tmp_path, model_folder):
    stick = _zip(model_folder, tmp_path / "partial.zip", skip={"am/final.mdl"})
    home = tmp_path / "home"
    result = run_tutor("voices", "install", str(stick), env={"TUTOR_HOME": str(home)})
    assert result.returncode == 1
    assert "am/final.mdl" in result.stderr and "Traceback" not in result.stderr
    assert _nothing_installed(home)


def test_a_damaged_model_is_refused_after_trying_to_load_it(tmp_path, model_folder):
    stick = tmp_path / "usb" / "vosk-model-small-ko-0.22"
    shutil.copytree(model_folder, stick)
    mdl = stick / "am" / "final.mdl"
    mdl.write_bytes(mdl.read_bytes()[:4096])
    home = tmp_path / "home"
    result = run_tutor(
        "voices", "install", str(stick), env={"TUTOR_HOME": str(home), "TUTOR_LANG": "ko"}
    )
    assert result.returncode == 1
    assert "망가져서" in result.stderr and "Traceback" not in result.stderr
    assert _nothing_installed(home)


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 broken zip", b"just text"])
def test_junk_on_the_stick_is_refused(tmp_path, content):
    junk = tmp_path / "model.zip"
    junk.write_bytes(content)
    result = run_tutor("voices", "install", str(junk), env={"TUTOR_HOME": str(tmp_path / "h")})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2  # "checking..." then the reason


@pytest.mark.parametrize("where", [".", ".."])
def test_installing_from_inside_the_model_folder_keeps_everything_else(
    tmp_path, model_folder, where
):
    stick = tmp_path / "usb" / "vosk-model-small-ko-0.22"
    shutil.copytree(model_folder, stick)
    home = tmp_path / "home"
    (home / "progress").mkdir(parents=True)
    (home / "progress" / "log.jsonl").write_text("precious\n")
    cwd = stick if where == "." else stick / "am"
    result = run_tutor("voices", "install", where, env={"TUTOR_HOME": str(home)}, cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert (home / "progress" / "log.jsonl").read_text() == "precious\n"
    assert (home / "models" / "vosk-model-small-ko-0.22" / "am" / "final.mdl").is_file()
    again = run_tutor("voices", "install", where, env={"TUTOR_HOME": str(home)}, cwd=cwd)
    assert again.returncode == 0 and (home / "progress" / "log.jsonl").exists()


def test_a_models_folder_that_cannot_be_written_is_one_line(tmp_path, model_folder):
    home = tmp_path / "home"
    home.write_text("a file where a folder should be")
    result = run_tutor("voices", "install", str(model_folder), env={"TUTOR_HOME": str(home)})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2
