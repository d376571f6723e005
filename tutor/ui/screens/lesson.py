"""A lesson: the runner's prompts on screen, each answer written to the log before the next
prompt is shown or said.

The screen is dismissed with the runner's outcome once the lesson has ended: `done` after
the summary (shown and said, until the learner goes on), `home` or `quit` as soon as the
goodbye has been handed to the speaker.
"""

from dataclasses import replace

from textual import on

from tutor.session.runner import LessonRunner
from tutor.session.turns import Turn
from tutor.ui.journal import Journal
from tutor.ui.screens.prompt import Answered, PromptScreen


class LessonScreen(PromptScreen[str]):
    def __init__(self, runner: LessonRunner, journal: Journal):
        super().__init__()
        self.runner, self.journal = runner, journal
        self.outcome = "continue"

    def on_mount(self) -> None:
        super().on_mount()
        self.take(self.runner.begin())

    def take(self, turn: Turn) -> None:
        """Write the turn's records (one fsync), then show and say its prompt."""
        self.journal.write(turn.records)
        if turn.changes.get("slower"):
            self.tutor.slow_down()
        self.outcome = turn.outcome
        prompt = turn.prompt
        if prompt.kind == "summary" and not prompt.hint:
            prompt = replace(prompt, hint=self.tutor.text("screen.go_on"))
        self.show(prompt)
        if turn.outcome in ("home", "quit"):
            self.dismiss(turn.outcome)

    @on(Answered)
    def _answered(self, event: Answered) -> None:
        if self.outcome in ("home", "quit"):
            return
        if self.outcome == "done":
            self.dismiss("done")
            return
        answer = event.answer
        self.take(self.runner.hear(answer.decision, answer.said, answer.via, answer.seconds))

    def silence(self) -> None:
        self.take(self.runner.silence())
