"""The large-print learner app (`tutor`, `tutor learn`): who is learning, then home and lessons.

The app is wiring around the shared pieces: the menus and the lesson runner decide what is
asked, the screens show it, the speaker says it and the voice loop (or the keyboard) answers.
Its flow is one worker that reads like the voice-only mode: ask the language on first run and
enrol, or pick the learner; then home, a lesson, home again, until the learner quits.

Speech never blocks the screen: speakers queue sentences in their own threads, and listening
runs in a thread worker. Tests build `TutorApp` with fake speakers and listeners (the hardware
edge); everything else is real.
"""

import io
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.reactive import reactive
from textual.theme import Theme

from tutor.progress import events as ev
from tutor.progress.helpline import Helpline, Reply
from tutor.session.menus import (
    HomeItem,
    drill_prompt,
    home_items,
    home_prompt,
    language_prompt,
    learner_prompt,
    where_to_resume,
)
from tutor.speech.listener import Heard, Listener
from tutor.ui.context import LearnerContext
from tutor.ui.screens.lesson import DrillScreen, LessonScreen
from tutor.ui.screens.menu import BACK, LanguageScreen, MenuScreen
from tutor.ui.screens.prompt import PromptScreen
from tutor.ui.voice_input import VoiceInput
from tutor.understand.engine import Decision
from tutor.understand.expectation import Expectation

if TYPE_CHECKING:  # the speech engine's modules load after the first prompt is on screen
    from tutor.speech.speaker import Speaker

Notify = Callable[[str], None]
SpeakerFactory = Callable[[str], "Speaker"]
"""A speaker for a voice profile id."""
ListenerFactory = Callable[[str, Notify], Listener | None]
"""A listener for a voice profile id, or None when the learner answers by keys; it calls
notify (in the learner's language) to say why it fell back to the keys."""

TEXT_SIZES = ("normal", "large", "huge")
DEBOUNCE_SECONDS = 0.3
"""The same key again within this time is a held key or a shaking hand: it counts once."""
SLOWER_STEP = 25
"""Words per minute taken off each time a learner asks for slower speech."""
SAYING_WAIT = 60.0
"""Longest wait for one sentence of the language question before the next voice speaks."""
FAREWELL_WAIT = 10.0
"""Longest wait, after the screen closed, for the goodbye to be said."""

NORMAL = Theme(
    name="tutor-normal",
    primary="#1d4f91",
    secondary="#2e6b3a",
    accent="#8a3b00",
    warning="#8a5a00",
    error="#a01c1c",
    success="#2e6b3a",
    foreground="#1a1a1a",
    background="#f6f1e7",
    surface="#ece4d4",
    panel="#e2d7c2",
    dark=False,
)
"""Dark print on warm paper: calm for most eyes."""

CONTRAST = Theme(
    name="tutor-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#00ffff",
    warning="#ffff00",
    error="#ff5555",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#000000",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
)
"""White and yellow on black, no shades between: for weak eyes and glare on old screens.
Textual ships no high-contrast theme."""

THEMES = {"normal": NORMAL, "contrast": CONTRAST}
"""The learner's `theme` setting, as the log keeps it, and the theme it names."""


STARTED_BY_MENTOR = "started_by_mentor"
ORDER_CHECK_S = 1.0
"""How often the home screen looks for a lesson or drill the mentor started (the helpline
asks the hub about once a second)."""


