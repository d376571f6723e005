"""Where content and learner data live, for a checkout and for an installed wheel alike."""

import os
import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def _shipped(folder: str) -> Path:
    """A checkout keeps `lessons/` beside the package; a wheel puts it under share/tutor/.

    The wheel's share/ lands in the prefix it is installed into: the virtual environment's
    (the offline bundle, the Debian package), else the one its site-packages belongs to
    (`pip install --user` puts it in ~/.local, not in sys.prefix).
    """
    beside = _PACKAGE.parent / folder
    if beside.is_dir():
        return beside
    installed = Path(sys.prefix) / "share" / "tutor" / folder
    if installed.is_dir():
        return installed
    # <prefix>/lib/pythonX.Y/site-packages/tutor
    other = _PACKAGE.parents[3] / "share" / "tutor" / folder
    return other if other.is_dir() else installed


def lessons_dir() -> Path:
    return _shipped("lessons")


def installed_lessons_dir(home: Path | None = None) -> Path:
    """Lesson packs a coordinator's village bundle brought onto this device, one folder per
    pack version, under `TUTOR_HOME` (the shipped folder may be read-only)."""
    return (home or data_home()) / "lessons"


def pack_search_path(home: Path | None = None) -> list[Path]:
    """Where the tutor looks for lesson packs, shipped first: a pack found in both is used
    in its newest version (packs.py `newest_packs`)."""
    return [lessons_dir(), installed_lessons_dir(home)]


def voices_dir() -> Path:
    return _shipped("voices")


def strings_dir() -> Path:
    return _PACKAGE / "strings"


def data_home() -> Path:
    """`TUTOR_HOME` when set (DESIGN.md section 6), else the platform's user data folder."""
    home = os.environ.get("TUTOR_HOME")
    if home:
        return Path(home)
    from platformdirs import user_data_dir

    return Path(user_data_dir("tutor", appauthor=False))
