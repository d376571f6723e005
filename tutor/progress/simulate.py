"""Scripted learners writing a realistic log, for demos, mentor training, benchmarks and sync.

Like Kolibri's `generateuserdata`: each learner gets a persona (how often they come, how
often they are right, how fast they go, how often they ask for help, take an answer back or
stop halfway) and lives through the days on one shared village device, one session after
another, through the real lessons of the real packs: lesson ids, step indices and choice
keys are the ones a learner would meet. The lesson runner does not exist yet, so the events
are written directly, in the shape the runner will write them; once it exists, this module
must drive it instead.

Each session is one batch (one fsync), as the runner will write a lesson's steps. The same
seed gives the same learners and answers; event ids and the device differ per machine.
"""

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from tutor.content.packs import Pack
from tutor.content.schema import ChooseStep, PracticeStep
from tutor.progress import events as ev
from tutor.progress.events import Event, timestamp
from tutor.progress.store import Draft, EventLog

# Village time: sessions happen in the day at the service point (China, UTC+8).
_LOCAL = timezone(timedelta(hours=8))
_LANGUAGES = ("zh", "zh", "zh", "ko", "ug")
_MAX_TRIES = 3

Names = Callable[[str, int], tuple[str, str]]


@dataclass
class Persona:
    learner: str
    language: str
    accuracy: float
    diligence: float
    pace: float
    help_rate: float
    undo_rate: float
    quit_rate: float
    runs: dict[str, int] = field(default_factory=dict)
    resume: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Lesson:
    pack: Pack
    id: str

    @property
    def key(self) -> str:
        return f"{self.pack.manifest.id}/{self.id}"


class _Writer:
    """Queues a session's events and writes them with one fsync; writes early only when a
    later event must name an earlier one's id (taking an answer back, answering help)."""

    def __init__(self, log: EventLog):
        self.log = log
        self.pending: list[Draft] = []
        self.written = 0

    def add(self, learner: str, kind: str, data: dict, at: datetime) -> None:
        self.pending.append(Draft(learner, kind, data, timestamp(at)))

    def add_now(self, learner: str, kind: str, data: dict, at: datetime) -> Event:
        self.add(learner, kind, data, at)
        return self.flush()[-1]

    def flush(self) -> list[Event]:
        written = self.log.append_batch(self.pending) if self.pending else []
        self.written += len(written)
        self.pending = []
        return written


def simulate(
    log: EventLog,
    packs: list[Pack],
    names: Names,
    learners: int,
    days: int,
    seed: int,
    now: datetime,
) -> int:
    """Enrol `learners` scripted learners and live `days` days up to yesterday; return how
    many events were written."""
    rng = random.Random(seed)
    lessons = [
        Lesson(p, lesson) for p in packs for lesson in p.manifest.lessons if lesson in p.lessons
    ]
    personas = [_persona(rng) for _ in range(learners)]
    writer = _Writer(log)
    first_day = now.astimezone(_LOCAL).date() - timedelta(days=days)
    for day in range(days):
        date = first_day + timedelta(days=day)
        clock = datetime(date.year, date.month, date.day, 9, tzinfo=_LOCAL).astimezone(UTC)
        clock += timedelta(minutes=rng.uniform(0, 60))
        if day == 0:
            for number, persona in enumerate(personas, 1):
                name, village = names(persona.language, number)
                data = {"name": name, "village": village, "language": persona.language}
                writer.add(persona.learner, ev.LEARNER_ENROLLED, data, clock)
                clock += timedelta(seconds=rng.uniform(20, 90))
            writer.flush()
        for persona in rng.sample(personas, len(personas)):
            if lessons and rng.random() < persona.diligence:
                clock = _session(rng, writer, persona, lessons, clock)
                writer.flush()
                clock += timedelta(minutes=rng.uniform(1, 5))
    return writer.written


def _persona(rng: random.Random) -> Persona:
    return Persona(
        learner=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        language=rng.choice(_LANGUAGES),
        accuracy=rng.uniform(0.45, 0.9),
        diligence=rng.uniform(0.3, 0.9),
        pace=rng.uniform(0.7, 1.6),
        help_rate=rng.uniform(0.0, 0.06),
        undo_rate=rng.uniform(0.0, 0.08),
        quit_rate=rng.uniform(0.0, 0.05),
    )


