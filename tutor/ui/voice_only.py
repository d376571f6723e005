"""`tutor learn --voice-only`: the same lessons with no screen at all, for learners who
cannot read. The tutor speaks every prompt, then listens (or reads a key); text is printed
only as a fallback when no speech engine works. Textual is never imported here.
"""

import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from tutor.progress import events as ev
from tutor.progress.helpline import Helpline, Reply
from tutor.session.menus import (
    HomeItem,
    drill_prompt,
    home_items,
    home_prompt,
    language_prompt,
    learner_prompt,
)
from tutor.session.turns import Prompt, Turn
from tutor.ui.context import LearnerContext
from tutor.ui.helping import asked_about, tell_where, write_turn
from tutor.understand.engine import Decision

SLOWER_STEP = 25
"""Words per minute taken off each time a learner asks for slower speech."""

SPEAKING_WAIT = 60.0
"""Longest wait for one sentence to be said before listening anyway."""


@dataclass
class Answer:
    decision: Decision
    said: str
    via: str
    seconds: float


@dataclass
class TimeUp:
    """A timed drill's limit passed with nothing said, after `waited` seconds."""

    waited: float


_TIMED_OUT = object()


class VoiceOnly:
    def __init__(
        self,
        ctx: LearnerContext,
        voice: str,
        keys: TextIO,
        show: Callable[[str], None],
        wav_inputs: list[Path],
        speaker=None,
    ):
        self.ctx, self.voice, self.show = ctx, voice, show
        self.language = ctx.profiles[voice].language
        self.text = ctx.catalog(self.language).text
        self.speaker = speaker or ctx.speaker(voice, show)
        self.listener = ctx.listener(voice, keys, self._notify, wav_inputs)
        self.ears = ctx.understander(voice)
        self._pending: queue.Queue | None = None
        """An answer still being listened for after a timed drill's limit passed."""
        self.learner_name: str | None = None
        self.helpline = Helpline.open(ctx.log.device, self.hear_mentor)

    def hear_mentor(self, reply: Reply) -> None:
        """The mentor answered a help request (called from the helpline's thread): say it,
        even while the tutor is listening for the learner."""
        if reply.hint:
            self.speaker.say(self.text("mentor.reply_hint", hint=reply.hint))
        if reply.coming:
            self.speaker.say(self.text("mentor.reply_coming"))

    def _notify(self, message: str) -> None:
        if message:
            self.say_lines([message])

    def say_lines(self, lines: tuple[str, ...] | list[str]) -> None:
        for line in lines:
            self.speaker.say(line)
        self.speaker.wait(SPEAKING_WAIT * max(1, len(lines)))

    def ask(self, prompt: Prompt) -> Answer | None:
        """Say the prompt and wait for one answer; None when the keyboard has closed (the
        learner's session is over: everything so far is already in the log)."""
        self.say_lines(prompt.lines)
        while True:
            began = time.monotonic()
            heard = self._listen(prompt, None)
            if heard is not None:
                break
            if not self.listener.by_voice:
                return None
            self.say_lines([self.text("session.silence")])
        return self._answer(prompt, heard, began)

    def ask_in_time(self, prompt: Prompt) -> Answer | TimeUp | None:
        """As `ask`, against the prompt's time limit, counted from the moment its last
        sentence has been said. Silence before the limit is no cause to nag: the learner
        chose the pressure, and the runner says what waiting cost."""
        self.say_lines(prompt.lines)
        began = time.monotonic()
        deadline = began + prompt.seconds
        while True:
            heard = self._listen(prompt, deadline)
            if heard is _TIMED_OUT:
                return TimeUp(time.monotonic() - began)
            if heard is not None:
                return self._answer(prompt, heard, began)
            if not self.listener.by_voice:
                return None

    def _listen(self, prompt: Prompt, deadline: float | None):
        """What was heard, or `_TIMED_OUT` when the monotonic `deadline` came first. Against
        a deadline the listener runs in a thread that outlives it, so a key pressed or a
        word begun just too late answers the next prompt instead of being lost."""
        if deadline is None and self._pending is None:
            return self.listener.listen(prompt.expect)
        if self._pending is None:
            self._pending = queue.Queue(maxsize=1)
            threading.Thread(
                target=self._listen_into, args=(prompt.expect, self._pending), daemon=True
            ).start()
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            heard = self._pending.get(timeout=wait)
        except queue.Empty:
            return _TIMED_OUT
        self._pending = None
        if isinstance(heard, BaseException):
            raise heard
        return heard

    def _listen_into(self, expect, box: queue.Queue) -> None:
        try:
            box.put(self.listener.listen(expect))
        except BaseException as error:  # handed to the main thread, raised there
            box.put(error)

    def _answer(self, prompt: Prompt, heard, began: float) -> Answer:
        if heard.source == "voice":
            from tutor.speech.hearing import decide

            decision = decide(heard, prompt.expect, self.ears)
        else:
            decision = self.ears.understand(heard.text, prompt.expect)
        said = (heard.free_text or heard.text) if prompt.kind == "practice" else heard.text
        via = "voice" if heard.source == "voice" else "key"
        return Answer(decision, said, via, time.monotonic() - began)

    def close(self) -> None:
        self.helpline.close()
        self.speaker.close()


