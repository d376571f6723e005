"""A lesson or a drill: the runner's prompts on screen, each answer written to the log before
the next prompt is shown or said.

The screen is dismissed with the runner's outcome once the run has ended: after a lesson's
summary (shown and said, until the learner goes on) with `done`; with `home`, `quit` or a
drill's `done` as soon as the goodbye has been handed to the speaker.
"""

from dataclasses import replace
from typing import Protocol

from textual import on

from tutor.session.turns import Prompt, Turn
from tutor.ui.helping import asked_about, tell_where, write_turn
from tutor.ui.journal import Journal
from tutor.ui.screens.prompt import Answered, PromptScreen, accept
from tutor.ui.widgets.choices import ChoiceGrid
from tutor.understand.engine import Decision

ENDINGS = ("home", "quit", "done")

STATUS_KEYS = ("?", "？")
"""In a drill, "how many are watching?" as one key: the numbers are said. The drill runner
knows them too; they are written out here so the app starts without the drill modules."""


class Runner(Protocol):
    """What the lesson runner and the drill runner both offer a front end."""

    def begin(self) -> Turn: ...

    def hear(self, decision: Decision, said: str, via: str, seconds: float) -> Turn: ...

    def silence(self) -> Turn: ...


class LessonScreen(PromptScreen[str]):
    def __init__(self, runner: Runner, journal: Journal):
        super().__init__()
        self.runner, self.journal = runner, journal
        self.outcome = "continue"
        self.ended = False
        self._asked_on: Prompt | None = None
        self._heard = ""

    def on_mount(self) -> None:
        super().on_mount()
        self.take(self.runner.begin())

    def take(self, turn: Turn) -> None:
        """Write the turn's records (one fsync), then show and say its prompt."""
        tutor = self.tutor
        if tutor.helpline is None:
            self.journal.write(turn.records)
        else:
            asked_on = self._asked_on or turn.prompt
            write_turn(
                tutor.helpline,
                self.journal,
                turn.records,
                asked_on,
                self._heard,
                tutor.learner_name,
            )
            tell_where(
                tutor.helpline, self.journal.learner, tutor.learner_name, self.runner, turn.prompt
            )
        if asked_about(turn.prompt):
            self._asked_on = turn.prompt
        if turn.changes.get("slower"):
            self.tutor.slow_down()
        self.outcome = turn.outcome
        prompt = turn.prompt
        if prompt.kind == "summary" and not prompt.hint:
            prompt = replace(prompt, hint=self.tutor.text("screen.go_on"))
        self.show(prompt)
        if turn.outcome in ENDINGS and prompt.kind != "summary":
            self._end()

    def _end(self) -> None:
        if not self.ended:
            self.ended = True
            self.dismiss(self.outcome)

    @on(Answered)
    def _answered(self, event: Answered) -> None:
        if self.outcome in ENDINGS:
            self._end()
            return
        answer = event.answer
        if self.prompt is None or asked_about(self.prompt):
            self._heard = answer.said if answer.via != "key" else ""  # a key is not words
        if _is_next(answer.decision) and self.query_one(ChoiceGrid).next_page():
            self.listen()  # more choices than fit: "next" shows them before it moves on
            return
        self.take(self.runner.hear(answer.decision, answer.said, answer.via, answer.seconds))

    def silence(self) -> None:
        self.take(self.runner.silence())


def _is_next(decision: Decision) -> bool:
    return decision.decision == "accept" and decision.intent == "next"


class DrillScreen(LessonScreen):
    """A scenario drill: the scene, its live numbers as gauges, the debrief and "try again".
    A drill has no fixed number of steps, so the header names the drill only."""

    def on_mount(self) -> None:
        self.add_class("-drill")
        super().on_mount()

    def show(self, prompt: Prompt) -> None:
        self.set_class(prompt.kind == "debrief", "-debrief")
        super().show(replace(prompt, step=0, steps=0))

    def special_key(self, character: str) -> bool:
        if character in STATUS_KEYS and self.prompt is not None and self.prompt.kind == "drill":
            self.answer(accept("repeat"), said=character)
            return True
        return False
