"""A scenario drill run with the lesson runner's machinery: prompts, decisions, turns.

Voice, keys, confirm, undo, help, pause and quit work as in a lesson. "How many are
watching?" is always an answer too (spoken status). At the end the debrief replays the
learner's path, scores each rubric line against the best any path reaches, and names the
better move at each mistake; then "try again" with the same seed or a new one.

Timed pressure is off unless the learner (or mentor) asks for it: elders take their time.
In timed mode a scene prompt carries its moment's `seconds`; the runner keeps no clock, the
host does, and reports the silence with `silence(waited)`. Once the limit has passed, the
hesitation's cost applies, the learner hears what happened and why, and the same moment is
asked again without a limit: the scene goes on and never traps. Off, silence only re-asks.
"""

from collections.abc import Callable
from dataclasses import replace

from tutor.content.scene import Scene, best_scores
from tutor.content.schema import Drill, DrillChoice, Hesitation
from tutor.progress import events as ev
from tutor.session.turns import Prompt, Record, Turn
from tutor.understand.engine import Decision
from tutor.understand.expectation import Expectation, Option

Text = Callable[..., str]
DRILL_INTENTS = ("back", "repeat", "help", "home", "pause", "slower", "quit")
CONFIRM_INTENTS = ("yes", "no", "repeat", "help", "quit")
STATUS_KEYS = ("?", "？")
REJECTS_BEFORE_SCAN = 2
AGAIN_SAME, AGAIN_NEW, DONE = "1", "2", "3"


