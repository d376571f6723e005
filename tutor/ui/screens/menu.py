"""Menus: which language, which learner, what to learn now. Each returns the chosen key.

The prompts come from `tutor.session.menus`, shared with the voice-only mode. A menu
answers the global intents it can: `next` shows the next page of choices, `repeat` and
`slower` say it again, `help` calls the mentor, `quit` asks first, `back` leaves a menu below
home; the rest do nothing.
"""

from collections.abc import Sequence
from dataclasses import replace

from textual import on, work

from tutor.session.turns import Prompt
from tutor.ui.screens.confirm import ConfirmScreen
from tutor.ui.screens.prompt import Answered, PromptScreen
from tutor.ui.widgets.choices import ChoiceGrid

BACK = "back"
"""What a menu below home is dismissed with when the learner goes back (never a key)."""


class MenuScreen(PromptScreen[str | None]):
    """Shows a menu prompt; dismissed with the chosen key, or None when the learner quits.
    A menu below home (`can_go_back`) is dismissed with `BACK` on "back" or "home"."""

    def __init__(self, prompt: Prompt, name: str, can_go_back: bool = False):
        super().__init__()
        self.menu, self.menu_name = prompt, name
        self.can_go_back = can_go_back

    def on_mount(self) -> None:
        super().on_mount()
        self.add_class(f"-{self.menu_name}")
        self.show(self.menu)

    @on(Answered)
    def _answered(self, event: Answered) -> None:
        decision, text = event.answer.decision, self.tutor.text
        intent = decision.intent if decision.decision == "accept" else None
        if decision.decision != "accept":
            self.say([text("session.not_heard")])
            self.listen()
        elif intent == "choice" and decision.key:
            self.dismiss(decision.key)
        elif intent in ("back", "home") and self.can_go_back:
            self.dismiss(BACK)
        elif intent == "next":
            self.query_one(ChoiceGrid).next_page()
            self.listen()
        elif intent in ("repeat", "slower"):
            if intent == "slower":
                self.tutor.slow_down()
            self.show(self.menu)
        elif intent == "help":
            self.tutor.ask_for_help()
            self.say([text("session.help")])
            self.listen()
        elif intent == "quit":
            self._ask_quit()
        else:
            self.listen()

    @work
    async def _ask_quit(self) -> None:
        if await self.app.push_screen_wait(ConfirmScreen(self.tutor.text("session.quit_confirm"))):
            self.dismiss(None)
        else:
            self.show(self.menu)


class LanguageScreen(MenuScreen):
    """First run: each option is said in its own language and voice, and each block shows
    the sentence that names it ("普通话请按3"), since nobody knows yet what the learner reads."""

    def __init__(self, prompt: Prompt, voices: Sequence[str]):
        super().__init__(prompt, "language")
        self.voices = list(voices)

    def blocks(self, prompt: Prompt) -> tuple[tuple[str, str], ...]:
        pairs = zip(prompt.choices, prompt.lines, strict=True)
        return tuple((key, line) for (key, _), line in pairs)

    def said_first(self, prompt: Prompt) -> list[str]:
        return []

    def show(self, prompt: Prompt) -> None:
        super().show(replace(prompt, body=""))

    def say(self, lines: tuple[str, ...] | list[str]) -> None:
        if len(lines) == len(self.voices):
            self.tutor.speak_in_voices(list(zip(self.voices, lines, strict=True)))
        else:
            self.tutor.speak(lines)