def run(
    ctx: LearnerContext,
    voice: str | None,
    learner: str | None,
    lesson: str | None,
    wav_inputs: list[Path],
    keys: TextIO | None = None,
    show: Callable[[str], None] = print,
) -> int:
    keys = keys or sys.stdin
    voice = voice or _known_voice(ctx, learner) or _ask_voice(ctx, keys, show)
    if voice is None:
        return 0
    tutor = VoiceOnly(ctx, voice, keys, show, wav_inputs)
    try:
        learner = learner or _pick_learner(ctx, tutor)
        if learner is None:
            return 0
        return _learn(ctx, tutor, learner, lesson)
    finally:
        tutor.close()
        ctx.close()


def _learn(ctx: LearnerContext, tutor: VoiceOnly, learner: str, lesson: str | None) -> int:
    journal = ctx.journal(learner)
    state = ctx.learner(learner)
    if state is not None and isinstance(state.setting("rate"), int):
        tutor.speaker.set_rate(state.setting("rate"))
    if state is not None and isinstance(state.personal("name"), str):
        tutor.learner_name = state.personal("name")
    while True:
        if lesson is None:
            lesson = _started_by_mentor(ctx, tutor, learner)
        if lesson in ctx.course.drills:
            runner = ctx.drill_runner(lesson, tutor.language)
        elif lesson is not None:
            step = _resume_step(ctx, learner, lesson)
            runner = ctx.runner(lesson, tutor.language, step)
        else:
            item = _pick(ctx, tutor, learner)
            if item is None:
                return 0
            runner = _runner_for(ctx, tutor, item)
        outcome = "home" if runner is None else play(ctx, tutor, learner, runner, journal)
        if outcome in ("quit", "closed"):
            return 0
        lesson = None


def play(ctx: LearnerContext, tutor: VoiceOnly, learner: str, runner, journal) -> str:
    """Run a lesson or drill runner to its end; the outcome, or "closed" when the keyboard
    closed mid-way (everything answered so far is in the log)."""
    turn: Turn = runner.begin()
    asked_on, heard = turn.prompt, ""
    while True:
        write_turn(tutor.helpline, journal, turn.records, asked_on, heard, tutor.learner_name)
        tell_where(tutor.helpline, learner, tutor.learner_name, runner, turn.prompt)
        if turn.changes.get("slower"):
            _slow_down(ctx, tutor, learner)
        if turn.outcome in ("quit", "done", "home") and turn.prompt.kind in ("bye", "summary"):
            tutor.say_lines(turn.prompt.lines)
            return turn.outcome
        answer = tutor.ask_in_time(turn.prompt) if turn.prompt.seconds else tutor.ask(turn.prompt)
        if answer is None:
            return "closed"
        if isinstance(answer, TimeUp):  # only a timed drill's prompt has a limit
            turn = runner.silence(answer.waited)
            continue
        if asked_about(turn.prompt):
            asked_on, heard = turn.prompt, answer.said
        turn = runner.hear(
            answer.decision, said=answer.said, via=answer.via, seconds=answer.seconds
        )


def _slow_down(ctx: LearnerContext, tutor: VoiceOnly, learner: str) -> None:
    from tutor.speech.speaker import clamp_rate

    rate = clamp_rate(tutor.speaker.rate - SLOWER_STEP)
    tutor.speaker.set_rate(rate)
    ctx.log.append(learner, ev.SETTINGS_CHANGED, {"rate": rate})


