"""A lesson played for a whole room on one screen, answered by a show of hands.

The same `LessonRunner` a learner's device drives plays the lesson, so the room hears the
same prompts and feedback and gets the same second try after a wrong answer. The mentor
gives the room's answer: the number most hands went up for, or how many hands went up for
each choice (the choice with most hands is then the answer). An answer is first shown as a
result (the tally and the feedback) and can still be taken back when the mentor pressed the
wrong number; once the mentor goes on it becomes a `group_answered` record under the room's
own id (`room_id`). The runner's own records belong to a learner and are never written.

Like the runner, this knows no screen, speaker or file.
"""

import copy
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from tutor.content.schema import ChooseStep, PracticeStep
from tutor.progress import events as ev
from tutor.session.runner import LessonRunner
from tutor.session.turns import Prompt, Turn
from tutor.understand.engine import Decision
from tutor.understand.expectation import Expectation

Text = Callable[..., str]
Hands = dict[str, int]

HARD_SHARE = 0.7
"""A question was hard for the room when fewer than this share of the hands went up for the
right answer at the first try (a third of the room unsure is worth going over again), or,
when only the choice was pressed, when most hands went up for a wrong one."""

MOST_HANDS = 999
"""More hands than any village room holds: a count above it is a typing slip."""


def room_id(device: str) -> str:
    """The id the room's answers are logged under: derived from the device, so the same in
    every session, and never a learner's (learner ids are random)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:tutor:room:{device}"))


def most_hands(hands: Mapping[str, int]) -> str | None:
    """The choice most hands went up for; None with no hands or a tie (the mentor decides)."""
    top = max(hands.values(), default=0)
    leaders = [key for key, count in hands.items() if count == top]
    return leaders[0] if top > 0 and len(leaders) == 1 else None


def in_language(table: Mapping[str, str] | None, language: str) -> str:
    if not table:
        return ""
    return table.get(language) or table.get("zh") or next(iter(table.values()))


@dataclass(frozen=True)
class Result:
    """The room's answer to one question, on screen until the mentor goes on or takes it back."""

    step: int
    choice: str
    hands: Hands  # empty when the mentor pressed the choice without counting
    feedback: tuple[str, ...]  # what the tutor says about the answer, to the whole room
    turn: Turn  # what comes next once the mentor goes on
    record: dict[str, Any]  # the group_answered data


@dataclass(frozen=True)
class TallyRow:
    """One choice after the room answered: how many hands, and why it is right or wrong."""

    key: str
    label: str
    hands: int | None
    right: bool
    picked: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    """A graded question as the room first answered it."""

    step: int
    right_hands: int | None  # None when hands were not counted
    hands: int | None
    correct: bool
    hard: bool


