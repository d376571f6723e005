"""What is fading: FSRS review scheduling, rebuilt from the learner's record every time.

Each (learner, skill) pair is one FSRS card. Its id is derived from the two ids, so every
device names the same card the same way, and its state is never stored or copied: it is
replayed from the reviews in the record (`fsrs.Scheduler.review_card`, one review per
finished lesson run or drill run teaching the skill). Fuzzing is off so that a replay gives
the same dates on every device. There are no same-day learning steps: a village session is
once a day or once a week, so the shortest interval is a day.

A finished run is rated from the first tries at its graded questions: all right is Good,
at least half right is Hard, fewer is Again; a run with nothing graded is Good. A drill is
rated from its score over its maximum the same way.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from fsrs import Card, Rating, Scheduler

from tutor.progress.course import Course
from tutor.progress.events import parse_timestamp
from tutor.progress.model import LearnerState

_SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


@dataclass(frozen=True)
class Due:
    skill: str
    due: datetime
    retrievability: float


def card_id(learner: str, skill: str) -> int:
    """A positive 63-bit id, the same on every device for the same learner and skill."""
    digest = hashlib.sha256(f"{learner}/{skill}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def rate(fraction_right: float | None) -> Rating:
    if fraction_right is None or fraction_right >= 1:
        return Rating.Good
    return Rating.Hard if fraction_right >= 0.5 else Rating.Again


def reviews(state: LearnerState, course: Course, skill: str) -> list[tuple[str, Rating]]:
    """Every review of the skill in the record, oldest first, as (at, rating)."""
    found = []
    for lesson in course.lessons_of_skill(skill):
        record = state.lessons.get(lesson)
        for run in record.runs if record else []:
            if run.completed is None:
                continue
            graded = [
                a
                for a in run.answers
                if a[3] is not None and a[4] == 1 and a[0] not in state.undone
            ]
            right = sum(1 for a in graded if a[3] is True)
            found.append((run.completed, rate(right / len(graded) if graded else None)))
    for drill in course.drills_of_skill(skill):
        for result in state.drills.get(drill, []):
            fraction = result.score / result.max if result.max else None
            found.append((result.at, rate(fraction)))
    return sorted(found, key=lambda r: (r[0], r[1]))


def card(state: LearnerState, course: Course, skill: str) -> Card | None:
    """The skill's card replayed from its reviews, or None before its first review."""
    history = reviews(state, course, skill)
    if not history:
        return None
    first = parse_timestamp(history[0][0])
    replayed = Card(card_id=card_id(state.id, skill), due=first)
    for at, rating in history:
        replayed, _ = _SCHEDULER.review_card(replayed, rating, parse_timestamp(at))
    return replayed


def fading(state: LearnerState, course: Course, now: datetime) -> list[Due]:
    """Skills due for a short review at `now`, the most forgotten first."""
    due = []
    for skill in course.skills:
        replayed = card(state, course, skill)
        if replayed is not None and replayed.due <= now:
            recall = _SCHEDULER.get_card_retrievability(replayed, now)
            due.append(Due(skill, replayed.due, recall))
    return sorted(due, key=lambda d: (d.retrievability, d.skill))


def lesson_to_review(state: LearnerState | None, course: Course, now: datetime) -> str | None:
    """The finished lesson that teaches the most forgotten skill: what "review" on the home
    screen replays. None when nothing is fading, or a fading skill is taught only by drills."""
    if state is None:
        return None
    for due in fading(state, course, now):
        for lesson in course.lessons_of_skill(due.skill):
            record = state.lessons.get(lesson)
            if record and any(run.completed for run in record.runs):
                return lesson
    return None
