"""Scripted learners writing a realistic log, for demos, mentor training, benchmarks and sync.

Like Kolibri's `generateuserdata`: each learner gets a persona (how often they come, how
often they are right, how fast they go, how often they ask for help, take an answer back or
stop halfway) and lives through the days on one shared village device, one session after
another. This module keeps the calendar and the personas; each session is played by a
`SessionPlayer` handed in from above, which drives the real lesson runner (progress knows no
runner: see tutor/ui/scripted.py), so the log holds exactly what real sessions write.

Each session is one batch (one fsync). The same seed gives the same learners and answers;
event ids and the device differ per machine.
"""

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from tutor.content.packs import Pack
from tutor.progress import events as ev
from tutor.progress.events import Event, timestamp
from tutor.progress.store import Draft, EventLog

# Village time: sessions happen in the day at the service point (China, UTC+8).
_LOCAL = timezone(timedelta(hours=8))
_LANGUAGES = ("zh", "zh", "zh", "ko", "ug")

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


class Writer:
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
    play: "SessionPlayer",
) -> int:
    """Enrol `learners` scripted learners and live `days` days up to yesterday; return how
    many events were written."""
    rng = random.Random(seed)
    lessons = [
        Lesson(p, lesson) for p in packs for lesson in p.manifest.lessons if lesson in p.lessons
    ]
    personas = [_persona(rng) for _ in range(learners)]
    writer = Writer(log)
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
                lesson, mode = pick_lesson(rng, persona, lessons)
                clock = play(rng, writer, persona, lesson, mode, clock)
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


def pick_lesson(rng: random.Random, persona: Persona, lessons: list[Lesson]) -> tuple[Lesson, str]:
    """The lesson left halfway, else the next new one, else (or sometimes) a review."""
    for lesson in lessons:
        if persona.resume.get(lesson.key):
            return lesson, "learn"
    done = [lesson for lesson in lessons if persona.runs.get(lesson.key)]
    fresh = [lesson for lesson in lessons if not persona.runs.get(lesson.key)]
    if fresh and not (done and rng.random() < 0.2):
        return fresh[0], "learn"
    return rng.choice(done or lessons), "review"


SessionPlayer = Callable[
    [random.Random, Writer, Persona, Lesson, str, datetime], datetime
]
"""Plays one session of `lesson` ("learn" or "review") for a persona, writing through the
writer, and returns the clock after it; it updates `persona.runs` and `persona.resume`."""