class TutorApp(App[int]):
    CSS_PATH = Path(__file__).with_name("tutor.tcss")
    ENABLE_COMMAND_PALETTE = False

    notice: reactive[str] = reactive("")
    by_voice: reactive[bool] = reactive(False)
    text_size: reactive[str] = reactive("large")

    def __init__(
        self,
        ctx: LearnerContext,
        voice: str | None = None,
        learner: str | None = None,
        lesson: str | None = None,
        *,
        speakers: SpeakerFactory | None = None,
        listeners: ListenerFactory | None = None,
        contrast: bool = False,
        debounce: float = DEBOUNCE_SECONDS,
    ):
        super().__init__()
        self.ctx = ctx
        self.requested = (voice, learner, lesson)
        self.learner = learner
        self.voice = voice or self._ui_voice()
        self.text = ctx.catalog(ctx.profiles[self.voice].language).text
        self.voice_input: VoiceInput | None = None
        self.debounce = debounce
        self._make_speaker = speakers or self._tts
        self._make_listener = listeners or self._microphone
        self._speakers: dict[str, Speaker] = {}
        self._last_key = ("", 0.0)
        self._hushed = threading.Event()
        self._making = threading.Lock()
        self._contrast = contrast
        self.learner_name: str | None = None
        self.helpline: Helpline | None = None

    @property
    def language(self) -> str:
        return self.ctx.profiles[self.voice].language

    # The flow --------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.register_theme(NORMAL)
        self.register_theme(CONTRAST)
        self.theme = CONTRAST.name if self._contrast else NORMAL.name
        self.helpline = Helpline.open(self.ctx.log.device, self._mentor_replied)
        if self.helpline.linked:
            self.set_interval(ORDER_CHECK_S, self._open_what_the_mentor_started)
        self._flow()

    @work(exclusive=True, group="flow")
    async def _flow(self) -> None:
        voice, learner, lesson = self.requested
        if learner is None:
            learner, voice = await self._who(voice)
            if learner is None:
                self.exit(0)
                return
        self._use(learner, voice or self._voice_of(learner))
        outcome = "home"
        if lesson is not None:
            outcome = await self._lesson(learner, lesson, self._resume_step(learner, lesson))
        while outcome != "quit":
            ordered = self.helpline.take_start(learner) if self.helpline else None
            if ordered in self.ctx.course.lessons:
                step = self._resume_step(learner, ordered)
                outcome = await self._lesson(learner, ordered, step)
                continue
            if ordered in self.ctx.course.drills:
                outcome = await self._drill(learner, ordered)
                continue
            item = await self._home(learner)
            if item is None:
                break
            if item.action == STARTED_BY_MENTOR:
                continue  # taken at the top of the loop
            if item.action == "drills":
                outcome = await self._drills(learner)
            else:
                mode = "review" if item.action == "review" else "learn"
                outcome = await self._lesson(learner, item.lesson, item.step, mode)
        self.exit(0)

    async def _lesson(self, learner: str, lesson: str, step: int, mode: str = "learn") -> str:
        runner = self.ctx.runner(lesson, self.language, step, mode)
        return await self.push_screen_wait(LessonScreen(runner, self.ctx.journal(learner)))

    async def _drills(self, learner: str) -> str:
        """The drill list, then the drill picked, to its end; `quit`, or `home` to go home."""
        drills = list(self.ctx.course.drills)
        prompt = drill_prompt(drills, self.ctx.course, self.language, self.text)
        key = await self.push_screen_wait(MenuScreen(prompt, "drills", can_go_back=True))
        if key is None:
            return "quit"
        if key == BACK:
            return "home"
        return await self._drill(learner, drills[int(key) - 1])

    async def _drill(self, learner: str, drill: str) -> str:
        runner = self.ctx.drill_runner(drill, self.language)
        return await self.push_screen_wait(DrillScreen(runner, self.ctx.journal(learner)))

    async def _who(self, voice: str | None) -> tuple[str | None, str | None]:
        """The learner: enrolled on first run (after the language), picked when several."""
        known = self.ctx.learners()
        if not known:
            self._use_voice(self.voice, announce=False)
            voice = voice or await self._ask_language()
            if voice is None:
                return None, None
            language = self.ctx.profiles[voice].language
            name = self.ctx.catalog(language).text("menu.new_learner")
            return self.ctx.enrol(name, language, voice), voice
        if len(known) == 1:
            return known[0][0], voice
        self._use_voice(voice or self.voice, announce=False)
        prompt = learner_prompt(known, self.text)
        key = await self.push_screen_wait(MenuScreen(prompt, "learner"))
        return (known[int(key) - 1][0] if key else None), voice

    async def _ask_language(self) -> str | None:
        voices = self.ctx.voice_choices()
        texts = {lang: self.ctx.catalog(lang).text for lang in {v.language for v in voices}}
        speaking = {}
        for choice in voices:  # one voice per language reads the options in that language
            speaking.setdefault(choice.language, choice.id)
        screen = LanguageScreen(
            language_prompt(voices, texts), [speaking[v.language] for v in voices]
        )
        key = await self.push_screen_wait(screen)
        return voices[int(key) - 1].id if key else None

    async def _home(self, learner: str) -> HomeItem | None:
        if self.helpline is not None:
            self.helpline.where(learner, self.learner_name)
        review = self.ctx.lesson_to_review(learner)
        items = home_items(self.ctx.learner(learner), self.ctx.course, drills=True, review=review)
        prompt = home_prompt(items, self.ctx.course, self.language, self.text)
        key = await self.push_screen_wait(MenuScreen(prompt, "home"))
        if key == STARTED_BY_MENTOR:
            return HomeItem(STARTED_BY_MENTOR)
        return items[int(key) - 1] if key is not None else None

    def _open_what_the_mentor_started(self) -> None:
        """A learner waiting at home need not pick anything: what the mentor started opens."""
        screen = self.screen
        at_home = isinstance(screen, MenuScreen) and screen.menu_name == "home"
        if at_home and self.learner and self.helpline and self.helpline.has_start(self.learner):
            screen.dismiss(STARTED_BY_MENTOR)

    def _resume_step(self, learner: str, lesson: str) -> int:
        resume = where_to_resume(self.ctx.learner(learner), self.ctx.course)
        return resume[1] if resume and resume[0] == lesson else 0

    def _ui_voice(self) -> str:
        from tutor.content.strings import ui_language

        choices = self.ctx.voice_choices()
        language = ui_language()
        return next((c.id for c in choices if c.language == language), choices[0].id)

    def _voice_of(self, learner: str) -> str:
        """The voice the learner chose, else the first for their language, else the UI's."""
        state = self.ctx.learner(learner)
        chosen = state.setting("voice") if state else None
        if chosen in self.ctx.profiles:
            return chosen
        language = state.language if state else None
        return next((c.id for c in self.ctx.voice_choices() if c.language == language), self.voice)

    def _use(self, learner: str, voice: str) -> None:
        """From now on everything speaks, listens and shows in this learner's way."""
        self.learner = learner
        state = self.ctx.learner(learner)
        name = state.personal("name") if state else None
        self.learner_name = name if isinstance(name, str) else None
        size = state.setting("text_size") if state else None
        if size in TEXT_SIZES:
            self.text_size = size
        theme = state.setting("theme") if state else None
        if theme in THEMES:
            self.theme = THEMES[theme].name
        self._use_voice(voice, announce=True)
        rate = state.setting("rate") if state else None
        if isinstance(rate, int):
            self.speaker.set_rate(rate)

    # Speaking --------------------------------------------------------------------------

    @property
    def speaker(self) -> "Speaker":
        with self._making:
            return self._speaker_for(self.voice)

    def _speaker_for(self, voice: str) -> "Speaker":
        if voice not in self._speakers:
            self._speakers[voice] = self._make_speaker(voice)
        return self._speakers[voice]

    def _tts(self, voice: str) -> "Speaker":
        """The real speaker. Sentences it cannot say are on screen already; the one line
        saying why goes to the notice bar instead of standard error, which Textual hides."""
        from tutor.speech.speaker import TtsSpeaker

        profile = self.ctx.profiles[voice]
        catalog = self.ctx.catalog(profile.language)
        return TtsSpeaker(profile, catalog, show=_shown_already, warn=self._notify_threadsafe)

    def speak(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.speaker.say(line)

    def speak_in_voices(self, lines: list[tuple[str, str]]) -> None:
        """Each line in its own voice, one after the other, until the learner answers. Each
        voice's engine starts just before its line: on one core, three starting at once
        would hold up the screen."""
        self._hushed = hushed = threading.Event()

        def say_in_turn() -> None:
            for voice, line in lines:
                if hushed.is_set():
                    return
                with self._making:
                    speaker = self._speaker_for(voice)
                speaker.say(line)
                speaker.wait(SAYING_WAIT)

        self.run_worker(say_in_turn, thread=True, group="saying", exclusive=True)

    def hush(self) -> None:
        """The learner answered: stop talking at once."""
        self._hushed.set()
        for speaker in self._speakers.values():
            speaker.stop()

    def slow_down(self) -> None:
        from tutor.speech.speaker import clamp_rate

        rate = clamp_rate(self.speaker.rate - SLOWER_STEP)
        self.speaker.set_rate(rate)
        self._remember({"rate": rate})

    def close_speech(self, wait: float) -> None:
        """Let the last words be said (up to `wait` seconds), then release every speaker."""
        if self.voice_input is not None:
            self.voice_input.stop()
        deadline = time.monotonic() + wait
        for speaker in self._speakers.values():
            speaker.wait(max(0.0, deadline - time.monotonic()))
            speaker.close()
        self._speakers.clear()

    # Listening -------------------------------------------------------------------------

    def _use_voice(self, voice: str, announce: bool) -> None:
        """Speak and listen in `voice`; the microphone is opened in the background."""
        self.voice = voice
        self.text = self.ctx.catalog(self.language).text
        if self.voice_input is not None:
            self.voice_input.stop()
            self.voice_input = None
        self.by_voice = False
        # After the next frame: opening the microphone and the model must not hold up the
        # first prompt on a one-core machine.
        self.call_after_refresh(
            self.run_worker,
            lambda: self._open_listener(voice, announce),
            thread=True,
            group="microphone",
        )

    def _open_listener(self, voice: str, announce: bool) -> None:
        notify = self._notify_threadsafe if announce else _shown_already
        listener = self._make_listener(voice, notify)
        if listener is None:
            return
        self.call_from_thread(self._start_listening, voice, VoiceInput(listener, self._speaking))

    def _speaking(self) -> "Speaker":
        return self.speaker

    def _start_listening(self, voice: str, voice_input: VoiceInput) -> None:
        if voice != self.voice or not voice_input.by_voice:
            return
        self.voice_input = voice_input
        self.by_voice = True
        self.run_worker(voice_input.run, thread=True, group="listening")
        if isinstance(self.screen, PromptScreen):
            self.screen.listen()

    def _microphone(self, voice: str, notify: Notify) -> Listener | None:
        """Voice when this machine has the model and a microphone; None (keys) otherwise.
        The keyboard inside the fallback listener is never read: Textual owns the keys."""
        listener = self.ctx.listener(voice, io.StringIO(), notify, [])
        return listener if listener.by_voice else None

    def voice_lost(self) -> None:
        self.voice_input = None
        self.by_voice = False

    def understand(self, heard: Heard, expectation: Expectation) -> Decision:
        understander = self.ctx.understander(self.voice)
        if heard.source == "voice":  # a real microphone: check the two recognizer passes
            from tutor.speech.hearing import decide

            return decide(heard, expectation, understander)
        return understander.understand(heard.text, expectation)

    # The learner's settings and requests -----------------------------------------------

    def debounced(self, key: str) -> bool:
        """Whether this key is the same key again too soon (then it is ignored)."""
        now = time.monotonic()
        last, at = self._last_key
        self._last_key = (key, now)
        return key == last and now - at < self.debounce

    def toggle_contrast(self) -> None:
        contrast = self.theme != CONTRAST.name
        self.theme = CONTRAST.name if contrast else NORMAL.name
        self._remember({"theme": "contrast" if contrast else "normal"})

    def watch_theme(self, theme: str) -> None:
        self.set_class(theme == CONTRAST.name, "-contrast")

    def change_text_size(self, step: int) -> None:
        at = TEXT_SIZES.index(self.text_size)
        size = TEXT_SIZES[max(0, min(len(TEXT_SIZES) - 1, at + step))]
        if size != self.text_size:
            self.text_size = size
            self._remember({"text_size": size})

    def ask_for_help(self) -> None:
        if self.learner is not None and self.helpline is not None:
            self.helpline.ask(self.ctx.log, self.learner, {}, name=self.learner_name)

    def _mentor_replied(self, reply: Reply) -> None:
        """The mentor answered a help request (on the helpline's thread): say it."""
        lines = []
        if reply.hint:
            lines.append(self.text("mentor.reply_hint", hint=reply.hint))
        if reply.coming:
            lines.append(self.text("mentor.reply_coming"))
        if lines and self.is_running:
            self.call_from_thread(self.speak, lines)

    def _remember(self, settings: dict) -> None:
        if self.learner is not None:
            self.ctx.log.append(self.learner, ev.SETTINGS_CHANGED, settings)

    def _notify(self, message: str) -> None:
        """Said once and kept on screen: why the learner answers by keys, or reads."""
        if message:
            self.notice = message
            self.speak([message])

    def _notify_threadsafe(self, message: str) -> None:
        if threading.current_thread() is threading.main_thread():
            self._notify(message)
        elif self.is_running:
            self.call_from_thread(self._notify, message)

    def on_unmount(self) -> None:
        if self.voice_input is not None:
            self.voice_input.stop()
        if self.helpline is not None:
            self.helpline.close()


def _shown_already(text: str) -> None:
    """Every sentence is on screen as it is said, so a speaker that cannot speak adds nothing."""


def run(ctx: LearnerContext, voice: str | None, learner: str | None, lesson: str | None) -> int:
    """`tutor` / `tutor learn` with a screen: returns the exit status."""
    app = TutorApp(ctx, voice, learner, lesson)
    try:
        status = app.run()
    finally:
        app.close_speech(FAREWELL_WAIT)
        ctx.close()
    return status or 0
