"""How well a learner knows a skill: one plain rule a mentor can say out loud.

Only first tries count: a question answered wrong and then right is one wrong answer. A
skill is **mastered** when, of the last 5 first tries at graded questions in lessons teaching
it, at least 4 were right, and those right answers fall on at least 2 different days (so
one good afternoon is not mastery). **Practised** is at least 3 of the last 5 right;
**learning** is anything less once answered at all; **new** is never answered. Answers taken
back with "back" do not count.
"""

from dataclasses import dataclass

from tutor.progress.course import Course
from tutor.progress.model import LearnerState

WINDOW = 5
MASTERED_RIGHT = 4
MASTERED_DAYS = 2
PRACTISED_RIGHT = 3

NEW, LEARNING, PRACTISED, MASTERED = "new", "learning", "practised", "mastered"
LEVELS = (NEW, LEARNING, PRACTISED, MASTERED)


@dataclass(frozen=True)
class Mastery:
    skill: str
    level: str
    right: int
    answered: int
    days: int


def first_tries(state: LearnerState, course: Course, skill: str) -> list[list]:
    """First tries at graded questions in the skill's lessons, oldest first."""
    found = [
        answer
        for lesson in course.lessons_of_skill(skill)
        for answer in state.answers(lesson)
        if answer[3] is not None and answer[4] == 1
    ]
    return sorted(found, key=lambda a: (a[1], a[0]))


def mastery(state: LearnerState, course: Course, skill: str) -> Mastery:
    recent = first_tries(state, course, skill)[-WINDOW:]
    right = [a for a in recent if a[3] is True]
    days = len({a[1][:10] for a in right})
    if not recent:
        level = NEW
    elif len(right) >= MASTERED_RIGHT and days >= MASTERED_DAYS:
        level = MASTERED
    elif len(right) >= PRACTISED_RIGHT:
        level = PRACTISED
    else:
        level = LEARNING
    return Mastery(skill, level, len(right), len(recent), days)


def masteries(state: LearnerState, course: Course) -> dict[str, Mastery]:
    return {skill: mastery(state, course, skill) for skill in course.skills}
