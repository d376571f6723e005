"""One lesson as a state machine: a decision in, the next prompt (and log records) out.

The runner never traps a learner. Every prompt takes the global intents; a wrong answer gets
its feedback and a second try, and after two misses the runner explains and moves on; two
answers it could not understand turn into a yes/no scan over the options, answerable with any
key or "yes"; silence only re-asks gently; nothing that ends the session happens without a
confirm. It knows no screen, speech engine or file: the driver speaks, shows and writes.
"""

from collections.abc import Callable
from dataclasses import replace

from tutor.content.schema import ChooseStep, Lesson, PracticeStep, RecapStep, SayStep
from tutor.progress import events as ev
from tutor.session.practice import practice_result
from tutor.session.turns import Prompt, Record, Turn
from tutor.understand.engine import Decision
from tutor.understand.expectation import Expectation, Option

Text = Callable[..., str]
"""The UI catalog in the learner's language: `text("session.not_heard")`."""

STEP_INTENTS = ("next", "back", "repeat", "help", "home", "pause", "slower", "quit", "yes", "no")
ANSWER_INTENTS = ("yes", "no", "repeat", "help", "pause", "slower", "quit", "back", "home")
MISSES_BEFORE_MOVING_ON = 2
REJECTS_BEFORE_SCAN = 2


