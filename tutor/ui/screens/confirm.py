"""The one yes/no question, used wherever something needs the learner's confirm."""

from textual import on

from tutor.session.turns import Prompt
from tutor.ui.screens.prompt import Answered, PromptScreen
from tutor.understand.expectation import Expectation


class ConfirmScreen(PromptScreen[bool]):
    """Asks `question`; yes (1, or said) is True, anything else False: the safe answer."""

    def __init__(self, question: str):
        super().__init__()
        expect = Expectation(intents=("yes", "no", "repeat"))
        self.question = Prompt("quit", (question,), expect, body=question)

    def on_mount(self) -> None:
        super().on_mount()
        self.show(self.question)

    @on(Answered)
    def _answered(self, event: Answered) -> None:
        decision = event.answer.decision
        if decision.decision == "accept" and decision.intent == "repeat":
            self.show(self.question)
            return
        self.dismiss(decision.decision == "accept" and decision.intent == "yes")
