"""What the console shows about the village's learners, as plain data for the screens.

Everything comes from the folded record (the logs this machine holds, brought up to date by
pulling from the hub) and one pass over the raw events (hub/facts.py), read through the same
rules as the coordinators' report: privacy.py decides who is shown and by what name, stuck.py
who is stuck, mistakes.py which drill choices were worse than the best one, review.py which
skills are fading. The console only lays it out.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tutor.content.schema import Drill
from tutor.content.strings import Catalog
from tutor.hub import stuck as rules
from tutor.hub.facts import Facts, gather
from tutor.hub.mistakes import run_mistakes
from tutor.hub.privacy import Audience, sees, shown_name, village_of
from tutor.progress.course import Course, title
from tutor.progress.events import Event, parse_timestamp
from tutor.progress.model import LearnerState, Progress
from tutor.progress.review import fading
from tutor.progress.view import IN_PROGRESS, completed, lesson_views

MOST_MISTAKES = 8


@dataclass(frozen=True)
class Row:
    id: str
    name: str
    village: str
    done: int
    where: str
    fading: int
    stuck: int
    last: str  # local date and time of the last record, or ""


@dataclass(frozen=True)
class Detail:
    id: str
    name: str
    finished: tuple[str, ...]
    where: str
    fading: tuple[str, ...]
    mistakes: tuple[str, ...]
    stuck: tuple[str, ...]


class Roster:
    """The learners one audience (a mentor's village, or a coordinator's county) may see."""

    def __init__(
        self,
        progress: Progress,
        events: Iterable[Event],
        course: Course,
        drills: dict[str, Drill],
        audience: Audience,
        catalog: Catalog,
        now: datetime,
    ):
        self.progress, self.course, self.drills = progress, course, drills
        self.audience, self.catalog, self.now = audience, catalog, now
        self.facts: Facts = gather(events)
        self.states = {
            key: state
            for key, state in progress.learners.items()
            if progress.resolve(key) == key and not state.erased and state.enrolled_at
            and sees(audience, state)
        }

    def rows(self) -> list[Row]:
        rows = [self._row(state) for state in self.states.values()]
        return sorted(rows, key=lambda r: (r.name, r.id))

    def _row(self, state: LearnerState) -> Row:
        return Row(
            id=state.id,
            name=self.name(state.id),
            village=village_of(state) or "",
            done=len(completed(state, self.course)),
            where=self.where(state),
            fading=len(fading(state, self.course, self.now)),
            stuck=len(self._stuck(state)),
            last=_local(state.last_at),
        )

    def name(self, learner: str) -> str:
        state = self.states.get(self.progress.resolve(learner))
        if state is None:
            from tutor.hub.privacy import pseudonym

            return pseudonym(learner, self.catalog)
        return shown_name(self.audience, state, self.catalog)

    def choices(self) -> list[tuple[str, str]]:
        """(id, name) of everyone shown, for a merge target or a lesson to start."""
        return [(row.id, row.name) for row in self.rows()]

    def lesson_title(self, key: str | None) -> str:
        info = self.course.lessons.get(key or "")
        return title(info.title if info else None, self.catalog.language, key or "")

    def drill_title(self, key: str) -> str:
        """A drill as the mentor picks it from the same list as the lessons."""
        name = title(self.course.drills.get(key), self.catalog.language, key)
        return self.catalog.text("mentor.session.drill", title=name)

    def where(self, state: LearnerState) -> str:
        """The lesson the learner is in the middle of, and the step to resume at."""
        t = self.catalog.text
        open_now = [v for v in lesson_views(state, self.course) if v.status == IN_PROGRESS]
        if not open_now:
            return t("mentor.roster.nowhere")
        latest = max(open_now, key=lambda v: state.lessons[v.lesson].resume[0])
        return t(
            "mentor.roster.at_step", lesson=self.lesson_title(latest.lesson),
            step=latest.resume_step + 1,
        )

    def detail(self, learner: str) -> Detail | None:
        state = self.states.get(self.progress.resolve(learner))
        if state is None:
            return None
        t = self.catalog.text
        finished = tuple(self.lesson_title(v.lesson) for v in completed(state, self.course))
        skills = tuple(
            title(self.course.skills.get(d.skill), self.catalog.language, d.skill)
            for d in fading(state, self.course, self.now)
        )
        return Detail(
            id=state.id,
            name=self.name(state.id),
            finished=finished or (t("mentor.roster.none"),),
            where=self.where(state),
            fading=skills or (t("mentor.roster.none"),),
            mistakes=tuple(self._mistakes(state)) or (t("mentor.roster.none"),),
            stuck=tuple(self._what(s) for s in self._stuck(state)) or (t("mentor.roster.none"),),
        )

    def _stuck(self, state: LearnerState) -> list[rules.Stuck]:
        ids = {state.id, *state.merged}
        waiting = [h for h in self.facts.open_help() if h.learner in ids]
        return rules.stuck_learner(state, waiting, self.now)

    def _what(self, sign: rules.Stuck) -> str:
        t = self.catalog.text
        lesson, step = self.lesson_title(sign.lesson), (sign.step or 0) + 1
        if sign.kind == rules.STALLED:
            days = (self.now - parse_timestamp(sign.since)).days
            return t("report.stuck.stalled", lesson=lesson, days=days, step=step)
        if sign.kind == rules.WRONG_AGAIN:
            return t("report.stuck.wrong_again", lesson=lesson, step=step, count=sign.count)
        if sign.lesson is None:
            return t("report.stuck.help_anywhere")
        return t("report.stuck.help_waiting", lesson=lesson, step=step)

    def _mistakes(self, state: LearnerState) -> list[str]:
        ids = {state.id, *state.merged}
        found: list[str] = []
        language = self.catalog.language
        for run in reversed(self.facts.drills):
            drill = self.drills.get(run.drill)
            if run.learner not in ids or drill is None:
                continue
            for mistake in run_mistakes(drill, run.drill, run.path, run.seed):
                node = next(n for n in drill.node if n.id == mistake.node)
                choices = {c.key: c for c in node.choice}
                found.append(self.catalog.text(
                    "mentor.roster.mistake",
                    drill=title(drill.title, language, run.drill),
                    chose=title(choices[mistake.chose].text, language, mistake.chose),
                    better=title(choices[mistake.better].text, language, mistake.better),
                ))
                if len(found) >= MOST_MISTAKES:
                    return found
        return found


def _local(at: str) -> str:
    if not at:
        return ""
    return parse_timestamp(at).astimezone().strftime("%Y-%m-%d %H:%M")
