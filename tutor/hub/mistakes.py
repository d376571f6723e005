"""The drill mistakes a county makes most: a choice worth less than the best one at its node.

A drill run is logged as its path (the choice keys in order) and its seed, not as the nodes
it passed: seeded events and threshold endings can move a scene elsewhere, so the nodes are
found by replaying the path through the drill's own scene with that seed (content/scene.py,
the same code the learner played). At each node the choice taken is compared with the best
choice there by total rubric points, as the debrief does; a lower one is a mistake. A run of
a drill that is not in the packs any more, or whose path no longer fits the drill (the drill
was edited since), is left out rather than guessed at.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from tutor.content.scene import WAITED, Scene
from tutor.content.schema import Drill, DrillChoice


@dataclass(frozen=True, order=True)
class Mistake:
    drill: str  # pack/drill
    node: str
    chose: str  # choice key taken
    better: str  # key of the best choice at that node


def _points(choice: DrillChoice) -> int:
    return sum(choice.score.values())


def run_mistakes(
    drill: Drill, drill_key: str, path: Iterable[str], seed: int | None
) -> list[Mistake]:
    """Every mistake on one run's path, in order; [] when the path does not replay."""
    scene = Scene.open(drill, seed)
    found = []
    for key in path:
        if scene.ended:
            return []
        if key == WAITED:  # a timed run's silence: no choice to weigh, but the state moved
            if scene.wait() is None:
                return []
            continue
        node = scene.node
        if not node.choice:
            return []
        best = max(node.choice, key=_points)
        chosen = scene.choose(key)
        if chosen is None:
            return []
        if _points(chosen) < _points(best):
            found.append(Mistake(drill_key, node.id, chosen.key, best.key))
    return found


def common_mistakes(
    runs: Iterable[tuple[str, tuple[str, ...], int | None]], drills: dict[str, Drill]
) -> Counter[Mistake]:
    """How often each mistake was made over runs given as (pack/drill, path, seed)."""
    counts: Counter[Mistake] = Counter()
    for drill_key, path, seed in runs:
        drill = drills.get(drill_key)
        if drill is not None:
            counts.update(run_mistakes(drill, drill_key, path, seed))
    return counts
