"""A scripted learner: one more front end of the lesson runner, for `tutor progress simulate`.

Kolibri's `generateuserdata` writes plausible rows; this one plays real sessions instead, so
the log holds exactly what a learner at a village device would leave: right and wrong
answers, answers said unclearly and confirmed, help requests a mentor answers, answers taken
back, lessons left halfway and resumed. Time is simulated; everything else is the runner's.
"""

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from tutor.content.schema import ChooseStep, PracticeStep
from tutor.progress import events as ev
from tutor.progress.simulate import Lesson, Persona, SessionPlayer, Writer
from tutor.session.runner import LessonRunner
from tutor.session.turns import Prompt, Record, Turn
from tutor.understand.engine import Decision

Text = Callable[..., str]
MAX_TURNS = 400
VIA = (("voice", 0.6), ("key", 0.35), ("mentor", 0.05))


def _accept(intent: str, key: str | None = None) -> Decision:
    return Decision("accept", intent, key, 1.0)


class _Session:
    """Writes a session's records with simulated times, one fsync at the end; an undo or a
    help answer that must name an earlier event's id flushes first."""

    def __init__(self, rng: random.Random, writer: Writer, persona: Persona, clock: datetime):
        self.rng, self.writer, self.persona, self.clock = rng, writer, persona, clock
        self.refs: list[int] = []
        self.ids: dict[int, str] = {}

    def add(self, kind: str, data: dict, ref: int = 0) -> None:
        self.writer.add(self.persona.learner, kind, data, self.clock)
        self.refs.append(ref)

    def flush(self) -> list:
        events = self.writer.flush()
        for ref, event in zip(self.refs, events, strict=True):
            if ref:
                self.ids[ref] = event["id"]
        self.refs = []
        return events

    def write(self, records: tuple[Record, ...]) -> None:
        for record in records:
            self.clock += timedelta(seconds=self.rng.uniform(0.5, 2))
            data = dict(record.data)
            if record.undoes is not None:
                if record.undoes not in self.ids:
                    self.flush()
                data["answer"] = self.ids.get(record.undoes, "")
            self.add(record.type, data, record.ref)
            if record.type == ev.HELP_REQUESTED:
                request = self.flush()[-1]
                self.clock += timedelta(minutes=self.rng.uniform(1, 4))
                self.add(ev.HELP_ANSWERED, {"request": request["id"]})


def runner_player(text_for: Callable[[str], Text]) -> SessionPlayer:
    """Sessions played through the real lesson runner, in each persona's language."""

    def play(
        rng: random.Random,
        writer: Writer,
        persona: Persona,
        lesson: Lesson,
        mode: str,
        clock: datetime,
    ) -> datetime:
        body = lesson.pack.lessons[lesson.id]
        start = persona.resume.get(lesson.key, 0)
        runner = LessonRunner(
            body, lesson.pack.manifest.id, persona.language, text_for(persona.language), start, mode
        )
        session = _Session(rng, writer, persona, clock)
        if rng.random() < 0.03:
            change = rng.choice([{"rate": rng.choice([120, 140, 160])}, {"text_size": "large"}])
            session.add(ev.SETTINGS_CHANGED, change)
        skill = min(0.97, persona.accuracy + 0.1 * persona.runs.get(lesson.key, 0))
        turn: Turn = runner.begin()
        for _ in range(MAX_TURNS):
            session.write(turn.records)
            if turn.outcome == "done":
                persona.runs[lesson.key] = persona.runs.get(lesson.key, 0) + 1
                persona.resume.pop(lesson.key, None)
                break
            if turn.outcome in ("quit", "home"):
                persona.resume[lesson.key] = runner.at
                break
            decision, said, via, seconds = _answer(rng, persona, runner, turn.prompt, skill)
            session.clock += timedelta(seconds=seconds)
            turn = runner.hear(decision, said=said, via=via, seconds=round(seconds, 1))
        session.flush()
        return session.clock

    return play


def _answer(
    rng: random.Random, persona: Persona, runner: LessonRunner, prompt: Prompt, skill: float
) -> tuple[Decision, str, str, float]:
    via = rng.choices([v for v, _ in VIA], [w for _, w in VIA])[0]
    seconds = rng.uniform(2, 20) * persona.pace
    if prompt.kind in ("confirm", "scan", "quit", "paused"):
        return _accept("yes"), "", via, seconds / 4
    step = runner.step
    if prompt.kind in ("say", "recap"):
        if runner.at > 0 and rng.random() < persona.quit_rate:
            return _accept("quit"), "", "key", seconds
        return _accept("next"), "", via, rng.uniform(8, 25) * persona.pace
    if rng.random() < persona.help_rate:
        return _accept("help"), "", via, seconds
    if runner.answered and rng.random() < persona.undo_rate:
        return _accept("back"), "", "key", 3.0
    right = rng.random() < min(0.98, skill + 0.15 * runner.attempts)
    if isinstance(step, PracticeStep):
        groups = step.keywords.get(persona.language) or step.keywords["zh"]
        words = [g[0] for g in groups] if right else [groups[0][0]]
        return Decision("reject", None, None, 0.0), " ".join(words), "voice", seconds
    assert isinstance(step, ChooseStep)
    good = [c.key for c in step.choice if c.correct] or [c.key for c in step.choice]
    wrong = [c.key for c in step.choice if c.key not in good]
    key = rng.choice(good if right or not wrong or not step.graded else wrong)
    unsure = via == "voice" and rng.random() < 0.15
    return Decision("confirm" if unsure else "accept", "choice", key, 0.7), key, via, seconds
