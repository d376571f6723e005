"""Choices as big numbered blocks, at most four on screen at once.

The number is drawn with Textual's `Digits` (three rows high): the terminal fixes the font
size, so a number a learner can see from across the room has to be built from the layout.
A click or a tap on a block picks it; arrows move a highlight that Enter picks. More than
four choices (the language menu) are shown a page at a time; their number keys work on
every page.

Uyghur is read from the right, so a page of Uyghur choices is mirrored: the first choice is
the block on the right, and each block's number stands to the right of its text, where a
reader starts. A page that mixes languages (the language menu) keeps the usual order.
"""

from textual.app import ComposeResult
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Digits

from tutor.ui.rtl import is_rtl
from tutor.ui.widgets.learner_text import LearnerText

PAGE = 4
COLUMNS = 2  # as #choices' grid-size in tutor.tcss (one column for a single choice)


class ChoiceBlock(Widget):
    """One numbered choice: its key drawn large, its text beside it."""

    class Picked(Message):
        """The learner clicked or tapped this choice."""

        def __init__(self, key: str):
            super().__init__()
            self.key = key

    highlighted: reactive[bool] = reactive(False)

    def __init__(self, key: str, label: str, *, rtl: bool = False, id: str | None = None):
        super().__init__(id=id, classes="-rtl" if rtl else None)
        self.key, self.label = key, label

    def compose(self) -> ComposeResult:
        number = Digits(self.key, classes="number")
        label = LearnerText(self.label, classes="label")
        if self.has_class("-rtl"):
            yield from (label, number)
        else:
            yield from (number, label)

    def watch_highlighted(self, highlighted: bool) -> None:
        self.set_class(highlighted, "-highlighted")

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.Picked(self.key))


class ChoiceGrid(Widget):
    """The current prompt's choices, a page of at most four at a time."""

    class Paged(Message):
        """The page changed, so the hint about more choices may change too."""

    choices: reactive[tuple[tuple[str, str], ...]] = reactive((), recompose=True)
    page: reactive[int] = reactive(0, recompose=True)
    highlighted: reactive[int | None] = reactive(None)

    def compose(self) -> ComposeResult:
        rtl = bool(self.visible) and all(is_rtl(label) for _, label in self.visible)
        blocks = [ChoiceBlock(key, label, rtl=rtl) for key, label in self.visible]
        if not rtl:
            yield from blocks
            return
        columns = 1 if len(blocks) == 1 else COLUMNS
        for start in range(0, len(blocks), columns):
            row = blocks[start : start + columns]
            if len(row) < columns:
                yield Widget(classes="gap")  # a last lone choice stands on the right
            yield from reversed(row)

    @property
    def visible(self) -> tuple[tuple[str, str], ...]:
        return self.choices[self.page * PAGE : (self.page + 1) * PAGE]

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.choices) // PAGE))

    def show(self, choices: tuple[tuple[str, str], ...]) -> None:
        if choices != self.choices:
            self.highlighted = None
            self.page = 0
            self.choices = choices
        self.set_class(not choices, "-empty")
        self.set_class(len(choices) == 1, "-single")

    def next_page(self) -> bool:
        """Show the next page (back to the first after the last); False when there is one."""
        if self.pages == 1:
            return False
        self.highlighted = None
        self.page = (self.page + 1) % self.pages
        self.post_message(self.Paged())
        return True

    def move(self, step: int) -> None:
        """Arrow keys: move the highlight through the visible choices."""
        count = len(self.visible)
        if not count:
            return
        self.highlighted = 0 if self.highlighted is None else (self.highlighted + step) % count

    def highlighted_key(self) -> str | None:
        if self.highlighted is None or self.highlighted >= len(self.visible):
            return None
        return self.visible[self.highlighted][0]

    def watch_highlighted(self, highlighted: int | None) -> None:
        key = self.highlighted_key()
        for block in self.query(ChoiceBlock):
            block.highlighted = key is not None and block.key == key
