"""Whether the tutor is listening, how loud the microphone hears the learner, and what it
has understood so far; with the keyboard instead, which keys answer."""

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widget import Widget

from tutor.ui.widgets.learner_text import LearnerText

BAR_CELLS = 10


class LevelBar(Widget):
    """The input level as a bar, so a learner sees that the microphone hears them."""

    DEFAULT_CSS = "LevelBar { width: 12; height: 1; }"

    level: reactive[float] = reactive(0.0)

    def render(self) -> Text:
        filled = round(max(0.0, min(1.0, self.level)) * BAR_CELLS)
        return Text("[" + "#" * filled + "." * (BAR_CELLS - filled) + "]")


class ListeningIndicator(Horizontal):
    """`voice`: listening, with level and partial transcript; `keys`: the keys hint."""

    DEFAULT_CSS = """
    ListeningIndicator { height: auto; }
    ListeningIndicator > #listening-label { width: auto; padding-right: 1; }
    ListeningIndicator.-keys > #listening-label { width: 1fr; }
    ListeningIndicator.-keys > LevelBar, ListeningIndicator.-keys > #partial { display: none; }
    """

    by_voice: reactive[bool] = reactive(False)
    level: reactive[float] = reactive(0.0)
    partial: reactive[str] = reactive("")

    def __init__(self, listening: str, keys: str, *, id: str | None = None):
        super().__init__(id=id)
        self._listening, self._keys = listening, keys

    def compose(self) -> ComposeResult:
        yield LearnerText(self._keys, id="listening-label")
        yield LevelBar()
        yield LearnerText(id="partial")

    def on_mount(self) -> None:
        self.watch_by_voice(self.by_voice)

    def watch_by_voice(self, by_voice: bool) -> None:
        self.set_class(not by_voice, "-keys")
        if self.is_mounted:
            label = self._listening if by_voice else self._keys
            self.query_one("#listening-label", LearnerText).text = label

    def watch_level(self, level: float) -> None:
        if self.is_mounted:
            self.query_one(LevelBar).level = level

    def watch_partial(self, partial: str) -> None:
        if self.is_mounted:
            self.query_one("#partial", LearnerText).text = partial
