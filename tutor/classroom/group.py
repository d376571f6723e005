"""`tutor group LESSON`: one screen (a projector or a TV) plays a lesson for the whole room.

The screen shows the question as large as the terminal allows (one choice per row, each
numbered with `Digits`), the speaker says it to the room, and the mentor answers for the
room with keys: the number most hands went up for, or `c` and the count of hands for each
choice. Then the tally and the feedback stay on screen, said aloud, until the mentor goes
on (space) or takes the answer back (`b`, a wrong number pressed). At the end the room's
summary names the questions the room found hard. Learners with their own device follow the
same lesson there: the lesson's name and id stay at the top of the screen.

The logic is `RoomSession` (room.py) around the learner's lesson runner; this module only
shows, says and writes. Tests build `GroupApp` with a fake speaker, as the app tests do.
"""

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input

from tutor.classroom.room import (
    MOST_HANDS,
    RoomSession,
    in_language,
    most_hands,
    room_id,
    said_first,
)
from tutor.classroom.tally import Tally
from tutor.progress import events as ev
from tutor.session.turns import Prompt, Turn
from tutor.ui.app import CONTRAST, NORMAL
from tutor.ui.context import LearnerContext
from tutor.ui.widgets.choices import ChoiceBlock, ChoiceGrid
from tutor.ui.widgets.header import StepHeader
from tutor.ui.widgets.learner_text import LearnerText

if TYPE_CHECKING:
    from tutor.speech.speaker import Speaker

SpeakerFactory = Callable[[], "Speaker"]
Record = Callable[[dict[str, Any]], None]

FAREWELL_WAIT = 10.0
"""Longest wait, after the screen closed, for the last sentence to be said."""
SLOWER_STEP = 25
"""Words per minute taken off each time the mentor asks for slower speech."""