class LessonRunner:
    def __init__(
        self,
        lesson: Lesson,
        pack: str,
        language: str,
        text: Text,
        start_step: int = 0,
        mode: str = "learn",
    ):
        self.lesson, self.pack, self.language, self.t = lesson, pack, language, text
        self.mode = mode
        self.steps = lesson.step
        self.at = max(0, min(start_step, len(self.steps) - 1))
        self.state = "step"
        self.attempts = self.rejects = self.repeats = 0
        self.pending: Decision | None = None
        self.scan_at = 0
        self.answered: list[tuple[int, int]] = []
        self.missed: list[int] = []
        self._refs = 0
        self._first_prompt = 0

    # The driver's three calls ----------------------------------------------------------

    def begin(self) -> Turn:
        data = {"pack": self.pack, "lesson": self.lesson.id, "step": self.at, "mode": self.mode}
        return Turn(self._step_prompt(), (self._record(ev.LESSON_STARTED, data),))

    def hear(
        self, decision: Decision, said: str = "", via: str = "voice", seconds: float = 0.0
    ) -> Turn:
        """What the understanding layer made of one answer (spoken, typed or a key)."""
        self._via, self._seconds = via, seconds
        handler = {
            "step": self._on_step,
            "confirm": self._on_confirm,
            "scan": self._on_scan,
            "quit": self._on_quit,
            "paused": self._on_paused,
            "done": self._on_done,
        }[self.state]
        return handler(decision, said)

    def silence(self) -> Turn:
        """Nothing was said before the timeout: ask again, gently, and count nothing."""
        if self.state in ("paused", "done"):
            return Turn(self._current_prompt())
        return Turn(self._with_lines(self._current_prompt(), [self.t("session.silence")]))

    @property
    def step(self):
        return self.steps[self.at]

    # States ----------------------------------------------------------------------------

    def _on_step(self, decision: Decision, said: str) -> Turn:
        if isinstance(self.step, PracticeStep) and not _is_command(decision):
            return self._practice(said)
        if decision.decision == "reject":
            return self._not_understood()
        if decision.decision == "confirm":
            self.state, self.pending = "confirm", decision
            return Turn(self._confirm_prompt(decision))
        return self._act(decision, "accept")

    def _on_confirm(self, decision: Decision, said: str) -> Turn:
        pending, self.pending = self.pending, None
        self.state = "step"
        if decision.decision == "accept" and decision.intent == "yes" and pending is not None:
            return self._act(pending, "confirm")
        if decision.decision == "accept" and decision.intent not in ("yes", "no"):
            return self._act(decision, "accept")
        return Turn(self._with_lines(self._step_prompt(), [self.t("session.say_again")]))

    def _on_scan(self, decision: Decision, said: str) -> Turn:
        options = self._choices()
        if decision.decision == "accept" and decision.intent == "yes":
            self.state = "step"
            return self._choose(options[self.scan_at].key, "confirm")
        if decision.decision == "accept" and decision.intent not in ("no", None):
            self.state = "step"
            return self._act(decision, "accept")
        self.scan_at += 1
        if self.scan_at >= len(options):
            self.state, self.rejects = "step", 0
            return Turn(self._with_lines(self._step_prompt(), [self.t("session.scan_none")]))
        return Turn(self._scan_prompt())

    def _on_quit(self, decision: Decision, said: str) -> Turn:
        self.state = "step"
        if decision.decision == "accept" and decision.intent == "yes":
            self.state = "done"
            prompt = self._plain_prompt("bye", [self.t("session.bye")])
            return Turn(prompt, (self._left(),), outcome="quit")
        return Turn(self._step_prompt())

    def _on_paused(self, decision: Decision, said: str) -> Turn:
        if decision.decision == "accept" and decision.intent == "quit":
            return self._ask_quit()
        self.state = "step"
        return Turn(self._step_prompt())

    def _on_done(self, decision: Decision, said: str) -> Turn:
        return Turn(self._current_prompt(), outcome="done")

    # Acting on an understood answer ------------------------------------------------------

    def _act(self, decision: Decision, how: str) -> Turn:
        intent = decision.intent
        if intent == "choice" and isinstance(self.step, ChooseStep) and decision.key:
            return self._choose(decision.key, how)
        if intent in ("next", "yes"):
            return self._advance([])
        if intent == "back":
            return self._back()
        if intent in ("repeat", "no", "choice"):
            self.repeats += 1
            return Turn(self._step_prompt(slow=self.repeats >= 2))
        if intent == "slower":
            return Turn(self._step_prompt(slow=True), changes={"slower": True})
        if intent == "help":
            data = {"pack": self.pack, "lesson": self.lesson.id, "step": self.at}
            record = self._record(ev.HELP_REQUESTED, data)
            prompt = self._with_lines(self._step_prompt(), [self.t("session.help")])
            return Turn(prompt, (record,))
        if intent == "home":
            self.state = "done"
            prompt = self._plain_prompt("bye", [self.t("session.see_you")])
            return Turn(prompt, (self._left(),), outcome="home")
        if intent == "pause":
            self.state = "paused"
            prompt = self._plain_prompt("paused", [self.t("session.paused")])
            return Turn(prompt, (self._left(),), outcome="paused")
        if intent == "quit":
            return self._ask_quit()
        return self._not_understood()

    def _choose(self, key: str, how: str) -> Turn:
        step = self.step
        assert isinstance(step, ChooseStep)
        picked = next((c for c in step.choice if c.key == key), None)
        if picked is None:
            return self._not_understood()
        self.attempts += 1
        correct = picked.correct if step.graded else None
        record = self._answer_record(key, how, correct)
        said = [self._in(picked.feedback)] if picked.feedback else []
        if correct is False:
            if self.attempts < MISSES_BEFORE_MOVING_ON:
                said.append(self.t("session.try_again"))
                return Turn(self._with_lines(self._step_prompt(), said), (record,))
            self.missed.append(self.at)
            right = next(c for c in step.choice if c.correct)
            said.append(self.t("session.moving_on", answer=self._in(right.text)))
            if right.feedback:
                said.append(self._in(right.feedback))
        elif correct and not said:
            said.append(self.t("session.right"))
        return self._advance(said, (record,))

    def _practice(self, said: str) -> Turn:
        step = self.step
        assert isinstance(step, PracticeStep)
        if not said.strip():
            return self._not_understood()
        self.attempts += 1
        good = practice_result(step, self.language, said)
        record = self._answer_record(None, "accept", good)
        if good:
            return self._advance([self._in(step.good)], (record,))
        lines = [self._in(step.missing)]
        if self.attempts < MISSES_BEFORE_MOVING_ON:
            lines.append(self.t("session.try_again"))
            return Turn(self._with_lines(self._step_prompt(), lines), (record,))
        self.missed.append(self.at)
        lines.append(self.t("session.for_example", example=self._in(step.example)))
        return self._advance(lines, (record,))

    def _not_understood(self) -> Turn:
        self.rejects += 1
        if isinstance(self.step, ChooseStep) and self.rejects >= REJECTS_BEFORE_SCAN:
            self.state, self.scan_at = "scan", 0
            return Turn(self._with_lines(self._scan_prompt(), [self.t("session.scan_start")]))
        prompt = self._step_prompt(slow=self.rejects >= 2)
        return Turn(self._with_lines(prompt, [self.t("session.not_heard")]))

    def _ask_quit(self) -> Turn:
        self.state = "quit"
        expect = Expectation(intents=("yes", "no", "repeat", "help"))
        return Turn(Prompt("quit", (self.t("session.quit_confirm"),), expect))

    def _advance(self, said: list[str], records: tuple[Record, ...] = ()) -> Turn:
        self.at += 1
        self.attempts = self.rejects = self.repeats = 0
        if self.at < len(self.steps):
            return Turn(self._with_lines(self._step_prompt(), said), records)
        self.at = len(self.steps) - 1
        self.state = "done"
        done = self._record(ev.LESSON_COMPLETED, {"pack": self.pack, "lesson": self.lesson.id})
        summary = self._summary_prompt()
        return Turn(self._with_lines(summary, said), (*records, done), outcome="done")

    def _back(self) -> Turn:
        if self.at == 0:
            return Turn(self._with_lines(self._step_prompt(), [self.t("session.first_step")]))
        self.at -= 1
        self.attempts = self.rejects = self.repeats = 0
        undone = []
        while self.answered and self.answered[-1][0] >= self.at:
            step, ref = self.answered.pop()
            data = {"answer": "", "pack": self.pack, "lesson": self.lesson.id, "step": step}
            undone.append(self._record(ev.ANSWER_UNDONE, data, undoes=ref))
        if self.at in self.missed:
            self.missed.remove(self.at)
        return Turn(
            self._with_lines(self._step_prompt(), [self.t("session.went_back")]), tuple(undone)
        )

    # Records -----------------------------------------------------------------------------

    def _record(self, kind: str, data: dict, undoes: int | None = None) -> Record:
        self._refs += 1
        return Record(kind, data, self._refs, undoes)

    def _left(self) -> Record:
        data = {"pack": self.pack, "lesson": self.lesson.id, "step": self.at}
        return self._record(ev.LESSON_LEFT, data)

    def _answer_record(self, key: str | None, how: str, correct: bool | None) -> Record:
        data = {
            "pack": self.pack,
            "lesson": self.lesson.id,
            "step": self.at,
            "step_id": self.step.id,
            "choice": key,
            "decision": how,
            "correct": correct,
            "attempts": self.attempts,
            "seconds": round(float(self._seconds), 2),
            "via": self._via,
        }
        record = self._record(ev.STEP_ANSWERED, data)
        self.answered.append((self.at, record.ref))
        return record

    # Prompts -----------------------------------------------------------------------------

    def _in(self, table: dict[str, str] | None) -> str:
        if not table:
            return ""
        return table.get(self.language) or table.get("zh") or next(iter(table.values()))

    def _choices(self) -> tuple[Option, ...]:
        step = self.step
        if not isinstance(step, ChooseStep):
            return ()
        return tuple(
            Option(
                c.key,
                tuple(c.text.items()),
                tuple((lang, tuple(words)) for lang, words in c.aliases.items()),
            )
            for c in step.choice
        )

    def _step_prompt(self, slow: bool = False) -> Prompt:
        step = self.step
        title = self._in(self.lesson.title)
        text = self._in(step.text)
        where = {"step": self.at, "steps": len(self.steps), "title": title, "slow": slow}
        if isinstance(step, ChooseStep):
            options = [(c.key, self._in(c.text)) for c in step.choice]
            lines = [text, *(self.t("session.option", number=k, text=v) for k, v in options)]
            expect = Expectation(self._choices(), STEP_INTENTS)
            hint = self.t("session.choose_hint")
            return Prompt(
                "choose",
                tuple(lines),
                expect,
                body=text,
                choices=tuple(options),
                hint=hint,
                **where,
            )
        if isinstance(step, PracticeStep):
            expect = Expectation((), STEP_INTENTS)
            hint = self.t("session.practice_hint")
            return Prompt("practice", (text,), expect, body=text, hint=hint, **where)
        lines = [text]
        if isinstance(step, RecapStep):
            lines += [self._in(point) for point in step.point]
        kind = "recap" if isinstance(step, RecapStep) else "say"
        assert isinstance(step, SayStep | RecapStep)
        expect = Expectation((), STEP_INTENTS)
        body = "\n".join(lines)
        return Prompt(
            kind, tuple(lines), expect, body=body, hint=self.t("session.next_hint"), **where
        )

    def _confirm_prompt(self, decision: Decision) -> Prompt:
        if decision.intent == "choice":
            option = next((o for o in self._choices() if o.key == decision.key), None)
            meaning = option.text_in(self.language) if option else decision.key or ""
        else:
            meaning = self.t(f"session.intent.{decision.intent}")
        line = self.t("session.confirm", answer=meaning)
        return Prompt(
            "confirm",
            (line,),
            Expectation(self._choices(), ANSWER_INTENTS),
            body=line,
            hint=self.t("session.yes_no_hint"),
            step=self.at,
            steps=len(self.steps),
        )

    def _scan_prompt(self) -> Prompt:
        option = self._choices()[self.scan_at]
        line = self.t("session.scan", number=option.key, answer=option.text_in(self.language))
        return Prompt(
            "scan",
            (line,),
            Expectation(self._choices(), ANSWER_INTENTS),
            body=line,
            choices=((option.key, option.text_in(self.language)),),
            hint=self.t("session.scan_hint"),
            step=self.at,
            steps=len(self.steps),
        )

    def _summary_prompt(self) -> Prompt:
        title = self._in(self.lesson.title)
        lines = [self.t("session.lesson_done", title=title)]
        review = [self._in(self.steps[i].text) for i in sorted(set(self.missed))]
        if review:
            lines.append(self.t("session.review_next", items="；".join(review)))
        else:
            lines.append(self.t("session.all_right"))
        return Prompt(
            "summary",
            tuple(lines),
            Expectation((), ("next", "repeat", "home", "quit")),
            title=title,
            body="\n".join(lines),
            step=self.at,
            steps=len(self.steps),
        )

    def _plain_prompt(self, kind: str, lines: list[str]) -> Prompt:
        return Prompt(
            kind,
            tuple(lines),
            Expectation(),
            body="\n".join(lines),
            step=self.at,
            steps=len(self.steps),
        )

    def _current_prompt(self) -> Prompt:
        if self.state == "paused":
            return self._plain_prompt("paused", [self.t("session.paused")])
        if self.state == "done":
            return self._summary_prompt()
        if self.state == "scan":
            return self._scan_prompt()
        if self.state == "confirm" and self.pending is not None:
            return self._confirm_prompt(self.pending)
        return self._step_prompt()

    @staticmethod
    def _with_lines(prompt: Prompt, before: list[str]) -> Prompt:
        """The same prompt, with what must be said first (feedback, "say again")."""
        said = tuple(line for line in before if line)
        return replace(prompt, lines=said + prompt.lines)


def _is_command(decision: Decision) -> bool:
    """In a free answer only a clear command is a command; the rest is the answer."""
    return decision.decision == "accept" and decision.intent not in (None, "choice")
