"""Who is stuck: three signs a mentor can act on at the next village session.

- **stalled**: a lesson opened and still not finished after `STALLED_DAYS` days. A lesson
  takes minutes; a week open means the learner stopped coming or gave up halfway.
- **wrong again**: the same question answered wrong `WRONG_REPEATS` times (across tries and
  runs, answers taken back not counted) with no right answer since. The tutor moves on after
  two tries, so three wrong means the explanation did not land either.
- **help waiting**: help was asked for and no one has answered it yet.

Each is a fact about the record now, whatever the report's time window.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from tutor.hub.facts import HelpAsked
from tutor.progress.events import parse_timestamp
from tutor.progress.model import LearnerState

STALLED_DAYS = 7
WRONG_REPEATS = 3

STALLED, WRONG_AGAIN, HELP_WAITING = "stalled", "wrong_again", "help_waiting"


@dataclass(frozen=True)
class Stuck:
    learner: str
    kind: str
    lesson: str | None  # pack/lesson
    step: int | None  # 0-based
    since: str  # when it began: the run's start, the first of the wrong answers, the request
    count: int = 0  # wrong answers in a row, for WRONG_AGAIN


def stalled(state: LearnerState, now: datetime) -> list[Stuck]:
    found = []
    limit = now - timedelta(days=STALLED_DAYS)
    for lesson, record in sorted(state.lessons.items()):
        if not record.runs or record.runs[-1].completed is not None:
            continue
        run = record.runs[-1]
        if parse_timestamp(run.start) <= limit:
            step = record.resume[1] if isinstance(record.resume[1], int) else None
            found.append(Stuck(state.id, STALLED, lesson, step, run.start))
    return found


def wrong_again(state: LearnerState) -> list[Stuck]:
    found = []
    for lesson in sorted(state.lessons):
        streaks: dict[int, list[str]] = {}
        for _id, at, step, correct, _tries in state.answers(lesson):
            if correct is True:
                streaks[step] = []
            elif correct is False:
                streaks.setdefault(step, []).append(at)
        for step, wrong in sorted(streaks.items()):
            if len(wrong) >= WRONG_REPEATS:
                found.append(Stuck(state.id, WRONG_AGAIN, lesson, step, wrong[0], len(wrong)))
    return found


def help_waiting(asked: HelpAsked, learner: str) -> Stuck:
    return Stuck(learner, HELP_WAITING, asked.lesson, asked.step, asked.at)


def stuck_learner(state: LearnerState, waiting: list[HelpAsked], now: datetime) -> list[Stuck]:
    """Every sign for one learner (`waiting`: their unanswered help requests)."""
    return [
        *stalled(state, now),
        *wrong_again(state),
        *(help_waiting(asked, state.id) for asked in waiting),
    ]
