"""A drill's live-stream scene as a simulation: state, seeded events, endings and scores.

Pure and deterministic: the same drill, seed and choices always give the same story, so
"try again with the same seed" replays the same stream, undo is a step back in a list of
snapshots, and the checker can walk every path.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from tutor.content.schema import Drill, DrillChoice, DrillEvent, DrillNode


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
    _rng: random.Random = field(default_factory=random.Random)

    @classmethod
    def open(cls, drill: Drill, seed: int | None = None) -> "Scene":
        scene = cls(drill, drill.seed if seed is None else seed)
        scene._rng = random.Random(f"{drill.id}:{scene.seed}")
        scene.state = {var.name: var.start for var in drill.state}
        scene.scores = {dim.id: 0 for dim in drill.rubric}
        scene.happened = scene._arrive(drill.start)
        return scene

    @property
    def node(self) -> DrillNode:
        return self.nodes[self.node_id]

    @property
    def nodes(self) -> dict[str, DrillNode]:
        return {n.id: n for n in self.drill.node}

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

    def copy(self) -> "Scene":
        twin = Scene(
            self.drill,
            self.seed,
            self.node_id,
            dict(self.state),
            list(self.path),
            dict(self.scores),
            list(self.happened),
            list(self.out_of_range),
        )
        twin._rng.setstate(self._rng.getstate())
        return twin

    def _arrive(self, node_id: str) -> list[Happening]:
        self.node_id = node_id
        fired = []
        if self.ended:
            return fired
        for event in self.drill.event:
            if (not event.at or node_id in event.at) and self._rng.random() < event.chance:
                fired.append(Happening(event))
                self._apply(event.effects, f"{node_id}!{event.id}")
        for ending in self.drill.ending:
            value = self.state[ending.state]
            crossed = (ending.below is not None and value < ending.below) or (
                ending.above is not None and value > ending.above
            )
            if crossed:
                self.node_id = ending.node
                break
        return fired

    def _apply(self, effects: dict[str, int], where: str) -> None:
        """Move the state, kept inside its range; a move past the range is noted for the
        checker (content that does that has a range or an ending wrong)."""
        limits = {var.name: (var.min, var.max) for var in self.drill.state}
        for name, delta in effects.items():
            low, high = limits[name]
            moved = self.state[name] + delta
            if moved < low or moved > high:
                self.out_of_range.append(f"{where}: {name} {moved}")
            self.state[name] = min(high, max(low, moved))


def walk(drill: Drill, seed: int, limit: int = 10_000) -> Iterator[Scene]:
    """Every finished path through the drill for one seed, depth first."""
    stack = [Scene.open(drill, seed)]
    seen = 0
    while stack and seen < limit:
        scene = stack.pop()
        if scene.ended or not scene.node.choice:
            seen += 1
            yield scene
            continue
        if len(scene.path) > len(drill.node):
            yield scene  # a loop: the checker reports a path that never ends
            continue
        for choice in reversed(scene.node.choice):
            twin = scene.copy()
            twin.choose(choice.key)
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
