"""The box a learner who can type writes a practice answer in.

It owns no keys: the prompt screen decides which key is a letter of the answer and which
is a command, and hands the letters here. The text is drawn like every other learner text
(Uyghur shaped, right to left), with a placeholder that says typing is welcome.
"""

from rich.console import RenderableType
from textual.reactive import reactive
from textual.widget import Widget

from tutor.ui.widgets.learner_text import VisualText

CURSOR = "▏"


class AnswerBox(Widget):
    DEFAULT_CSS = """
    AnswerBox { display: none; height: auto; min-height: 3; border: heavy $primary; padding: 0 1;
                text-style: bold; margin-top: 1; }
    AnswerBox.-empty { color: $foreground 60%; }
    """

    value: reactive[str] = reactive("", layout=True)

    def __init__(self, placeholder: str, *, id: str | None = None):
        super().__init__(id=id)
        self.placeholder = placeholder
        self.set_class(True, "-empty")

    def watch_value(self, value: str) -> None:
        self.set_class(not value, "-empty")

    def type(self, text: str) -> None:
        """Letters the learner typed (or pasted); a line break is a space here."""
        self.value += " ".join(text.splitlines())

    def erase(self) -> None:
        self.value = self.value[:-1]

    def render(self) -> RenderableType:
        return VisualText(self.value + CURSOR if self.value else self.placeholder)