class GroupScreen(Screen[None]):
    """The lesson for the room: opening card, questions, results, the room's summary."""

    def __init__(self, session: RoomSession, lesson_key: str):
        super().__init__()
        self.session, self.lesson_key = session, lesson_key
        self.phase = "opening"
        self.prompt: Prompt | None = None
        self.pending: dict[str, int] = {}
        self._quitting = False

    @property
    def room(self) -> "GroupApp":
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        t = self.room.text
        yield StepHeader(id="header")
        yield LearnerText(self._banner(), id="banner")
        with VerticalScroll(id="main"):
            yield LearnerText(id="said")
            yield LearnerText(id="body", spaced=True)
            yield ChoiceGrid(id="choices")
            yield Tally(t("classroom.tally.right"), t("classroom.tally.picked"), id="tally")
        yield Input(id="hands", restrict=r"[0-9 ]*", placeholder=t("classroom.hands_placeholder"))
        yield LearnerText(id="notice")
        yield LearnerText(id="keys")

    def on_mount(self) -> None:
        self.query_one("#hands", Input).display = False
        self.watch(self.app, "text_size", self._text_size_changed)
        t = self.room.text
        title = self._title()
        self.query_one(StepHeader).show(title, "", 0, 0)
        self._fill(body=t("classroom.opening", title=title, lesson=self.lesson_key))
        self._keys("classroom.keys.opening")
        self.room.speak([t("classroom.opening_said", title=title)])

    # Showing -------------------------------------------------------------------------

    def take(self, turn: Turn) -> None:
        """The runner's next prompt, or the room's summary once the lesson is over."""
        if self.session.done:
            self._summary()
            return
        self.phase, self.prompt = "question", turn.prompt
        prompt, t = turn.prompt, self.room.text
        where = t("screen.step", step=prompt.step + 1, steps=prompt.steps)
        self.query_one(StepHeader).show(prompt.title, where, prompt.step, prompt.steps)
        said = "\n".join(said_first(prompt, t))
        self._fill(said=said, body=prompt.body, choices=prompt.choices)
        self._keys("classroom.keys.choose" if self.session.asking else "classroom.keys.step")
        self.room.speak(prompt.lines)

    def _result(self) -> None:
        result = self.session.result
        assert result is not None
        self.phase = "result"
        t = self.room.text
        label = next((r.label for r in self.session.tally() if r.picked), result.choice)
        chose = t("classroom.room_chose", number=result.choice, answer=label)
        body = self.prompt.body if self.prompt else ""
        self._fill(said="\n".join(result.feedback), body=body, tally=self.session.tally())
        self._keys("classroom.keys.result")
        self.room.speak([chose, *result.feedback])

    def _summary(self) -> None:
        self.phase = "summary"
        prompt = self.session.summary(self.room.text)
        self.prompt = prompt
        self.query_one(StepHeader).show(prompt.title, "", 0, 0)
        self._fill(body=prompt.body)
        self._keys("classroom.keys.summary")
        self.room.speak(prompt.lines)

    def _fill(
        self,
        said: str = "",
        body: str = "",
        choices: tuple[tuple[str, str], ...] = (),
        tally: tuple = (),
    ) -> None:
        self.query_one("#said", LearnerText).text = said
        self.query_one("#body", LearnerText).text = body
        self.query_one(ChoiceGrid).show(choices)
        self.query_one(Tally).rows = tally
        self._notice("")

    def _keys(self, key: str) -> None:
        self.query_one("#keys", LearnerText).text = self.room.text(key)

    def _notice(self, line: str) -> None:
        self.query_one("#notice", LearnerText).text = line

    def _title(self) -> str:
        return in_language(self.session.runner.lesson.title, self.session.language)

    def _banner(self) -> str:
        return self.room.text("classroom.banner", title=self._title(), lesson=self.lesson_key)

    def _text_size_changed(self, size: str) -> None:
        for name in ("normal", "large", "huge"):
            self.set_class(size == name, f"-size-{name}")

    # The mentor's keys ---------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        hands = self.query_one("#hands", Input)
        if hands.display:
            if event.key == "escape":
                event.stop()
                self._close_hands()
            return
        event.stop()
        key, character = event.key, event.character or ""
        if key == "q":
            self._quit()
            return
        self._quitting = False
        if key == "t":
            self.room.toggle_contrast()
        elif character in ("+", "="):
            self.room.change_text_size(1)
        elif character in ("-", "_"):
            self.room.change_text_size(-1)
        elif self.phase == "opening" and key in ("space", "enter"):
            self.take(self.session.begin())
        elif self.phase == "question":
            self._question_key(key, character)
        elif self.phase == "result":
            self._result_key(key)
        elif self.phase == "summary" and key in ("space", "enter"):
            self.app.exit(0)

    def _question_key(self, key: str, character: str) -> None:
        if character.isdigit():
            self._answer(character)
        elif key == "c" and self.session.asking:
            self._open_hands()
        elif key in ("space", "enter", "b", "r", "s"):
            intent = {"b": "back", "r": "repeat", "s": "slower"}.get(key, "next")
            self.room.hush()
            if intent == "slower":
                self.room.slow_down()
            self.pending = {}
            self.take(self.session.command(intent))

    def _result_key(self, key: str) -> None:
        if key in ("space", "enter"):
            self.room.hush()
            record, turn = self.session.go_on()
            self.room.record(record)
            self.take(turn)
        elif key == "b":
            self.room.hush()
            self.take(self.session.take_back())
        elif key == "r":
            self.room.hush()
            self._result()

    @on(ChoiceBlock.Picked)
    def _clicked(self, event: ChoiceBlock.Picked) -> None:
        if self.phase == "question":
            self._answer(event.key)

    def _answer(self, key: str, hands: dict[str, int] | None = None) -> None:
        hands = hands or (self.pending if key in self.pending else None)
        if self.session.answer(key, hands) is None:
            return
        self.pending = {}
        self.room.hush()
        self._result()

    def _quit(self) -> None:
        """Asked twice: a stray `q` never ends the session for the whole room. An answer on
        screen stands: the room gave it, the mentor did not take it back."""
        if self._quitting or self.phase == "summary":
            if self.phase == "result":
                self.room.record(self.session.go_on()[0])
            self.app.exit(0)
            return
        self._quitting = True
        self._notice(self.room.text("classroom.quit_again"))

    # Counting hands ------------------------------------------------------------------

    def _open_hands(self) -> None:
        hands = self.query_one("#hands", Input)
        hands.value = ""
        hands.display = True
        hands.focus()
        count = len(self.session.keys())
        self._notice(self.room.text("classroom.hands_how", count=count))

    def _close_hands(self) -> None:
        hands = self.query_one("#hands", Input)
        hands.display = False
        self.set_focus(None)
        self._notice("")

    @on(Input.Submitted, "#hands")
    def _counted(self, event: Input.Submitted) -> None:
        event.stop()
        keys = self.session.keys()
        counts, problem = parse_hands(event.value, len(keys))
        if problem:
            self._notice(self.room.text(problem, count=len(keys), most=MOST_HANDS))
            return
        self._close_hands()
        hands = dict(zip(keys, counts, strict=False))
        hands.update({k: 0 for k in keys[len(counts) :]})
        leader = most_hands(hands)
        if leader is None:
            self.pending = hands
            self._notice(self.room.text("classroom.hands_tie"))
            return
        self._answer(leader, hands)


