"""One prompt on screen, and every way a learner can answer it.

Menus, lessons and the yes/no question all show a `Prompt` the same way (body large, at most
four numbered blocks, what was said, whether the tutor listens) and turn number keys, the
command keys, clicks, arrows and speech into one `Answered` message. What an answer does is
the subclass's business. A key pressed again within `DEBOUNCE_SECONDS` (a held key, a hand
that shakes) counts once, and a key that means nothing here does nothing.

A practice step can also be answered by typing: its answer box takes every letter, except
that while it is still empty the command keys keep their meaning (an input method sends
Chinese, Korean and Uyghur as their own letters, so "h" alone is the learner asking for
help). Enter hands the typed answer in; Backspace takes a letter back, Escape all of them.
"""

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen

from tutor.session.turns import Prompt
from tutor.ui.voice_input import VoiceHeard, VoiceLost, VoicePartial
from tutor.ui.widgets.answer_box import AnswerBox
from tutor.ui.widgets.choices import ChoiceBlock, ChoiceGrid
from tutor.ui.widgets.gauges import Gauges
from tutor.ui.widgets.header import StepHeader
from tutor.ui.widgets.learner_text import LearnerText
from tutor.ui.widgets.listening import ListeningIndicator
from tutor.understand.engine import Decision

if TYPE_CHECKING:
    from tutor.ui.app import TutorApp

Result = TypeVar("Result")

KEY_INTENTS = {
    "space": "next",
    "enter": "next",
    "r": "repeat",
    "b": "back",
    "h": "help",
    "p": "pause",
    "s": "slower",
    "q": "quit",
}
"""Command keys: the same intents a learner can say."""

YES_NO_KINDS = ("confirm", "quit")
"""Prompts answered with yes (1) or no (2)."""

COMMAND_CHARACTERS = frozenset(" +=-_") | {key for key in KEY_INTENTS if len(key) == 1}
"""Keys that stay commands on a practice step until the learner has typed something."""

TALL = 32
"""Rows from which a screen has room for large extras beside the choices."""

TYPED = Decision("accept", None, None, 1.0)
"""What a typed answer is: the answer itself, never a command (commands are keys)."""


@dataclass(frozen=True)
class Answer:
    decision: Decision
    said: str
    via: str
    seconds: float


class Answered(Message):
    """The learner answered the prompt on screen, by key, click or voice."""

    def __init__(self, answer: Answer):
        super().__init__()
        self.answer = answer


def accept(intent: str, key: str | None = None) -> Decision:
    """A sure decision: what a key or a click means is never in doubt."""
    return Decision("accept", intent, key, 1.0)