def _resume_step(ctx: LearnerContext, learner: str, lesson: str) -> int:
    from tutor.session.menus import where_to_resume

    resume = where_to_resume(ctx.learner(learner), ctx.course)
    return resume[1] if resume and resume[0] == lesson else 0


def _started_by_mentor(ctx: LearnerContext, tutor: VoiceOnly, learner: str) -> str | None:
    """A lesson or drill the mentor started for this learner from the console, if it is
    one here."""
    ordered = tutor.helpline.take_start(learner)
    return ordered if ordered in ctx.course.lessons or ordered in ctx.course.drills else None


def _pick(ctx: LearnerContext, tutor: VoiceOnly, learner: str) -> HomeItem | None:
    """The home menu: continue, review, lessons and drills; None to stop."""
    tutor.helpline.where(learner, tutor.learner_name)
    review = ctx.lesson_to_review(learner)
    items = home_items(ctx.learner(learner), ctx.course, drills=True, review=review)
    key = _choose(tutor, home_prompt(items, ctx.course, tutor.language, tutor.text), ("quit",))
    return items[int(key) - 1] if key else None


def _runner_for(ctx: LearnerContext, tutor: VoiceOnly, item: HomeItem):
    """The lesson's runner, or for the drills the one picked from their list (None: home)."""
    if item.action != "drills":
        mode = "review" if item.action == "review" else "learn"
        return ctx.runner(item.lesson, tutor.language, item.step, mode)
    drills = list(ctx.course.drills)
    prompt = drill_prompt(drills, ctx.course, tutor.language, tutor.text)
    key = _choose(tutor, prompt, ("quit", "back", "home"))
    return ctx.drill_runner(drills[int(key) - 1], tutor.language) if key else None


def _choose(tutor: VoiceOnly, prompt: Prompt, leave: tuple[str, ...]) -> str | None:
    """The number of the option picked; None for an intent in `leave` or a closed keyboard.
    Anything else (not understood, "repeat", ...) asks again."""
    while True:
        answer = tutor.ask(prompt)
        if answer is None:
            return None
        decision = answer.decision
        if decision.decision == "reject":
            continue
        if decision.intent in leave:
            return None
        if decision.intent == "choice" and decision.key:
            return decision.key


def _pick_learner(ctx: LearnerContext, tutor: VoiceOnly) -> str | None:
    learners = ctx.learners()
    if not learners:
        return ctx.enrol(tutor.text("menu.new_learner"), tutor.language, tutor.voice)
    if len(learners) == 1:
        return learners[0][0]
    prompt = learner_prompt(learners, tutor.text)
    while True:
        answer = tutor.ask(prompt)
        if answer is None:
            return None
        if answer.decision.intent == "choice" and answer.decision.key:
            return learners[int(answer.decision.key) - 1][0]


def _known_voice(ctx: LearnerContext, learner: str | None) -> str | None:
    """The voice this learner chose before, or the only learner's on a personal device."""
    if learner is None:
        learners = ctx.learners()
        if len(learners) != 1:
            return None
        learner = learners[0][0]
    state = ctx.learner(learner)
    voice = state.setting("voice") if state else None
    return voice if voice in ctx.profiles else None


def _ask_voice(ctx: LearnerContext, keys: TextIO, show: Callable[[str], None]) -> str | None:
    """First run: each option is spoken in its own language; the answer is a number key."""
    voices = ctx.voice_choices()
    texts = {lang: ctx.catalog(lang).text for lang in {v.language for v in voices}}
    prompt = language_prompt(voices, texts)
    speakers = {}
    for voice, line in zip(voices, prompt.lines, strict=True):
        if voice.language not in speakers:
            speakers[voice.language] = ctx.speaker(voice.id, show)
        speakers[voice.language].say(line)
    for speaker in speakers.values():
        speaker.wait(SPEAKING_WAIT)
        speaker.close()
    ears = ctx.understander(voices[0].id)
    while True:
        line = keys.readline()
        if not line:
            return None
        decision = ears.understand(line.strip(), prompt.expect)
        if decision.decision != "reject" and decision.intent == "choice" and decision.key:
            return voices[int(decision.key) - 1].id