class DrillRunner:
    def __init__(
        self,
        drill: Drill,
        pack: str,
        language: str,
        text: Text,
        seed: int | None = None,
        timed: bool = False,
    ):
        self.drill, self.pack, self.language, self.t = drill, pack, language, text
        self.timed = timed
        self.scene = Scene.open(drill, seed)
        self.history: list[Scene] = []
        self.chosen: list[tuple[str, DrillChoice | Hesitation]] = []
        """What happened at each moment passed: the choice taken, or the hesitation paid."""
        self.state = "scene"
        self.pending: Decision | None = None
        self.rejects = self.scan_at = 0
        self._refs = 0
        self.best = best_scores(drill)

    def begin(self) -> Turn:
        return Turn(self._scene_prompt(intro=True))

    def hear(
        self, decision: Decision, said: str = "", via: str = "voice", seconds: float = 0.0
    ) -> Turn:
        if self.state == "confirm":
            return self._on_confirm(decision)
        if self.state == "quit":
            self.state = "scene"
            if decision.decision == "accept" and decision.intent == "yes":
                return Turn(self._plain("bye", [self.t("session.bye")]), outcome="quit")
            return Turn(self._scene_prompt())
        if self.state == "paused":
            self.state = "scene"
            return Turn(self._scene_prompt())
        if self.state == "debrief":
            return self._on_debrief(decision)
        if self.state == "scan":
            return self._on_scan(decision)
        if self._asks_status(said):
            return Turn(self._with(self._scene_prompt(), [self._status_line()]))
        if decision.decision == "reject":
            self.rejects += 1
            if self.rejects >= REJECTS_BEFORE_SCAN:
                self.state, self.scan_at = "scan", 0
                return Turn(self._with(self._scan_prompt(), [self.t("session.scan_start")]))
            return Turn(self._with(self._scene_prompt(), [self.t("session.not_heard")]))
        self.rejects = 0
        if decision.decision == "confirm":
            self.state, self.pending = "confirm", decision
            return Turn(self._confirm_prompt(decision))
        return self._act(decision)

    def _on_scan(self, decision: Decision) -> Turn:
        """One option at a time, "yes" (or any key) takes it: for a voice the recognizer
        cannot place, the learner is never stuck."""
        choices = self.scene.node.choice
        if decision.decision == "accept" and decision.intent == "yes":
            self.state, self.rejects = "scene", 0
            return self._choose(choices[self.scan_at].key)
        if decision.decision == "accept" and decision.intent not in ("no", None):
            self.state, self.rejects = "scene", 0
            return self._act(decision)
        self.scan_at += 1
        if self.scan_at >= len(choices):
            self.state, self.rejects = "scene", 0
            return Turn(self._with(self._scene_prompt(), [self.t("session.scan_none")]))
        return Turn(self._scan_prompt())

    def _scan_prompt(self) -> Prompt:
        choice = self.scene.node.choice[self.scan_at]
        text = self._in(choice.text)
        line = self.t("session.scan", number=choice.key, answer=text)
        expect = Expectation(self._options(), CONFIRM_INTENTS)
        return Prompt(
            "scan",
            (line,),
            expect,
            body=line,
            choices=((choice.key, text),),
            hint=self.t("session.scan_hint"),
            gauges=self._gauges(),
        )

    def silence(self, waited: float = 0.0) -> Turn:
        """Nothing was said for `waited` seconds. Untimed, or before the moment's limit: ask
        again, gently, and count nothing. Timed and past the limit: the stream moved on."""
        if self.state != "scene":
            return Turn(self._current_prompt())
        limit = self._limit()
        if limit and waited >= limit:
            return self._time_up()
        return Turn(self._with(self._scene_prompt(), [self.t("session.silence")]))

    def _time_up(self) -> Turn:
        """The hesitation's cost, what happened and why, the new numbers; then the same
        moment again with no limit (or the end, when a number crossed its line)."""
        before, node = self.scene.copy(), self.scene.node
        hesitation = self.scene.wait()
        assert hesitation is not None  # _limit() is 0 wherever waiting is free
        self.history.append(before)
        self.chosen.append((node.id, hesitation))
        self.rejects = 0
        said = [self.t("drill.time_up"), self._in(hesitation.why), self._status_line()]
        if not self.scene.ended:
            again = self._scene_prompt(narrate=False)
            return Turn(self._with(again, [*said, self.t("drill.untimed")]))
        self.state = "debrief"
        return Turn(self._with(self._debrief_prompt(), said), (self._finished(),))

    def _limit(self) -> int:
        """This moment's time limit: 0 unless timed mode is on and the moment has one."""
        return self.scene.seconds if self.timed and self.state == "scene" else 0

    def _current_prompt(self) -> Prompt:
        if self.state == "confirm" and self.pending is not None:
            return self._confirm_prompt(self.pending)
        if self.state == "scan":
            return self._scan_prompt()
        if self.state == "debrief":
            return self._debrief_prompt()
        if self.state == "paused":
            return self._plain("paused", [self.t("session.paused")])
        if self.state == "quit":
            return self._quit_prompt()
        return self._scene_prompt()

    # --------------------------------------------------------------------------------

    def _on_confirm(self, decision: Decision) -> Turn:
        pending, self.pending, self.state = self.pending, None, "scene"
        if decision.decision == "accept" and decision.intent == "yes" and pending is not None:
            return self._act(pending)
        if decision.decision == "accept" and decision.intent not in ("yes", "no"):
            return self._act(decision)
        return Turn(self._with(self._scene_prompt(), [self.t("session.say_again")]))

    def _act(self, decision: Decision) -> Turn:
        intent = decision.intent
        if intent == "choice" and decision.key:
            return self._choose(decision.key)
        if intent == "back":
            if not self.history:
                return Turn(self._with(self._scene_prompt(), [self.t("session.first_step")]))
            self.scene = self.history.pop()
            self.chosen.pop()
            return Turn(self._with(self._scene_prompt(), [self.t("session.went_back")]))
        if intent == "help":
            data = {"pack": self.pack, "lesson": self.drill.id, "step": self._moves()}
            return Turn(
                self._with(self._scene_prompt(), [self.t("session.help")]),
                (self._record(ev.HELP_REQUESTED, data),),
            )
        if intent == "slower":
            return Turn(replace(self._scene_prompt(), slow=True), changes={"slower": True})
        if intent == "pause":
            self.state = "paused"
            return Turn(self._plain("paused", [self.t("session.paused")]), outcome="paused")
        if intent == "home":
            return Turn(self._plain("bye", [self.t("session.see_you")]), outcome="home")
        if intent == "quit":
            self.state = "quit"
            return Turn(self._quit_prompt())
        return Turn(self._scene_prompt(slow=intent == "repeat"))

    def _quit_prompt(self) -> Prompt:
        return Prompt(
            "quit", (self.t("session.quit_confirm"),), Expectation(intents=CONFIRM_INTENTS)
        )

    def _choose(self, key: str) -> Turn:
        before = self.scene.copy()
        node = self.scene.node
        choice = self.scene.choose(key)
        if choice is None:
            return Turn(self._with(self._scene_prompt(), [self.t("session.not_heard")]))
        self.history.append(before)
        self.chosen.append((node.id, choice))
        said = [self._in(choice.feedback)]
        if not self.scene.ended:
            return Turn(self._with(self._scene_prompt(intro=True), said))
        self.state = "debrief"
        return Turn(self._with(self._debrief_prompt(), said), (self._finished(),))

    def _on_debrief(self, decision: Decision) -> Turn:
        if decision.decision != "reject" and decision.intent == "choice":
            if decision.key in (AGAIN_SAME, AGAIN_NEW):
                seed = self.scene.seed if decision.key == AGAIN_SAME else self.scene.seed + 1
                self.__init__(self.drill, self.pack, self.language, self.t, seed, self.timed)
                return self.begin()
            if decision.key == DONE:
                return Turn(self._plain("bye", [self.t("session.see_you")]), outcome="done")
        if decision.decision != "reject" and decision.intent in ("home", "quit", "next"):
            return Turn(self._plain("bye", [self.t("session.see_you")]), outcome="done")
        return Turn(self._debrief_prompt())

    # --------------------------------------------------------------------------------

    def _finished(self) -> Record:
        scores = dict(self.scene.scores)
        data = {
            "pack": self.pack,
            "drill": self.drill.id,
            "path": list(self.scene.path),
            "score": sum(scores.values()),
            "max": sum(self.best.values()),
            "state": dict(self.scene.state),
            "seed": self.scene.seed,
            "scores": scores,
        }
        if self.timed:
            data["timed"] = True  # left out when off, so an untimed run logs as it always has
        return self._record(ev.DRILL_FINISHED, data)

    def _moves(self) -> int:
        return sum(isinstance(taken, DrillChoice) for _, taken in self.chosen)

    def _record(self, kind: str, data: dict) -> Record:
        self._refs += 1
        return Record(kind, data, self._refs)

    def _in(self, table: dict[str, str] | None) -> str:
        if not table:
            return ""
        return table.get(self.language) or table.get("zh") or next(iter(table.values()))

    def _options(self) -> tuple[Option, ...]:
        return tuple(
            Option(c.key, tuple(c.text.items()), tuple((k, tuple(v)) for k, v in c.aliases.items()))
            for c in self.scene.node.choice
        )

    def _gauges(self) -> tuple[tuple[str, int, int, int], ...]:
        return tuple(
            (self._in(var.label), self.scene.state[var.name], var.min, var.max)
            for var in self.drill.state
        )

    def _asks_status(self, said: str) -> bool:
        """ "现在多少人在看？" or the ? key: the live numbers, spoken."""
        heard = "".join(said.split()).casefold()
        if heard in STATUS_KEYS:
            return True
        words = [w for w in self.t("drill.status_words").split("|") if w]
        return bool(heard) and any(w.casefold() in heard for w in words)

    def _status_line(self) -> str:
        parts = [
            self.t("drill.gauge", label=self._in(var.label), value=self.scene.state[var.name])
            for var in self.drill.state
        ]
        return self.t("drill.gauges", gauges=self.t("drill.separator").join(parts))

    def _scene_prompt(
        self, intro: bool = False, slow: bool = False, narrate: bool = True
    ) -> Prompt:
        """The moment: what happened on arrival (`intro`), the narration (left out right
        after a timeout, when it no longer fits the numbers), the comment and the choices."""
        node = self.scene.node
        lines = []
        if intro:
            lines += [self._in(h.event.narration) for h in self.scene.happened]
            lines += [self._in(h.event.comment) for h in self.scene.happened if h.event.comment]
        if narrate:
            lines.append(self._in(node.narration))
        if node.comment:
            lines.append(self.t("drill.comment", comment=self._in(node.comment)))
        options = [(c.key, self._in(c.text)) for c in node.choice]
        lines += [self.t("session.option", number=k, text=v) for k, v in options]
        limit = self._limit()
        if limit:
            lines.append(self.t("drill.seconds", seconds=limit))
        body = "\n".join(line for line in lines if line)
        return Prompt(
            "drill",
            tuple(line for line in lines if line),
            Expectation(self._options(), DRILL_INTENTS),
            title=self._in(self.drill.title),
            body=body,
            choices=tuple(options),
            hint=self.t("drill.hint"),
            slow=slow,
            step=self._moves(),
            steps=len(self.drill.node),
            gauges=self._gauges(),
            seconds=limit,
        )

    def _confirm_prompt(self, decision: Decision) -> Prompt:
        option = next((o for o in self._options() if o.key == decision.key), None)
        if decision.intent == "choice" and option is not None:
            meaning = option.text_in(self.language)
        else:
            meaning = self.t(f"session.intent.{decision.intent}")
        line = self.t("session.confirm", answer=meaning)
        expect = Expectation(self._options(), CONFIRM_INTENTS)
        return Prompt(
            "confirm",
            (line,),
            expect,
            body=line,
            hint=self.t("session.yes_no_hint"),
            gauges=self._gauges(),
        )

    def _debrief_prompt(self) -> Prompt:
        lines = [self._in(self.scene.node.narration), self.t("drill.debrief")]
        for dim in self.drill.rubric:
            got, best = self.scene.scores.get(dim.id, 0), self.best.get(dim.id, 0)
            lines.append(self.t("drill.dimension", name=self._in(dim.name), got=got, best=best))
        nodes = {n.id: n for n in self.drill.node}
        for node_id, choice in self.chosen:
            if isinstance(choice, Hesitation):
                node = nodes[node_id]
                lines.append(
                    self.t(
                        "drill.waited",
                        situation=self._in(node.comment or node.narration),
                        why=self._in(choice.why),
                    )
                )
                continue
            better = max(nodes[node_id].choice, key=lambda c: sum(c.score.values()))
            if sum(better.score.values()) > sum(choice.score.values()):
                lines.append(
                    self.t(
                        "drill.better",
                        chose=self._in(choice.text),
                        better=self._in(better.text),
                        why=self._in(better.feedback),
                    )
                )
        options = (
            (AGAIN_SAME, self.t("drill.again_same")),
            (AGAIN_NEW, self.t("drill.again_new")),
            (DONE, self.t("drill.done")),
        )
        lines += [self.t("session.option", number=k, text=v) for k, v in options]
        expect = Expectation(
            tuple(Option(k, ((self.language, v),)) for k, v in options),
            ("next", "home", "quit", "repeat", "help"),
        )
        return Prompt(
            "debrief",
            tuple(lines),
            expect,
            title=self._in(self.drill.title),
            body="\n".join(lines),
            choices=options,
            gauges=self._gauges(),
        )

    def _plain(self, kind: str, lines: list[str]) -> Prompt:
        return Prompt(kind, tuple(lines), Expectation(), body="\n".join(lines))

    @staticmethod
    def _with(prompt: Prompt, before: list[str]) -> Prompt:
        return replace(prompt, lines=tuple(x for x in before if x) + prompt.lines)
