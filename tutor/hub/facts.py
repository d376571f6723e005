"""What reports need from the raw events that the learner model does not keep.

The fold (tutor.progress.model) keeps what a learner's own views need. A coordinator also
asks when each device was last heard from, what each drill run scored on each rubric line
and which way it went (its `seed` and `scores`), and when and where help was asked for.
This is one streaming pass over events in any order, with repeats (the same device and
seq met twice, as a hub receiving a bundle again may give them) counted once, so a hub can
feed it rows from its database as well as the CLI from the logs on disk.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tutor.progress import events as ev
from tutor.progress.events import Event


@dataclass(frozen=True)
class DrillResult:
    learner: str
    at: str
    drill: str  # pack/drill
    path: tuple[str, ...]
    seed: int | None
    score: float
    max: float | None
    scores: dict[str, Any]


@dataclass(frozen=True)
class HelpAsked:
    id: str
    learner: str
    at: str
    lesson: str | None  # pack/lesson
    step: int | None


@dataclass
class Facts:
    device_last: dict[str, str] = field(default_factory=dict)
    device_learners: dict[str, set[str]] = field(default_factory=dict)
    drills: list[DrillResult] = field(default_factory=list)
    help_asked: dict[str, HelpAsked] = field(default_factory=dict)
    help_answered: set[str] = field(default_factory=set)

    def open_help(self) -> list[HelpAsked]:
        """Requests nobody answered yet, oldest first."""
        waiting = [h for h in self.help_asked.values() if h.id not in self.help_answered]
        return sorted(waiting, key=lambda h: (h.at, h.id))


class _Seen:
    """Which (device, seq) were met, one bit each: a county's million events cost ~125 kB
    instead of a set of a million tuples."""

    LIMIT = 1 << 27  # beyond this a seq is odd enough to be kept in a plain set

    def __init__(self) -> None:
        self._bits: dict[str, bytearray] = {}
        self._odd: set[tuple[str, object]] = set()

    def first_time(self, device: str, seq: int) -> bool:
        if type(seq) is not int or not 0 <= seq < self.LIMIT:
            slot = (device, seq)
            fresh = slot not in self._odd
            self._odd.add(slot)
            return fresh
        bits = self._bits.setdefault(device, bytearray())
        byte, bit = divmod(seq, 8)
        if byte >= len(bits):
            bits.extend(bytes(byte + 1 - len(bits) + len(bits) // 2))
        if bits[byte] >> bit & 1:
            return False
        bits[byte] |= 1 << bit
        return True


def gather(events: Iterable[Event]) -> Facts:
    facts = Facts()
    seen = _Seen()
    for event in events:
        if seen.first_time(event["device"], event["seq"]):
            _take(facts, event)
    facts.drills.sort(key=lambda d: (d.at, d.learner, d.drill))
    return facts


def _take(facts: Facts, event: Event) -> None:
    device, at, learner = event["device"], event["at"], event["learner"]
    if at > facts.device_last.get(device, ""):
        facts.device_last[device] = at
    facts.device_learners.setdefault(device, set()).add(learner)
    kind, data = event["type"], event["data"]
    if kind == ev.DRILL_FINISHED:
        facts.drills.append(_drill(event))
    elif kind == ev.HELP_REQUESTED:
        pack, lesson = data.get("pack"), data.get("lesson")
        step = data.get("step")
        facts.help_asked[event["id"]] = HelpAsked(
            event["id"],
            learner,
            at,
            f"{pack}/{lesson}" if pack and lesson else None,
            step if type(step) is int else None,
        )
    elif kind == ev.HELP_ANSWERED:
        facts.help_answered.add(str(data.get("request")))


def _drill(event: Event) -> DrillResult:
    data = event["data"]
    seed = data.get("seed")
    top = data.get("max")
    scores = data.get("scores")
    return DrillResult(
        learner=event["learner"],
        at=event["at"],
        drill=f"{data.get('pack')}/{data.get('drill')}",
        path=tuple(str(key) for key in data.get("path", [])),
        seed=seed if type(seed) is int else None,
        score=float(data.get("score", 0)),
        max=float(top) if isinstance(top, int | float) and not isinstance(top, bool) else None,
        scores=dict(scores) if isinstance(scores, dict) else {},
    )
