"""What the tutor tells a learner about their own progress, in their language.

`summary` is what `tutor progress show` prints and the app will say ("你已经学完了……").
`milestones` is a pure function of the record: the app says a milestone when it first
appears in `new_milestones(before, after)` around an answer. Every sentence comes from the
string catalog, so it can be recorded by a village voice like any other.
"""

from dataclasses import dataclass
from datetime import datetime

from tutor.content.strings import Catalog
from tutor.progress.course import Course, title
from tutor.progress.model import LearnerState
from tutor.progress.review import fading
from tutor.progress.view import IN_PROGRESS, best_drills, completed, lesson_views, mastered_skills

LESSON_COUNTS = (3, 5, 10, 20, 50)


@dataclass(frozen=True, order=True)
class Milestone:
    key: str
    count: int = 0
    subject: str = ""


def summary(state: LearnerState, course: Course, catalog: Catalog, now: datetime) -> list[str]:
    """The spoken summary, one sentence a line."""
    lang = catalog.language
    t = catalog.text
    done = completed(state, course)
    names = [_lesson_title(course, v.lesson, lang) for v in done]
    lines = [
        t("progress.summary.completed", count=len(done), lessons=_join(names, catalog))
        if done
        else t("progress.summary.nothing")
    ]
    for view in lesson_views(state, course):
        if view.status == IN_PROGRESS:
            lesson = _lesson_title(course, view.lesson, lang)
            lines.append(t("progress.summary.resume", lesson=lesson, step=view.resume_step + 1))
    mastered = [title(course.skills.get(s), lang, s) for s in mastered_skills(state, course)]
    if mastered:
        lines.append(t("progress.summary.mastered", skills=_join(mastered, catalog)))
    due = [title(course.skills.get(d.skill), lang, d.skill) for d in fading(state, course, now)]
    if due:
        lines.append(t("progress.summary.review", skills=_join(due, catalog)))
    for drill, (score, _) in best_drills(state).items():
        name = title(course.drills.get(drill), lang, drill)
        lines.append(t("progress.summary.drill", drill=name, score=say_number(score)))
    return lines


def milestones(state: LearnerState, course: Course) -> list[Milestone]:
    """Every milestone the record has reached, in a fixed order."""
    done = {v.lesson for v in completed(state, course)}
    found = []
    if done:
        found.append(Milestone("progress.milestone.first_lesson"))
    found += [Milestone("progress.milestone.lessons", n) for n in LESSON_COUNTS if len(done) >= n]
    for pack in course.packs:
        lessons = [key for key in course.lessons if key.startswith(f"{pack}/")]
        if lessons and set(lessons) <= done:
            found.append(Milestone("progress.milestone.pack", subject=pack))
    found += [
        Milestone("progress.milestone.mastered", subject=s) for s in mastered_skills(state, course)
    ]
    return found


def new_milestones(before: list[Milestone], after: list[Milestone]) -> list[Milestone]:
    """What to celebrate now: reached after an event and not before it."""
    seen = set(before)
    return [m for m in after if m not in seen]


def say_milestone(milestone: Milestone, course: Course, catalog: Catalog) -> str:
    lang = catalog.language
    subject = milestone.subject
    name = title(course.packs.get(subject) or course.skills.get(subject), lang, subject)
    return catalog.text(milestone.key, count=milestone.count, pack=name, skill=name)


def _lesson_title(course: Course, lesson: str, language: str) -> str:
    info = course.lessons.get(lesson)
    return title(info.title if info else None, language, lesson)


def _join(items: list[str], catalog: Catalog) -> str:
    return catalog.text("progress.list_separator").join(items)


def say_number(value: float) -> str:
    """A score as said: 8, not 8.0."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