def parse_hands(typed: str, choices: int) -> tuple[list[int], str]:
    """Hands per choice as typed ("12 3 0"): the counts, or the catalog key of the problem."""
    parts = typed.split()
    if not parts or not all(p.isdigit() for p in parts):
        return [], "classroom.hands_empty"
    if len(parts) > choices:
        return [], "classroom.hands_too_many"
    counts = [int(p) for p in parts]
    if any(c > MOST_HANDS for c in counts):
        return [], "classroom.hands_too_big"
    if not any(counts):
        return [], "classroom.hands_none"
    return counts, ""


class GroupApp(App[int]):
    CSS_PATH = Path(__file__).with_name("group.tcss")
    ENABLE_COMMAND_PALETTE = False

    text_size: reactive[str] = reactive("huge")

    def __init__(
        self,
        session: RoomSession,
        text: Callable[..., str],
        lesson_key: str,
        *,
        speaker: SpeakerFactory,
        record: Record,
        contrast: bool = False,
    ):
        super().__init__()
        self.session, self.text, self.lesson_key = session, text, lesson_key
        self.record = record
        self._make_speaker = speaker
        self._speaker: Speaker | None = None
        self._contrast = contrast

    def on_mount(self) -> None:
        self.register_theme(NORMAL)
        self.register_theme(CONTRAST)
        self.theme = CONTRAST.name if self._contrast else NORMAL.name
        self.push_screen(GroupScreen(self.session, self.lesson_key))

    @property
    def speaker(self) -> "Speaker":
        if self._speaker is None:
            self._speaker = self._make_speaker()
        return self._speaker

    def speak(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.speaker.say(line)

    def hush(self) -> None:
        if self._speaker is not None:
            self._speaker.stop()

    def slow_down(self) -> None:
        from tutor.speech.speaker import clamp_rate

        self.speaker.set_rate(clamp_rate(self.speaker.rate - SLOWER_STEP))

    def toggle_contrast(self) -> None:
        self.theme = NORMAL.name if self.theme == CONTRAST.name else CONTRAST.name

    def watch_theme(self, theme: str) -> None:
        self.set_class(theme == CONTRAST.name, "-contrast")

    def change_text_size(self, step: int) -> None:
        sizes = ("normal", "large", "huge")
        at = sizes.index(self.text_size)
        self.text_size = sizes[max(0, min(len(sizes) - 1, at + step))]

    def notify_line(self, message: str) -> None:
        """Why speech does not work here, once, on the screen the mentor watches."""
        if threading.current_thread() is not threading.main_thread():
            if self.is_running:
                self.call_from_thread(self.notify_line, message)
            return
        screen = self.screen
        if isinstance(screen, GroupScreen):
            screen.query_one("#notice", LearnerText).text = message

    def close_speech(self, wait: float) -> None:
        if self._speaker is not None:
            deadline = time.monotonic() + wait
            self._speaker.wait(max(0.0, deadline - time.monotonic()))
            self._speaker.close()
            self._speaker = None


def make_app(
    ctx: LearnerContext,
    lesson_key: str,
    voice: str,
    speaker: Callable[[str], "Speaker"] | None = None,
) -> GroupApp:
    """The group screen for `lesson_key` in `voice`'s language, writing to this device's log."""
    language = ctx.profiles[voice].language
    catalog = ctx.catalog(language)
    session = RoomSession(ctx.runner(lesson_key, language))
    log = ctx.log
    room = room_id(log.device)

    def record(data: dict[str, Any]) -> None:
        log.append(room, ev.GROUP_ANSWERED, data)

    def tts() -> "Speaker":
        from tutor.speech.speaker import TtsSpeaker

        return TtsSpeaker(ctx.profiles[voice], catalog, show=_shown, warn=app.notify_line)

    def given() -> "Speaker":
        assert speaker is not None
        return speaker(voice)

    app = GroupApp(
        session, catalog.text, lesson_key, speaker=given if speaker else tts, record=record
    )
    return app


def _shown(text: str) -> None:
    """Every sentence is on the screen already: a speaker that cannot speak adds nothing."""


def run(ctx: LearnerContext, lesson_key: str, voice: str) -> int:
    """`tutor group` on a terminal: returns the exit status."""
    app = make_app(ctx, lesson_key, voice)
    try:
        status = app.run()
    finally:
        app.close_speech(FAREWELL_WAIT)
        ctx.close()
    return status or 0
