"""The data-format stamp in `TUTOR_HOME`: upgrade in place, never touch newer data.

A mentor may install an older bundle over a newer one (an old USB stick). The newer tutor may
have written learner data the older code does not understand, and an older tutor that went on
writing would damage it. So `TUTOR_HOME/format-version` records the format of the data, and:

- no stamp yet: the data (if any) is from before stamps, which is format 1; it is stamped;
- an older stamp: each migration from that format on runs in order, the stamp bumped after
  each one, so a power cut in the middle resumes where it stopped (there are no migrations
  yet: the event log is never rewritten, only the stamp moves);
- the same stamp: nothing to do;
- a newer or unreadable stamp: nothing is touched, and the caller gets one line to show and
  exits with `NEWER_DATA_EXIT`.

Called by the learner entry points before they read or write any data, and by the bundle's
`install.sh` (`python -m tutor.datahome --check` before it keeps a new install, then
`python -m tutor.datahome --existing` to upgrade). Imports nothing heavy: it runs before
every command.
"""

import os
import sys
from collections.abc import Callable
from pathlib import Path

# The format of everything under TUTOR_HOME. Bump it only together with a migration below.
FORMAT_VERSION = 1
STAMP_NAME = "format-version"
# Data written before stamps existed is in the first format.
UNSTAMPED_VERSION = 1
# Exit code of a command that refused to touch data written by a newer tutor.
NEWER_DATA_EXIT = 3

# MIGRATIONS[n] turns format n into format n + 1 in place, given TUTOR_HOME. It must be safe to
# run again after a power cut, and must never rewrite an event log (the hash chain would break).
MIGRATIONS: dict[int, Callable[[Path], None]] = {}


class NewerDataError(Exception):
    """The data home was written by a newer tutor (or its stamp cannot be read)."""


def _home(home: Path | None) -> Path:
    if home is not None:
        return home
    from tutor.content.paths import data_home

    return data_home()


def read_stamp(home: Path) -> int | None:
    """The stamped format, or None when there is no stamp; NewerDataError if unreadable."""
    path = home / STAMP_NAME
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise NewerDataError(_message_unreadable(path, str(error))) from error
    if not text.isdigit():
        raise NewerDataError(_message_unreadable(path, repr(text[:20])))
    return int(text)


def data_version(home: Path) -> int | None:
    """The format the data in `home` is in: None when there is no data at all yet."""
    stamp = read_stamp(home)
    if stamp is not None:
        return stamp
    if home.is_dir() and any(home.iterdir()):
        return UNSTAMPED_VERSION
    return None


def check(home: Path | None = None) -> str | None:
    """One line to show when this code must not touch the data in `home`, else None.

    Read-only: for `install.sh`, which asks before it replaces the installed tutor.
    """
    home = _home(home)
    try:
        version = data_version(home)
    except NewerDataError as error:
        return str(error)
    if version is not None and version > FORMAT_VERSION:
        return _message_newer(home, version)
    return None


def ensure_current(home: Path | None = None, create: bool = True) -> str | None:
    """Stamp, or upgrade in place, the data in `home`; one line instead when it is too new.

    Call it first thing in every command that reads or writes learner data. On the first
    run it creates `home` and writes the stamp (unless `create` is false: an installer stamps
    only data that is already there). When it returns a line, print it, touch nothing under
    `home`, and exit with NEWER_DATA_EXIT.
    """
    home = _home(home)
    problem = check(home)
    if problem is not None:
        return problem
    stamped = read_stamp(home)
    if stamped == FORMAT_VERSION:
        return None
    version = data_version(home)
    if version is None:
        if create:
            _write_stamp(home, FORMAT_VERSION)
        return None
    if version == FORMAT_VERSION:
        _write_stamp(home, FORMAT_VERSION)
        return None
    for step in range(version, FORMAT_VERSION):
        migrate = MIGRATIONS.get(step)
        if migrate is not None:
            migrate(home)
        _write_stamp(home, step + 1)
    return None


def _write_stamp(home: Path, version: int) -> None:
    """Write the stamp so that a power cut leaves the old one or the new one, never half."""
    from tutor.progress.home import fsync_dir, make_dirs

    make_dirs(home)
    path = home / STAMP_NAME
    temporary = home / f".{STAMP_NAME}.{os.getpid()}"
    with temporary.open("w", encoding="utf-8") as out:
        out.write(f"{version}\n")
        out.flush()
        os.fsync(out.fileno())
    temporary.replace(path)
    fsync_dir(home)


def _text(key: str, **values: object) -> str:
    from tutor.content.strings import load_catalog

    return load_catalog().text(f"datahome.{key}", **values)


def _message_newer(home: Path, version: int) -> str:
    return _text("newer", home=home, version=version, known=FORMAT_VERSION)


def _message_unreadable(path: Path, detail: str) -> str:
    return _text("unreadable", path=path, detail=detail)


def main(argv: list[str] | None = None) -> int:
    """`python -m tutor.datahome [--check | --existing] [HOME]`, for install scripts.

    --check only asks (exit NEWER_DATA_EXIT when the data is too new); --existing upgrades
    data that is there but creates nothing; with neither, the home is created and stamped.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    flags = {a for a in args if a.startswith("--")}
    rest = [a for a in args if not a.startswith("--")]
    unknown = flags - {"--check", "--existing"}
    if unknown or len(rest) > 1:
        print(_text("usage"))
        return 2
    home = Path(rest[0]) if rest else None
    if "--check" in flags:
        problem = check(home)
    else:
        problem = ensure_current(home, create="--existing" not in flags)
    if problem is not None:
        print(problem, file=sys.stderr)
        return NEWER_DATA_EXIT
    return 0


if __name__ == "__main__":
    sys.exit(main())