def _pick_lesson(rng: random.Random, persona: Persona, lessons: list[Lesson]) -> tuple[Lesson, str]:
    """The lesson left halfway, else the next new one, else (or sometimes) a review."""
    for lesson in lessons:
        if persona.resume.get(lesson.key):
            return lesson, "learn"
    done = [lesson for lesson in lessons if persona.runs.get(lesson.key)]
    fresh = [lesson for lesson in lessons if not persona.runs.get(lesson.key)]
    if fresh and not (done and rng.random() < 0.2):
        return fresh[0], "learn"
    return rng.choice(done or lessons), "review"


def _session(
    rng: random.Random, writer: _Writer, persona: Persona, lessons: list[Lesson], clock: datetime
) -> datetime:
    learner = persona.learner
    if rng.random() < 0.03:
        change = rng.choice([{"rate": rng.choice([120, 140, 160])}, {"text_size": "large"}])
        writer.add(learner, ev.SETTINGS_CHANGED, change, clock)
        clock += timedelta(seconds=5)
    lesson, mode = _pick_lesson(rng, persona, lessons)
    start_step = persona.resume.get(lesson.key, 0)
    where = {"pack": lesson.pack.manifest.id, "lesson": lesson.id}
    writer.add(learner, ev.LESSON_STARTED, {**where, "step": start_step, "mode": mode}, clock)
    began = clock
    steps = lesson.pack.lessons[lesson.id].step
    skill = min(0.97, persona.accuracy + 0.1 * persona.runs.get(lesson.key, 0))
    for index in range(start_step, len(steps)):
        clock += timedelta(seconds=rng.uniform(8, 25) * persona.pace)
        if rng.random() < 0.02:
            clock += timedelta(minutes=rng.uniform(2, 10))
        if mode == "learn" and index > start_step and rng.random() < persona.quit_rate:
            persona.resume[lesson.key] = index
            return clock
        step = steps[index]
        if not isinstance(step, ChooseStep | PracticeStep):
            continue
        if rng.random() < persona.help_rate:
            request = writer.add_now(learner, ev.HELP_REQUESTED, {**where, "step": index}, clock)
            clock += timedelta(minutes=rng.uniform(1, 4))
            writer.add(learner, ev.HELP_ANSWERED, {"request": request["id"]}, clock)
        clock = _answer(rng, writer, persona, {**where, "step": index}, step, skill, clock)
    seconds = round((clock - began).total_seconds(), 1)
    writer.add(learner, ev.LESSON_COMPLETED, {**where, "seconds": seconds}, clock)
    persona.runs[lesson.key] = persona.runs.get(lesson.key, 0) + 1
    persona.resume.pop(lesson.key, None)
    return clock


def _answer(
    rng: random.Random,
    writer: _Writer,
    persona: Persona,
    where: dict,
    step: ChooseStep | PracticeStep,
    skill: float,
    clock: datetime,
) -> datetime:
    """Tries at one question until right (or the tutor gives the answer after three)."""
    graded = isinstance(step, PracticeStep) or step.graded
    attempt = 1
    while True:
        right = rng.random() < min(0.98, skill + 0.15 * (attempt - 1))
        via = rng.choices(("voice", "key", "mentor"), (0.6, 0.35, 0.05))[0]
        if isinstance(step, PracticeStep):
            via = "voice" if via == "key" else via
            choice = None
        else:
            choice = _choice(rng, step, right)
        answer = {
            **where,
            "step_id": step.id,
            "choice": choice,
            "decision": "confirm" if via == "voice" and rng.random() < 0.15 else "accept",
            "correct": right if graded else None,
            "attempts": attempt,
            "seconds": round(rng.uniform(2, 20) * persona.pace, 1),
            "via": via,
        }
        clock += timedelta(seconds=answer["seconds"])
        if rng.random() < persona.undo_rate:
            event = writer.add_now(persona.learner, ev.STEP_ANSWERED, answer, clock)
            clock += timedelta(seconds=3)
            undo = {**where, "answer": event["id"]}
            writer.add(persona.learner, ev.ANSWER_UNDONE, undo, clock)
            continue
        writer.add(persona.learner, ev.STEP_ANSWERED, answer, clock)
        if right or not graded or attempt >= _MAX_TRIES:
            return clock
        attempt += 1


def _choice(rng: random.Random, step: ChooseStep, right: bool) -> str:
    good = [c.key for c in step.choice if c.correct] or [c.key for c in step.choice]
    wrong = [c.key for c in step.choice if c.key not in good]
    if right or not wrong or not step.graded:
        return rng.choice(good if step.graded else [c.key for c in step.choice])
    return rng.choice(wrong)
