"""Where a device keeps its learner records, under `TUTOR_HOME`.

progress/device/         this device's id and key pair (identity.py)
progress/logs/*.jsonl    one append-only event log per device: this one's, and later
                         the ones that sync brings in
progress/cache/          learner state folded from the logs, rebuildable at any time
"""

import os
from pathlib import Path

from tutor.content.paths import data_home

LOG_SUFFIX = ".jsonl"


def progress_home(home: Path | None = None) -> Path:
    return (home or data_home()) / "progress"


def logs_dir(home: Path | None = None) -> Path:
    return progress_home(home) / "logs"


def log_paths(home: Path | None = None) -> list[Path]:
    """Every device's log, in a fixed order (set-aside torn tails do not end in .jsonl)."""
    folder = logs_dir(home)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.endswith(LOG_SUFFIX) and p.is_file())


def fsync_dir(folder: Path) -> None:
    """Make a created, renamed or removed name itself survive a power cut."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dirs(folder: Path) -> None:
    """Create `folder` and its parents, each new name fsync'd into its parent."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            continue
        fsync_dir(path.parent)


def write_atomically(path: Path, data: bytes) -> None:
    """The file whole or not at all, even across a power cut: written and synced beside the
    target, then renamed over it; a failed write leaves the old file as it was."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with partial.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
