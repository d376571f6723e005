"""Text a learner reads: wrapped to the width it gets, Uyghur shaped and right to left.

Every widget that shows learner-facing text uses `LearnerText` (or `VisualText` inside its
own rendering), so `tutor.ui.rtl` is the one place that knows what a terminal needs.
"""

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import StyleType
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tutor.ui.rtl import visual_lines

LINE_GAPS = {"normal": 0, "large": 1, "huge": 1}
"""Blank lines between wrapped lines at each text size: the terminal fixes the font, so
"large" comes from room around the letters."""


class VisualText:
    """A Rich renderable that lays learner text out at whatever width Textual gives it."""

    def __init__(self, text: str, gap: int = 0, center: bool = False, style: StyleType = ""):
        self.text, self.gap, self.center, self.style = text, gap, center, style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for number, line in enumerate(visual_lines(self.text, options.max_width)):
            if number:
                for _ in range(self.gap):
                    yield Text("")
            justify = "center" if self.center else "right" if line.rtl else "left"
            yield Text(line.text, style=self.style, justify=justify, no_wrap=True, end="\n")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_len(p) for p in self.text.split("\n")), default=0)
        return Measurement(min(widest, 4), min(widest, options.max_width))


class LearnerText(Widget):
    """A paragraph (or several) of learner text; `spaced` ones open up at larger text sizes."""

    DEFAULT_CSS = """
    LearnerText { height: auto; width: 1fr; }
    LearnerText.-empty { display: none; }
    """

    text: reactive[str] = reactive("", layout=True)
    gap: reactive[int] = reactive(0, layout=True)

    def __init__(
        self,
        text: str = "",
        *,
        spaced: bool = False,
        center: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ):
        super().__init__(id=id, classes=classes)
        self.spaced, self.center = spaced, center
        self.set_reactive(LearnerText.text, text)
        self.set_class(not text, "-empty")

    def on_mount(self) -> None:
        if self.spaced and hasattr(self.app, "text_size"):
            self.watch(self.app, "text_size", self._text_size_changed)

    def _text_size_changed(self, size: str) -> None:
        self.gap = LINE_GAPS.get(size, 0)

    def watch_text(self, text: str) -> None:
        self.set_class(not text, "-empty")

    def render(self) -> VisualText:
        return VisualText(self.text, self.gap, self.center)
