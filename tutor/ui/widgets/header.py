"""The line at the top: what is being learned and how far along the learner is."""

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar

from tutor.ui.widgets.learner_text import LearnerText


class StepHeader(Horizontal):
    """Lesson title, "step 2 of 6" in words, and a bar for learners who do not read numbers."""

    DEFAULT_CSS = """
    StepHeader { height: auto; }
    StepHeader > #title { width: 1fr; }
    StepHeader > #where { width: auto; padding: 0 1; }
    StepHeader > ProgressBar { width: 22; }
    StepHeader.-menu > #where, StepHeader.-menu > ProgressBar { display: none; }
    """

    def compose(self) -> ComposeResult:
        yield LearnerText(id="title")
        yield LearnerText(id="where")
        yield ProgressBar(show_eta=False, show_percentage=False)

    def show(self, title: str, where: str, step: int, steps: int) -> None:
        """`where` is "step 3 of 6" in the learner's language, for a lesson; "" in a menu."""
        self.query_one("#title", LearnerText).text = title
        self.set_class(not steps, "-menu")
        if steps:
            self.query_one("#where", LearnerText).text = where
            self.query_one(ProgressBar).update(total=steps, progress=step + 1)
