"""The room's hands, choice by choice, big enough to read from the back of the room.

Each row: the choice's number and its count drawn with `Digits` (three rows high), a bar as
long as its share of the hands, the choice's text marked right or picked, and, for a wrong
choice some hands went up for, why it is wrong: the mentor explains it to those hands.
"""

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Digits, Static

from tutor.classroom.room import TallyRow
from tutor.ui.widgets.learner_text import LearnerText

BAR_CELLS = 30


class TallyLine(Horizontal):
    def __init__(self, row: TallyRow, most: int, right: str, picked: str):
        super().__init__(classes="-right" if row.right else "-picked" if row.picked else "")
        self.row, self.most, self.marks = row, most, (right, picked)

    def compose(self) -> ComposeResult:
        row = self.row
        yield Digits(row.key, classes="number")
        with Vertical(classes="what"):
            marks = [m for m, on in zip(self.marks, (row.right, row.picked), strict=True) if on]
            yield LearnerText("  ".join([row.label, *marks]), classes="label")
            if row.hands is not None:
                cells = round(BAR_CELLS * row.hands / self.most) if self.most else 0
                yield Static("\u2588" * cells or "\u258f", classes="bar")
            if row.feedback and row.hands and not row.right and not row.picked:
                yield LearnerText(row.feedback, classes="why")
        if row.hands is not None:
            yield Digits(str(row.hands), classes="count")


class Tally(Widget):
    """The rows of the answered question; empty (and hidden) while a question is asked."""

    rows: reactive[tuple[TallyRow, ...]] = reactive((), recompose=True)

    def __init__(self, right: str, picked: str, *, id: str | None = None):
        super().__init__(id=id)
        self.marks = (right, picked)

    def compose(self) -> ComposeResult:
        most = max((r.hands or 0 for r in self.rows), default=0)
        for row in self.rows:
            yield TallyLine(row, most, *self.marks)

    def watch_rows(self, rows: tuple[TallyRow, ...]) -> None:
        self.set_class(not rows, "-empty")
