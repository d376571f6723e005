"""The records on this device as the commands use them: all events, the folded state, one
learner found by a mentor's short id, and the chain check over every log."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tutor.progress.chain import BadLine, check_chain
from tutor.progress.events import Event
from tutor.progress.home import LOG_SUFFIX, log_paths, logs_dir
from tutor.progress.model import Progress
from tutor.progress.store import read_events

MIN_PREFIX = 4


class LearnerNotFound(LookupError):
    pass


class LearnerAmbiguous(LookupError):
    pass


@dataclass(frozen=True)
class LogProblem:
    path: Path
    bad: BadLine


def all_events(home: Path | None = None) -> Iterator[Event]:
    for path in log_paths(home):
        yield from read_events(path)


def find_learner(progress: Progress, text: str) -> str:
    """The learner a mentor means: a whole id, or the start of one (at least 4 characters)
    that only one learner's id has. Merged ids lead to the record they were merged into."""
    text = text.strip().lower()
    known = set(progress.learners) | set(progress.aliases)
    if text in known:
        return progress.resolve(text)
    found = {progress.resolve(i) for i in known if len(text) >= MIN_PREFIX and i.startswith(text)}
    if not found:
        raise LearnerNotFound(text)
    if len(found) > 1:
        raise LearnerAmbiguous(text)
    return found.pop()


def check_logs(home: Path | None = None) -> tuple[int, int, LogProblem | None]:
    """How many logs and events hold, and the first bad line of any log."""
    total = 0
    logs = log_paths(home)
    for path in logs:
        with path.open("rb") as f:
            good, bad = check_chain(f, path.name.removesuffix(LOG_SUFFIX))
        total += good
        if bad is not None:
            return len(logs), total, LogProblem(path, bad)
    return len(logs), total, None


def set_aside_files(home: Path | None = None) -> list[Path]:
    """Torn tails that opening a log moved aside after a power cut."""
    folder = logs_dir(home)
    return sorted(folder.glob(f"*{LOG_SUFFIX}.torn-*")) if folder.is_dir() else []
