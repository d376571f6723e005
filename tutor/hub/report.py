"""The coordinators' report as data: per village, per drill, who is stuck, silent devices.

Built from the folded learner state (`Progress`) plus one pass over the raw events (facts.py)
for what the fold does not keep, so the CLI can feed it the logs on disk and the hub rows
from its database. Everything shown about a person goes through privacy.py first: the
report holds only learners this audience may see, under the name it may see, and the
renderers (report_text.py, report_html.py) just lay it out. Titles and sentences are in the
catalog's language.

`since_days` narrows what is *counted* (lessons first completed, drill runs, mistakes) to
the last days; who is stuck, mastery and silent devices are about the record now.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tutor.content.packs import Pack
from tutor.content.scene import best_scores
from tutor.content.schema import Drill
from tutor.content.strings import Catalog
from tutor.hub import stuck as rules
from tutor.hub.facts import DrillResult, Facts, gather
from tutor.hub.mistakes import Mistake, common_mistakes
from tutor.hub.privacy import Audience, sees, shown_name, village_of
from tutor.progress.course import Course, title
from tutor.progress.events import Event, parse_timestamp, timestamp
from tutor.progress.mastery import masteries
from tutor.progress.model import LearnerState, Progress
from tutor.progress.view import completed

SILENT_DAYS = 30
ACTIVE_DAYS = 30
TOP_MISTAKES = 10
BINS = 10  # the score histogram: tenths of the maximum
DEVICE_DIGITS = 8


@dataclass(frozen=True)
class LearnerLine:
    id: str
    name: str
    village: str
    lessons_done: int
    levels: tuple[str, ...]  # mastery level per skill of Report.skills
    last_active: str  # local date, or "" when nothing was ever recorded


@dataclass(frozen=True)
class VillageLine:
    village: str
    learners: int
    active: int
    completed: int  # lessons first completed in the window
    done: int  # (learner, lesson) pairs of the course completed, ever
    possible: int  # learners x lessons in the course
    drill_runs: int
    drill_percent: float | None
    stuck: int

    @property
    def completion(self) -> float | None:
        return 100 * self.done / self.possible if self.possible else None


@dataclass(frozen=True)
class DrillLine:
    village: str
    drill: str
    runs: int
    mean_percent: float | None
    best_percent: float | None
    dimensions: tuple[tuple[str, float, int], ...]  # (name, mean points, best possible)


@dataclass(frozen=True)
class StuckLine:
    village: str
    name: str
    what: str
    since: str  # local date
    days: int


@dataclass(frozen=True)
class DeviceLine:
    device: str
    villages: tuple[str, ...]
    last: str  # local date
    days: int


@dataclass(frozen=True)
class MistakeLine:
    drill: str
    situation: str
    chose: str
    better: str
    why: str
    count: int


@dataclass(frozen=True)
class Report:
    generated: str
    lessons: int  # lessons in the course
    audience: Audience
    since_days: int | None
    skills: tuple[str, ...]
    villages: tuple[VillageLine, ...]
    learners: tuple[LearnerLine, ...]
    drills: tuple[DrillLine, ...]
    histogram: tuple[int, ...]
    stuck: tuple[StuckLine, ...]
    devices: tuple[DeviceLine, ...]
    device_count: int
    mistakes: tuple[MistakeLine, ...]


def drills_in(packs: Iterable[Pack]) -> dict[str, Drill]:
    """Every drill of the packs by `pack/drill`, as events name them."""
    return {
        f"{pack.manifest.id}/{drill_id}": drill
        for pack in packs
        for drill_id, drill in pack.drills.items()
    }


def build_report(
    progress: Progress,
    events: Iterable[Event],
    course: Course,
    drills: dict[str, Drill],
    audience: Audience,
    catalog: Catalog,
    now: datetime,
    since_days: int | None = None,
) -> Report:
    facts = gather(events)
    builder = _Builder(progress, facts, course, drills, audience, catalog, now, since_days)
    return builder.build()


class _Builder:
    def __init__(
        self,
        progress: Progress,
        facts: Facts,
        course: Course,
        drills: dict[str, Drill],
        audience: Audience,
        catalog: Catalog,
        now: datetime,
        since_days: int | None,
    ):
        self.progress, self.facts, self.course, self.drills = progress, facts, course, drills
        self.audience, self.catalog, self.now, self.since_days = audience, catalog, now, since_days
        self.cutoff = timestamp(now - timedelta(days=since_days)) if since_days else ""
        self.visible = {
            key: state for key, state in progress.learners.items() if sees(audience, state)
        }
        self.names = {key: shown_name(audience, s, catalog) for key, s in self.visible.items()}
        self._best: dict[str, dict[str, int]] = {}

    # ---- groups and names -------------------------------------------------------------

    def group(self, state: LearnerState) -> str:
        village = village_of(state)
        if village is not None:
            return village
        key = "report.erased_group" if state.erased else "report.no_village"
        return self.catalog.text(key)

    def _group_order(self, label: str) -> tuple[int, str]:
        special = {self.catalog.text("report.erased_group"), self.catalog.text("report.no_village")}
        return (label in special, label)

    def text(self, table: dict[str, str] | None, fallback: str) -> str:
        return title(table, self.catalog.language, fallback)

    def lesson_title(self, lesson: str | None) -> str:
        info = self.course.lessons.get(lesson or "")
        return self.text(info.title if info else None, lesson or "")

    def local_date(self, at: str) -> str:
        return parse_timestamp(at).astimezone().date().isoformat()

    def days_since(self, at: str) -> int:
        return max(0, (self.now - parse_timestamp(at)).days)

    # ---- the report -------------------------------------------------------------------

    def build(self) -> Report:
        runs = [r for r in self.facts.drills if self._counted(r)]
        stuck = self._stuck()
        learners = self._learners()
        return Report(
            generated=timestamp(self.now),
            lessons=len(self.course.lessons),
            audience=self.audience,
            since_days=self.since_days,
            skills=tuple(self.text(names, key) for key, names in self.course.skills.items()),
            villages=self._villages(runs, stuck),
            learners=learners,
            drills=self._drills(runs),
            histogram=self._histogram(runs),
            stuck=tuple(line for _, line in stuck),
            devices=self._devices(),
            device_count=len(self._device_ids()),
            mistakes=self._mistakes(runs),
        )

    def _counted(self, run: DrillResult) -> bool:
        learner = self.progress.resolve(run.learner)
        return learner in self.visible and run.at >= self.cutoff

    def _learners(self) -> tuple[LearnerLine, ...]:
        lines = []
        for key, state in self.visible.items():
            levels = masteries(state, self.course)
            lines.append(
                LearnerLine(
                    id=key,
                    name=self.names[key],
                    village=self.group(state),
                    lessons_done=len(self._done(state)),
                    levels=tuple(levels[s].level for s in self.course.skills),
                    last_active=self.local_date(state.last_at) if state.last_at else "",
                )
            )
        return tuple(sorted(lines, key=lambda ln: (self._group_order(ln.village), ln.name, ln.id)))

    def _done(self, state: LearnerState) -> list[str]:
        return [v.lesson for v in completed(state, self.course)]

    def _villages(
        self, runs: list[DrillResult], stuck: list[tuple[str, StuckLine]]
    ) -> tuple[VillageLine, ...]:
        groups: dict[str, list[LearnerState]] = {}
        for state in self.visible.values():
            groups.setdefault(self.group(state), []).append(state)
        active_from = timestamp(self.now - timedelta(days=self.since_days or ACTIVE_DAYS))
        stuck_people = {(line.village, learner) for learner, line in stuck}
        lines = []
        for village, states in groups.items():
            members = {s.id for s in states}
            theirs = [r for r in runs if self.progress.resolve(r.learner) in members]
            percents = [p for p in (self._percent(r) for r in theirs) if p is not None]
            views = [v for s in states for v in completed(s, self.course)]
            lines.append(
                VillageLine(
                    village=village,
                    learners=len(states),
                    active=sum(1 for s in states if s.last_at >= active_from),
                    completed=sum(1 for v in views if (v.first_completed or "") >= self.cutoff),
                    done=sum(1 for v in views if v.lesson in self.course.lessons),
                    possible=len(states) * len(self.course.lessons),
                    drill_runs=len(theirs),
                    drill_percent=sum(percents) / len(percents) if percents else None,
                    stuck=sum(1 for v, who in stuck_people if v == village and who in members),
                )
            )
        return tuple(sorted(lines, key=lambda ln: self._group_order(ln.village)))

    # ---- drills -----------------------------------------------------------------------

    def best(self, drill_key: str) -> dict[str, int]:
        if drill_key not in self._best:
            drill = self.drills.get(drill_key)
            self._best[drill_key] = best_scores(drill) if drill else {}
        return self._best[drill_key]

    def _percent(self, run: DrillResult) -> float | None:
        top = run.max if run.max else sum(self.best(run.drill).values())
        return 100 * run.score / top if top and top > 0 else None

    def _drills(self, runs: list[DrillResult]) -> tuple[DrillLine, ...]:
        grouped: dict[tuple[str, str], list[DrillResult]] = {}
        for run in runs:
            state = self.visible[self.progress.resolve(run.learner)]
            grouped.setdefault((self.group(state), run.drill), []).append(run)
        lines = []
        for (village, drill_key), theirs in grouped.items():
            percents = [p for p in (self._percent(r) for r in theirs) if p is not None]
            lines.append(
                DrillLine(
                    village=village,
                    drill=self.text(self.course.drills.get(drill_key), drill_key),
                    runs=len(theirs),
                    mean_percent=sum(percents) / len(percents) if percents else None,
                    best_percent=max(percents) if percents else None,
                    dimensions=self._dimensions(drill_key, theirs),
                )
            )
        return tuple(sorted(lines, key=lambda ln: (self._group_order(ln.village), ln.drill)))

    def _dimensions(
        self, drill_key: str, runs: list[DrillResult]
    ) -> tuple[tuple[str, float, int], ...]:
        drill = self.drills.get(drill_key)
        scored = [r for r in runs if r.scores]
        if drill is None or not scored:
            return ()
        best = self.best(drill_key)
        return tuple(
            (
                self.text(dim.name, dim.id),
                sum(float(r.scores.get(dim.id, 0)) for r in scored) / len(scored),
                best.get(dim.id, 0),
            )
            for dim in drill.rubric
        )

    def _histogram(self, runs: list[DrillResult]) -> tuple[int, ...]:
        """Runs per tenth of the maximum; below 0 counts in the first, 100% in the last."""
        bins = [0] * BINS
        for run in runs:
            percent = self._percent(run)
            if percent is not None:
                bins[min(BINS - 1, max(0, int(percent // (100 / BINS))))] += 1
        return tuple(bins)

    def _mistakes(self, runs: list[DrillResult]) -> tuple[MistakeLine, ...]:
        counts = common_mistakes(((r.drill, r.path, r.seed) for r in runs), self.drills)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return tuple(self._mistake(m, n) for m, n in ranked[:TOP_MISTAKES])

    def _mistake(self, mistake: Mistake, count: int) -> MistakeLine:
        drill = self.drills[mistake.drill]
        node = next(n for n in drill.node if n.id == mistake.node)
        choices = {c.key: c for c in node.choice}
        chose, better = choices[mistake.chose], choices[mistake.better]
        return MistakeLine(
            drill=self.text(drill.title, mistake.drill),
            situation=self.text(node.comment or node.narration, node.id),
            chose=self.text(chose.text, chose.key),
            better=self.text(better.text, better.key),
            why=self.text(better.feedback, ""),
            count=count,
        )

    # ---- stuck and devices ------------------------------------------------------------

    def _stuck(self) -> list[tuple[str, StuckLine]]:
        waiting: dict[str, list] = {}
        for asked in self.facts.open_help():
            waiting.setdefault(self.progress.resolve(asked.learner), []).append(asked)
        found = []
        for key, state in self.visible.items():
            for sign in rules.stuck_learner(state, waiting.get(key, []), self.now):
                line = StuckLine(
                    village=self.group(state),
                    name=self.names[key],
                    what=self._what(sign),
                    since=self.local_date(sign.since),
                    days=self.days_since(sign.since),
                )
                found.append((key, line))
        return sorted(
            found, key=lambda f: (self._group_order(f[1].village), f[1].name, -f[1].days, f[1].what)
        )

    def _what(self, sign: rules.Stuck) -> str:
        t = self.catalog.text
        lesson = self.lesson_title(sign.lesson)
        step = (sign.step or 0) + 1
        if sign.kind == rules.STALLED:
            return t(
                "report.stuck.stalled", lesson=lesson, days=self.days_since(sign.since), step=step
            )
        if sign.kind == rules.WRONG_AGAIN:
            return t("report.stuck.wrong_again", lesson=lesson, step=step, count=sign.count)
        if sign.lesson is None:
            return t("report.stuck.help_anywhere")
        return t("report.stuck.help_waiting", lesson=lesson, step=step)

    def _device_ids(self) -> list[str]:
        """Devices this audience may know of: all for a county view, else those where
        learners it sees worked."""
        if self.audience.village is None:
            return sorted(self.facts.device_last)
        return sorted(d for d in self.facts.device_last if self._device_villages(d))

    def _device_villages(self, device: str) -> tuple[str, ...]:
        seen = {self.progress.resolve(x) for x in self.facts.device_learners.get(device, ())}
        found = {village_of(self.visible[x]) for x in seen if x in self.visible}
        return tuple(sorted(v for v in found if v))

    def _devices(self) -> tuple[DeviceLine, ...]:
        lines = []
        for device in self._device_ids():
            last = self.facts.device_last[device]
            days = self.days_since(last)
            if days >= SILENT_DAYS:
                lines.append(
                    DeviceLine(
                        device=device[:DEVICE_DIGITS],
                        villages=self._device_villages(device),
                        last=self.local_date(last),
                        days=days,
                    )
                )
        return tuple(sorted(lines, key=lambda ln: (-ln.days, ln.device)))
