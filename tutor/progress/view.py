"""A learner's record as people see it: what `show`, the exports and the certificate read.

This is the one place a learner's state becomes something shown, so it is the one place
that applies erasure: an erased learner's view has no name, no village and no recording,
whichever command or export asks for it.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tutor.progress.course import Course
from tutor.progress.mastery import MASTERED, masteries
from tutor.progress.model import LearnerState
from tutor.progress.review import fading

COMPLETED, IN_PROGRESS, NOT_STARTED = "completed", "in_progress", "not_started"


@dataclass(frozen=True)
class LessonView:
    lesson: str
    status: str
    resume_step: int
    runs: int
    first_completed: str | None
    last_completed: str | None


def lesson_views(state: LearnerState, course: Course) -> list[LessonView]:
    """Every lesson of the course in teaching order, then any others the record mentions."""
    keys = [*course.lessons, *sorted(set(state.lessons) - set(course.lessons))]
    views = []
    for key in keys:
        record = state.lessons.get(key)
        runs = record.runs if record else []
        done = sorted(r.completed for r in runs if r.completed)
        open_run = bool(runs) and runs[-1].completed is None
        status = IN_PROGRESS if open_run else COMPLETED if done else NOT_STARTED
        resume = record.resume[1] if record and open_run else 0
        views.append(
            LessonView(
                key,
                status,
                resume,
                len(runs),
                done[0] if done else None,
                done[-1] if done else None,
            )
        )
    return views


def completed(state: LearnerState, course: Course) -> list[LessonView]:
    """Completed lessons in the order they were first completed."""
    done = [v for v in lesson_views(state, course) if v.first_completed]
    return sorted(done, key=lambda v: (v.first_completed, v.lesson))


def mastered_skills(state: LearnerState, course: Course) -> list[str]:
    return [s for s, m in masteries(state, course).items() if m.level == MASTERED]


def best_drills(state: LearnerState) -> dict[str, tuple[float, float | None]]:
    """Each drill's best score and its maximum."""
    return {
        key: max(((r.score, r.max) for r in runs), key=lambda s: (s[0], s[1] or 0))
        for key, runs in sorted(state.drills.items())
        if runs
    }


def learner_view(state: LearnerState, course: Course, now: datetime) -> dict[str, Any]:
    """The whole record as JSON-ready data, personal fields removed once erased."""
    levels = masteries(state, course)
    due = {d.skill: d for d in fading(state, course, now)}
    return {
        "learner": state.id,
        "merged": state.merged,
        "erased": state.erased,
        "name": state.personal("name"),
        "village": state.personal("village"),
        "spoken_name": state.personal("spoken_name"),
        "language": state.language,
        "enrolled_at": state.enrolled_at,
        "last_active": state.last_at or None,
        "settings": {name: stamped[1] for name, stamped in sorted(state.settings.items())},
        "lessons": [
            {
                "lesson": v.lesson,
                "status": v.status,
                "resume_step": v.resume_step,
                "runs": v.runs,
                "first_completed": v.first_completed,
                "last_completed": v.last_completed,
            }
            for v in lesson_views(state, course)
        ],
        "skills": [
            {
                "skill": skill,
                "level": m.level,
                "right": m.right,
                "answered": m.answered,
                "days": m.days,
                "review_due": skill in due,
            }
            for skill, m in levels.items()
        ],
        "drills": [
            {"drill": key, "runs": len(state.drills[key]), "best": best, "max": top}
            for key, (best, top) in best_drills(state).items()
        ],
        "help": {
            "requested": len(state.help_requests),
            "open": len(state.help_requests - state.help_answers),
        },
    }
