"""The session's attendance and progress sheet as data: who came, and where each one is.

Who came is the mentor's list (`--learner`, short ids as elsewhere) or, without one, every
learner with a record dated today in the logs on this device (their own practice here, or a
device of theirs synced here today). For each: lessons finished, the lesson to go on with,
the skills due for review. The sheet leaves the room (it is signed, filed, sent to the
county), so a learner is named only with their consent, as in a coordinator's report, and a
pseudonym otherwise. The lessons played on the big screen today and the questions the room
found hard come from the room's `group_answered` records.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from tutor.classroom.room import how_it_went, in_language, questions
from tutor.content.packs import Pack
from tutor.content.strings import Catalog
from tutor.hub.privacy import Audience, shown_name, village_of
from tutor.progress import events as ev
from tutor.progress.course import Course, title
from tutor.progress.events import Event, timestamp
from tutor.progress.model import Progress
from tutor.progress.records import find_learner
from tutor.progress.review import fading
from tutor.progress.view import completed
from tutor.session.menus import where_to_resume

MOST_REVIEWS = 3
"""Skills to review per learner on paper: the most forgotten first, the rest next time."""


@dataclass(frozen=True)
class SheetRow:
    name: str
    done: tuple[str, ...]  # titles of the lessons finished, first finished first
    current: str
    review: tuple[str, ...]


@dataclass(frozen=True)
class GroupLesson:
    title: str
    hard: tuple[str, ...]  # each hard question with how the room answered it
    questions: int


@dataclass(frozen=True)
class Sheet:
    date: str
    village: str | None
    rows: tuple[SheetRow, ...]
    groups: tuple[GroupLesson, ...]


def today(events: Iterable[Event], now: datetime) -> list[Event]:
    """The events dated on `now`'s local day, oldest first."""
    midnight = datetime.combine(now.date(), time(), tzinfo=now.tzinfo)
    start, end = timestamp(midnight), timestamp(midnight + timedelta(days=1))
    return sorted((e for e in events if start <= e["at"] < end), key=lambda e: e["at"])


def present_learners(
    progress: Progress,
    events: Iterable[Event],
    asked: Sequence[str],
    village: str | None,
    now: datetime,
) -> list[str]:
    """The learners at the session, in the order given or in the order they came today.
    Raises LearnerNotFound / LearnerAmbiguous for an id the mentor mistyped."""
    if asked:
        found = [find_learner(progress, text) for text in asked]
        return list(dict.fromkeys(found))
    seen: dict[str, None] = {}
    for event in today(events, now):
        state = progress.learner(event["learner"])
        if state is None or state.erased or not state.enrolled_at:
            continue
        if village is None or village_of(state) == village:
            seen.setdefault(state.id, None)
    return list(seen)


def build_sheet(
    progress: Progress,
    events: Iterable[Event],
    course: Course,
    packs: Sequence[Pack],
    learners: Sequence[str],
    village: str | None,
    catalog: Catalog,
    now: datetime,
) -> Sheet:
    events = list(events)
    states = [s for s in (progress.learner(i) for i in learners) if s is not None]
    rows = tuple(_row(state, course, catalog, now) for state in states)
    if village is None:
        villages = {village_of(s) for s in states} - {None}
        village = villages.pop() if len(villages) == 1 else None
    groups = _groups(today(events, now), {p.manifest.id: p for p in packs}, catalog)
    return Sheet(now.date().isoformat(), village, rows, groups)


def _row(state, course: Course, catalog: Catalog, now: datetime) -> SheetRow:
    language = catalog.language
    done = tuple(
        title(course.lessons[v.lesson].title, language, v.lesson)
        for v in completed(state, course)
        if v.lesson in course.lessons
    )
    current = ""
    resume = where_to_resume(state, course)
    if resume is not None:
        key, step = resume
        name = title(course.lessons[key].title, language, key)
        current = catalog.text("classroom.sheet.current_step", title=name, step=step + 1)
    review = tuple(
        title(course.skills.get(due.skill), language, due.skill)
        for due in fading(state, course, now)[:MOST_REVIEWS]
    )
    return SheetRow(shown_name(Audience(), state, catalog), done, current, review)


def _groups(events: list[Event], packs: dict[str, Pack], catalog: Catalog) -> tuple:
    """Each lesson played on the big screen today, with the questions the room found hard."""
    sessions: dict[str, list[dict]] = {}
    for event in events:
        if event["type"] == ev.GROUP_ANSWERED:
            sessions.setdefault(str(event["data"].get("session")), []).append(event["data"])
    found = []
    for answers in sessions.values():
        pack = packs.get(str(answers[0].get("pack")))
        lesson = pack.lessons.get(str(answers[0].get("lesson"))) if pack else None
        if lesson is None:
            continue
        language = catalog.language
        asked = questions(answers)
        hard = tuple(
            catalog.text(
                "classroom.sheet.hard_item",
                question=in_language(lesson.step[q.step].text, language),
                how=how_it_went(q, catalog.text),
            )
            for q in asked
            if q.hard and q.step < len(lesson.step)
        )
        found.append(GroupLesson(in_language(lesson.title, language), hard, len(asked)))
    return tuple(found)