class PromptScreen(Screen[Result]):
    """Shows prompts and posts `Answered`; subclasses decide what an answer does."""

    def __init__(self) -> None:
        super().__init__()
        self.prompt: Prompt | None = None
        self._generation = 0
        self._shown_at = time.monotonic()

    @property
    def tutor(self) -> "TutorApp":
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        text = self.tutor.text
        yield StepHeader(id="header")
        yield Gauges(id="gauges")
        with VerticalScroll(id="main"):
            yield LearnerText(id="said")
            yield LearnerText(id="body", spaced=True)
            yield LearnerText(id="hint")
            yield AnswerBox(text("screen.type_here"), id="typed")
            with Vertical(id="answers"):
                yield ChoiceGrid(id="choices")
                yield LearnerText(id="more")
        yield LearnerText(id="notice")
        yield ListeningIndicator(text("screen.listening"), text("screen.keys"), id="listening")

    def on_mount(self) -> None:
        self._fit(self.app.size.height)
        self.watch(self.app, "notice", self._notice_changed)
        self.watch(self.app, "by_voice", self._by_voice_changed)
        self.watch(self.app, "text_size", self._text_size_changed)

    # Showing -------------------------------------------------------------------------

    def show(self, prompt: Prompt) -> None:
        """Show `prompt`, say its lines, and listen for the answer."""
        self._show_answer_box(self.prompt, prompt)
        self.prompt = prompt
        self._shown_at = time.monotonic()
        step_words = self.tutor.text("screen.step", step=prompt.step + 1, steps=prompt.steps)
        self.query_one(StepHeader).show(prompt.title, step_words, prompt.step, prompt.steps)
        self.query_one("#said", LearnerText).text = "\n".join(self.said_first(prompt))
        self.query_one(Gauges).show(prompt.gauges)
        self.query_one("#body", LearnerText).text = self.body(prompt)
        self.query_one("#hint", LearnerText).text = prompt.hint
        grid = self.query_one(ChoiceGrid)
        grid.show(self.blocks(prompt))
        self._show_more()
        self.query_one("#main", VerticalScroll).scroll_home(animate=False)
        # Said and listened for once it is on screen: the speech engine starts on the first
        # sentence, and the first prompt must not wait for it.
        self.call_after_refresh(self.say, prompt.lines)
        self.call_after_refresh(self.listen)

    def _show_answer_box(self, before: Prompt | None, prompt: Prompt) -> None:
        """On a practice step only. What was typed stays while the same step is asked again
        (after "think again" the learner adds to it) and goes when the step changes."""
        box = self.query_one(AnswerBox)
        same = before is not None and (before.title, before.step) == (prompt.title, prompt.step)
        if prompt.kind != "practice" or not same:
            box.value = ""
        box.display = prompt.kind == "practice"

    def body(self, prompt: Prompt) -> str:
        """The prompt's text without its options: the blocks show them."""
        options = self._option_lines(prompt)
        return "\n".join(line for line in prompt.body.split("\n") if line not in options)

    def _option_lines(self, prompt: Prompt) -> set[str]:
        return {self.tutor.text("session.option", number=k, text=v) for k, v in prompt.choices}

    def said_first(self, prompt: Prompt) -> list[str]:
        """What is said before the prompt itself (feedback, "say it again"): shown above the
        body while it is said. Option lines are left out: the blocks show them."""
        shown = set(prompt.body.split("\n")) | self._option_lines(prompt)
        return [line for line in prompt.lines if line not in shown]

    def blocks(self, prompt: Prompt) -> tuple[tuple[str, str], ...]:
        """The numbered blocks: the prompt's choices, or yes (1) and no (2)."""
        if prompt.kind in YES_NO_KINDS:
            text = self.tutor.text
            return (("1", text("session.intent.yes")), ("2", text("session.intent.no")))
        return prompt.choices

    def say(self, lines: tuple[str, ...] | list[str]) -> None:
        self.tutor.speak(lines)

    def listen(self) -> None:
        """Ask the voice loop for an answer to the prompt on screen. Asked once per prompt:
        asking again while an answer is on its way would throw that answer away."""
        voice = self.tutor.voice_input
        if voice is not None and self.prompt is not None and self.is_current:
            self._generation = voice.expect(self, self.prompt.expect)

    def _show_more(self) -> None:
        grid = self.query_one(ChoiceGrid)
        more = ""
        if grid.pages > 1:
            more = self.tutor.text("screen.more", page=grid.page + 1, pages=grid.pages)
        self.query_one("#more", LearnerText).text = more

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.height)

    def _fit(self, height: int) -> None:
        """On a short terminal the large extras (a drill's big numbers) give way, so the
        question and its choices stay in view."""
        self.set_class(height < TALL, "-short")

    def _notice_changed(self, notice: str) -> None:
        self.query_one("#notice", LearnerText).text = notice

    def _by_voice_changed(self, by_voice: bool) -> None:
        self.query_one(ListeningIndicator).by_voice = by_voice

    def _text_size_changed(self, size: str) -> None:
        for name in ("normal", "large", "huge"):
            self.set_class(size == name, f"-size-{name}")

    # Answering -----------------------------------------------------------------------

    def answer(self, decision: Decision, said: str = "", via: str = "key") -> None:
        """Stop talking (the learner has answered) and hand the answer on."""
        self.tutor.hush()
        seconds = time.monotonic() - self._shown_at
        self.post_message(Answered(Answer(decision, said, via, seconds)))

    def on_key(self, event: events.Key) -> None:
        event.stop()
        if self.prompt is None or self._typed(event) or self.tutor.debounced(event.key):
            return
        character = event.character or ""
        grid = self.query_one(ChoiceGrid)
        if self.special_key(character):
            return
        if event.key == "t":
            self.tutor.toggle_contrast()
        elif character in ("+", "="):
            self.tutor.change_text_size(1)
        elif character in ("-", "_"):
            self.tutor.change_text_size(-1)
        elif event.key == "pageup":
            self.query_one("#main", VerticalScroll).scroll_page_up()
        elif event.key == "pagedown":
            self.query_one("#main", VerticalScroll).scroll_page_down()
        elif event.key in ("up", "left", "down", "right"):
            grid.move(-1 if event.key in ("up", "left") else 1)
        elif event.key == "enter" and grid.highlighted_key() is not None:
            self._pick(grid.highlighted_key() or "")
        elif character.isdigit():
            self._pick(character)
        elif self.prompt.kind == "scan":
            self.answer(accept("yes"), said=character)
        elif event.key in KEY_INTENTS:
            self.answer(accept(KEY_INTENTS[event.key]), said=character)

    def special_key(self, character: str) -> bool:
        """A key only this kind of screen knows: True when it took it."""
        return False

    def _typed(self, event: events.Key) -> bool:
        """A key for the answer box, if one is shown: True when it took the key. Letters
        are not debounced: "谢谢" is typed with the same key twice."""
        box = self.query_one(AnswerBox)
        if not box.display:
            return False
        character = event.character or ""
        if event.key == "enter" and box.value.strip():
            self.answer(TYPED, said=box.value.strip())
        elif event.key == "backspace":
            box.erase()
        elif event.key == "escape" and box.value:
            box.value = ""
        elif (
            event.is_printable and character and (box.value or character not in COMMAND_CHARACTERS)
        ):
            box.type(character)
        else:
            return False
        return True

    def on_paste(self, event: events.Paste) -> None:
        """Text from an input method or the clipboard goes into the answer box, if shown."""
        event.stop()
        box = self.query_one(AnswerBox)
        if box.display and self.prompt is not None:
            box.type(event.text)

    @on(ChoiceBlock.Picked)
    def _clicked(self, event: ChoiceBlock.Picked) -> None:
        if self.prompt is not None and self.prompt.kind == "scan":
            self.answer(accept("yes"), said=event.key)
        else:
            self._pick(event.key)

    def _pick(self, key: str) -> None:
        """A number: yes or no on a yes/no question, else the choice with that key, if any."""
        assert self.prompt is not None
        if self.prompt.kind in YES_NO_KINDS:
            if key in ("1", "2"):
                self.answer(accept("yes" if key == "1" else "no"), said=key)
            return
        keys = {o.key for o in self.prompt.expect.choices} | {k for k, _ in self.prompt.choices}
        if key in keys:
            self.answer(accept("choice", key), said=key)

    @on(ChoiceGrid.Paged)
    def _paged(self) -> None:
        self._show_more()

    # Voice ---------------------------------------------------------------------------

    @on(VoicePartial)
    def _partial(self, event: VoicePartial) -> None:
        indicator = self.query_one(ListeningIndicator)
        indicator.level, indicator.partial = event.level, event.text

    @on(VoiceHeard)
    def _heard(self, event: VoiceHeard) -> None:
        if event.generation != self._generation or self.prompt is None:
            return
        indicator = self.query_one(ListeningIndicator)
        indicator.level, indicator.partial = 0.0, ""
        if event.heard is None:
            self.silence()
            return
        decision = self.tutor.understand(event.heard, self.prompt.expect)
        heard = event.heard
        said = (heard.free_text or heard.text) if self.prompt.kind == "practice" else heard.text
        self.answer(decision, said=said, via="voice")

    @on(VoiceLost)
    def _voice_lost(self) -> None:
        self.tutor.voice_lost()

    def silence(self) -> None:
        """Nothing was said before the timeout: ask again, gently."""
        self.say([self.tutor.text("session.silence")])
        self.listen()