class RoomSession:
    """The runner, driven by the mentor's keys for the room."""

    def __init__(self, runner: LessonRunner, session: str | None = None):
        self.runner = runner
        self.session = session or str(uuid.uuid4())
        self.result: Result | None = None
        self.answers: list[dict[str, Any]] = []
        self._before: LessonRunner | None = None

    @property
    def language(self) -> str:
        return self.runner.language

    @property
    def asking(self) -> bool:
        """Whether a question waits for the room's answer."""
        return isinstance(self.runner.step, ChooseStep) and self.runner.state == "step"

    @property
    def done(self) -> bool:
        return self.runner.state == "done"

    def keys(self) -> tuple[str, ...]:
        step = self.runner.step
        return tuple(c.key for c in step.choice) if isinstance(step, ChooseStep) else ()

    def begin(self) -> Turn:
        return self.runner.begin()

    def command(self, intent: str) -> Turn:
        """`next`, `back`, `repeat` or `slower`, pressed by the mentor. Going on from a
        practice step (the room answered out loud) says an example answer first."""
        step, example = self.runner.step, ""
        if intent == "next" and isinstance(step, PracticeStep) and self.runner.state == "step":
            example = self.runner.t(
                "session.for_example", example=in_language(step.example, self.language)
            )
        turn = self.runner.hear(_sure(intent), via="mentor")
        if example:
            turn = replace(turn, prompt=replace(turn.prompt, lines=(example, *turn.prompt.lines)))
        return turn

    def answer(self, key: str, hands: Mapping[str, int] | None = None) -> Result | None:
        """The room's answer to the question on screen; None when `key` is not a choice."""
        step = self.runner.step
        if not self.asking or key not in self.keys():
            return None
        assert isinstance(step, ChooseStep)
        self._before = _snapshot(self.runner)
        at = self.runner.at
        turn = self.runner.hear(_sure("choice", key), said=key, via="mentor")
        answered = next(r for r in turn.records if r.type == ev.STEP_ANSWERED)
        right = next((c.key for c in step.choice if c.correct), None) if step.graded else None
        record: dict[str, Any] = {
            "session": self.session,
            "pack": self.runner.pack,
            "lesson": self.runner.lesson.id,
            "step": at,
            "step_id": step.id,
            "choice": key,
            "right": right,
            "correct": answered.data["correct"],
            "attempts": answered.data["attempts"],
        }
        counted = {k: int(hands.get(k, 0)) for k in self.keys()} if hands else {}
        if counted:
            record["hands"] = counted
        feedback = said_first(turn.prompt, self.runner.t)
        self.result = Result(at, key, counted, feedback, turn, record)
        return self.result

    def take_back(self) -> Turn:
        """The mentor pressed the wrong number: the question again, as if never answered."""
        if self._before is not None:
            self.runner = self._before
        self._before = self.result = None
        return self.runner.hear(_sure("repeat"), via="mentor")

    def go_on(self) -> tuple[dict[str, Any], Turn]:
        """The answer stands: its record for the log, and the next prompt without the
        feedback (the room heard it with the result)."""
        result = self.result
        assert result is not None
        self.result = self._before = None
        self.answers.append(result.record)
        prompt = result.turn.prompt
        return result.record, replace(
            result.turn, prompt=replace(prompt, lines=prompt.lines[len(result.feedback) :])
        )

    def tally(self) -> tuple[TallyRow, ...]:
        """The choices of the answered question with the room's hands."""
        result = self.result
        step = self.runner.steps[result.step] if result else None
        if result is None or not isinstance(step, ChooseStep):
            return ()
        return tuple(
            TallyRow(
                key=c.key,
                label=in_language(c.text, self.language),
                hands=result.hands.get(c.key) if result.hands else None,
                right=bool(step.graded and c.correct),
                picked=c.key == result.choice,
                feedback=in_language(c.feedback, self.language),
            )
            for c in step.choice
        )

    def summary(self, text: Text) -> Prompt:
        """The room's summary: each question, how the room did, and which were hard."""
        lesson, language = self.runner.lesson, self.language
        title = in_language(lesson.title, language)
        found = questions(self.answers)
        lines = [text("classroom.summary.done", title=title)]
        for q in found:
            question = in_language(lesson.step[q.step].text, language)
            how = how_it_went(q, text)
            mark = text("classroom.summary.hard_mark") if q.hard else ""
            lines.append(
                text("classroom.summary.question", step=q.step + 1, question=question, how=how)
                + mark
            )
        hard = [in_language(lesson.step[q.step].text, language) for q in found if q.hard]
        if hard:
            closing = text("classroom.summary.hard", items=text("report.list_separator").join(hard))
        else:
            closing = text("classroom.summary.none_hard")
        spoken = (lines[0], closing)
        body = "\n".join([*lines, closing])
        return Prompt("room_summary", spoken, Expectation(), title=title, body=body)


def questions(answers: Iterable[Mapping[str, Any]]) -> list[Question]:
    """Each graded question by the room's first answer to it: a second try, or the same
    question answered again after going back, does not make it any less hard."""
    first: dict[int, Mapping[str, Any]] = {}
    for answer in answers:
        step = answer.get("step")
        if type(step) is int and answer.get("attempts") == 1 and answer.get("correct") is not None:
            first.setdefault(step, answer)
    return [_question(answer) for _, answer in sorted(first.items())]


def _question(answer: Mapping[str, Any]) -> Question:
    hands = answer.get("hands") or {}
    counts = {k: v for k, v in hands.items() if type(v) is int and v >= 0}
    total, right = sum(counts.values()), answer.get("right")
    correct = bool(answer.get("correct"))
    if total and isinstance(right, str):
        on_right = counts.get(right, 0)
        return Question(answer["step"], on_right, total, correct, on_right < HARD_SHARE * total)
    return Question(answer["step"], None, None, correct, not correct)


def how_it_went(question: Question, text: Text) -> str:
    if question.hands:
        return text("classroom.summary.share", right=question.right_hands, hands=question.hands)
    return text(
        "classroom.summary.room_right" if question.correct else "classroom.summary.room_wrong"
    )


def said_first(prompt: Prompt, text: Text) -> tuple[str, ...]:
    """The lines said before the prompt itself (feedback, "try again"): the runner puts them
    in front of the prompt's own lines, which are its body and its options."""
    own = set(prompt.body.split("\n"))
    own |= {text("session.option", number=k, text=v) for k, v in prompt.choices}
    said = []
    for line in prompt.lines:
        if line in own:
            break
        said.append(line)
    return tuple(said)


def _sure(intent: str, key: str | None = None) -> Decision:
    """The mentor's key: never in doubt, so never confirmed or scanned."""
    return Decision("accept", intent, key, 1.0)


def _snapshot(runner: LessonRunner) -> LessonRunner:
    """A copy of the runner to return to when an answer is taken back: its state is plain
    values and two lists; the lesson and the catalog are shared, never changed."""
    saved = copy.copy(runner)
    saved.answered, saved.missed = list(runner.answered), list(runner.missed)
    return saved
