"""A drill's live-stream scene as a simulation: state, seeded events, endings and scores.

Pure and deterministic: the same drill, seed and choices always give the same story, so
"try again with the same seed" replays the same stream, undo is a step back in a list of
snapshots, and the checker can walk every path.

In timed mode a moment can also pass with nothing said: `wait()` applies what hesitation
costs there and keeps the scene at the same moment, untimed from then on (one wait per
moment, so a scene still always ends). A wait is `WAITED` in the path, so a logged run
replays exactly, waits and all.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from tutor.content.schema import Drill, DrillChoice, DrillEvent, DrillNode, Hesitation

WAITED = "wait"
"""The path's mark for a moment the seller let pass in silence (choice keys are digits)."""


@dataclass(frozen=True)
class Happening:
    """An event that fired on arrival at a node."""

    event: DrillEvent


@dataclass
class Scene:
    drill: Drill
    seed: int
    node_id: str = ""
    state: dict[str, int] = field(default_factory=dict)
    path: list[str] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)
    happened: list[Happening] = field(default_factory=list)
    out_of_range: list[str] = field(default_factory=list)
    _rng: random.Random = field(default_factory=lambda: random.Random(0))
    _nodes: dict[str, DrillNode] = field(default_factory=dict, repr=False)
    _limits: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, drill: Drill, seed: int | None = None) -> "Scene":
        scene = cls(drill, drill.seed if seed is None else seed)
        scene._rng = random.Random(f"{drill.id}:{scene.seed}")
        scene._nodes = {n.id: n for n in drill.node}
        scene._limits = {var.name: (var.min, var.max) for var in drill.state}
        scene.state = {var.name: var.start for var in drill.state}
        scene.scores = {dim.id: 0 for dim in drill.rubric}
        scene.happened = scene._arrive(drill.start)
        return scene

    @property
    def node(self) -> DrillNode:
        return self.nodes[self.node_id]

    @property
    def nodes(self) -> dict[str, DrillNode]:
        return self._nodes

    @property
    def ended(self) -> bool:
        return self.node.end

    def choose(self, key: str) -> DrillChoice | None:
        """Take the choice with `key` at this node; None if there is no such choice."""
        choice = next((c for c in self.node.choice if c.key == key), None)
        if choice is None or self.ended:
            return None
        self.path.append(key)
        self._apply(choice.effects, f"{self.node_id}.{key}")
        for dim, points in choice.score.items():
            self.scores[dim] = self.scores.get(dim, 0) + points
        self.happened = self._arrive(choice.next)
        return choice

    @property
    def hesitation(self) -> Hesitation | None:
        """What waiting costs at this moment; None where waiting is free (an end, a drill
        without `hesitate`, or a moment already waited out once)."""
        if self.ended or (self.path and self.path[-1] == WAITED):
            return None
        return self.node.hesitate or self.drill.hesitate

    @property
    def seconds(self) -> int:
        """The time limit here in timed mode; 0 where nothing is timed."""
        if self.hesitation is None:
            return 0
        return self.node.seconds or self.drill.seconds

    def wait(self) -> Hesitation | None:
        """The time ran out with nothing said: pay for the hesitation and stay here (an
        `[[ending]]` may still end the scene). None, changing nothing, where waiting is free."""
        hesitation = self.hesitation
        if hesitation is None:
            return None
        self.path.append(WAITED)
        self._apply(hesitation.effects, f"{self.node_id}.{WAITED}")
        self.happened = []
        self._end_if_crossed()
        return hesitation

    def replay(self, key: str) -> bool:
        """One logged step, a choice key or a wait; False when it does not fit the drill."""
        if key == WAITED:
            return self.wait() is not None
        return self.choose(key) is not None

    def copy(self) -> "Scene":
        rng = random.Random.__new__(random.Random)  # not seeded: the state is copied below
        rng.setstate(self._rng.getstate())
        return Scene(
            self.drill,
            self.seed,
            self.node_id,
            dict(self.state),
            list(self.path),
            dict(self.scores),
            list(self.happened),
            list(self.out_of_range),
            rng,
            self._nodes,
            self._limits,
        )

    def _arrive(self, node_id: str) -> list[Happening]:
        self.node_id = node_id
        fired = []
        if self.ended:
            return fired
        for event in self.drill.event:
            if (not event.at or node_id in event.at) and self._rng.random() < event.chance:
                fired.append(Happening(event))
                self._apply(event.effects, f"{node_id}!{event.id}")
        self._end_if_crossed()
        return fired

    def _end_if_crossed(self) -> None:
        for ending in self.drill.ending:
            value = self.state[ending.state]
            crossed = (ending.below is not None and value < ending.below) or (
                ending.above is not None and value > ending.above
            )
            if crossed:
                self.node_id = ending.node
                return

    def _apply(self, effects: dict[str, int], where: str) -> None:
        """Move the state, kept inside its range; a move past the range is noted for the
        checker (content that does that has a range or an ending wrong)."""
        for name, delta in effects.items():
            low, high = self._limits[name]
            moved = self.state[name] + delta
            if moved < low or moved > high:
                self.out_of_range.append(f"{where}: {name} {moved}")
            self.state[name] = min(high, max(low, moved))


def walk(
    drill: Drill,
    seed: int,
    limit: int = 10_000,
    timed: bool = False,
    reached: set[str] | None = None,
) -> Iterator[Scene]:
    """Every finished path through the drill for one seed, depth first; `timed` adds, at
    every moment with a time limit, the branch where the seller lets the time run out.
    `reached` collects every node any path passes (the checker's reachability)."""
    stack = [Scene.open(drill, seed)]
    seen = 0
    if reached is not None:
        reached.add(drill.start)
    while stack and seen < limit:
        scene = stack.pop()
        if reached is not None:
            reached.add(scene.node_id)
        if scene.ended or not scene.node.choice:
            seen += 1
            yield scene
            continue
        if sum(key != WAITED for key in scene.path) > len(drill.node):
            yield scene  # a loop: the checker reports a path that never ends
            continue
        for choice in reversed(scene.node.choice):
            twin = scene.copy()
            twin.choose(choice.key)
            stack.append(twin)
        if timed and scene.hesitation is not None:
            twin = scene.copy()
            twin.wait()
            stack.append(twin)


def total(scene: Scene) -> int:
    return sum(scene.scores.values())


def best_scores(drill: Drill, seeds: tuple[int, ...] = (1, 2, 3)) -> dict[str, int]:
    """The most each rubric line can score, over every path (H5P's branching scoring)."""
    best = {dim.id: 0 for dim in drill.rubric}
    for seed in dict.fromkeys((drill.seed, *seeds)):
        for scene in walk(drill, seed):
            for dim, points in scene.scores.items():
                best[dim] = max(best.get(dim, 0), points)
    return best
