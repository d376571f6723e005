"""A drill's live numbers (viewers, trust, sales...) as large gauges across the screen.

Each gauge is its name and value, then a bar filled as far as the value is from its minimum
to its maximum, so a learner sees at a glance that viewers are leaving without reading a
number. Between the two the value is drawn large with `Digits`, where the screen is tall
enough to keep the choices in view too (the screen's `-short` class hides it). Values change
in place from one prompt to the next, so the gauges do not flicker while the scene goes on.
"""

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Digits

from tutor.ui.widgets.learner_text import LearnerText

Reading = tuple[str, int, int, int]
"""(label, value, minimum, maximum), as a prompt carries it."""

FULL, EMPTY = "█", "░"


class Bar(Widget):
    """How full a gauge is, across the whole width it gets."""

    DEFAULT_CSS = "Bar { height: 1; }"

    share: reactive[float] = reactive(0.0)

    def render(self) -> Text:
        width = self.size.width
        share = max(0.0, min(1.0, self.share))
        filled = round(share * width)
        # A bar that is not empty shows at least one cell, so "a few" is not read as "none".
        filled = max(filled, 1) if share > 0 else filled
        return Text(FULL * filled + EMPTY * (width - filled))


class Gauge(Vertical):
    """One number of the scene: its name and value, the value large, and a bar."""

    DEFAULT_CSS = """
    Gauge { width: 1fr; height: auto; padding: 0 1; }
    Gauge > .label { text-style: bold; }
    Gauge > Digits { text-align: center; }
    """

    def __init__(self, reading: Reading):
        super().__init__()
        self.reading = reading

    def compose(self) -> ComposeResult:
        yield LearnerText(classes="label")
        yield Digits()
        yield Bar()

    def on_mount(self) -> None:
        self.read(self.reading)

    def read(self, reading: Reading) -> None:
        self.reading = reading
        if not self.children:  # not composed yet: mounting reads it
            return
        label, value, low, high = reading
        self.query_one(LearnerText).text = f"{label} {value}"
        self.query_one(Digits).update(str(value))
        self.query_one(Bar).share = (value - low) / (high - low) if high > low else 0.0


class Gauges(Horizontal):
    """The prompt's gauges side by side; hidden when the prompt has none."""

    DEFAULT_CSS = "Gauges { height: auto; } Gauges.-empty { display: none; }"

    def show(self, readings: tuple[Reading, ...]) -> None:
        self.set_class(not readings, "-empty")
        if not readings:
            return
        gauges = list(self.query(Gauge))
        if [r[0] for r in readings] == [g.reading[0] for g in gauges]:
            for gauge, reading in zip(gauges, readings, strict=True):
                gauge.read(reading)
            return
        self.remove_children()
        self.mount_all(Gauge(reading) for reading in readings)
