"""What `tutor lessons check` proves about a drill: a scene that always makes sense.

Structure first (ids, references, rubric lines, state names, end nodes, no loops), checked
whenever a pack loads; then, by the checker alone (it takes a while), by walking
every path for a few seeds, that every node is reachable, every path ends, the state stays
in its range, and the best path scores higher than the worst. The walk includes timed mode:
at every moment with a time limit, letting the time run out is one more branch.
"""

from tutor.content.problems import Problem
from tutor.content.scene import total, walk
from tutor.content.schema import Drill, DrillNode

SEEDS = (1, 2, 3, 4, 5)


def check_paths(name: str, drill: Drill) -> list[Problem]:
    """The walk over every path: only `tutor lessons check` pays for it, never a start-up,
    and only for a drill whose structure holds."""
    return [] if check_structure(name, drill) else _paths(name, drill)


def check_structure(name: str, drill: Drill) -> list[Problem]:
    problems = []
    nodes = {n.id for n in drill.node}
    states = {s.name for s in drill.state}
    dims = {d.id for d in drill.rubric}
    seen: set[str] = set()
    for i, node in enumerate(drill.node):
        where = f"node[{i + 1}]"
        if node.id in seen:
            problems.append(Problem(name, f"{where}.id", f"duplicate node '{node.id}'"))
        seen.add(node.id)
        if node.end and node.choice:
            problems.append(Problem(name, where, "an end node has no choices"))
        if not node.end and len(node.choice) < 2:
            problems.append(Problem(name, where, "a node that is not an end needs 2 choices"))
        problems += _timing(name, where, node, drill, states)
        keys = [c.key for c in node.choice]
        if len(set(keys)) != len(keys):
            problems.append(Problem(name, where, "choice keys repeat"))
        for j, choice in enumerate(node.choice):
            at = f"{where}.choice[{j + 1}]"
            if choice.next not in nodes:
                problems.append(Problem(name, f"{at}.next", f"no node '{choice.next}'"))
            problems += _names(name, f"{at}.effects", choice.effects, states, "state")
            problems += _names(name, f"{at}.score", choice.score, dims, "rubric line")
    if drill.hesitate is not None:
        problems += _names(name, "hesitate.effects", drill.hesitate.effects, states, "state")
    for i, event in enumerate(drill.event):
        where = f"event[{i + 1}]"
        problems += _names(name, f"{where}.effects", event.effects, states, "state")
        problems += [
            Problem(name, f"{where}.at", f"no node '{n}'") for n in event.at if n not in nodes
        ]
    for i, ending in enumerate(drill.ending):
        where = f"ending[{i + 1}]"
        if ending.state not in states:
            problems.append(Problem(name, f"{where}.state", f"no state '{ending.state}'"))
        target = next((n for n in drill.node if n.id == ending.node), None)
        if target is None or not target.end:
            problems.append(Problem(name, f"{where}.node", f"'{ending.node}' is not an end node"))
    if drill.start not in nodes:
        problems.append(Problem(name, "start", f"no node '{drill.start}'"))
    elif not problems:
        loop = _loop(drill)
        if loop:
            problems.append(Problem(name, "node", f"a path never ends: {' > '.join(loop)}"))
    for i, var in enumerate(drill.state):
        if not var.min <= var.start <= var.max:
            problems.append(Problem(name, f"state[{i + 1}].start", "outside min..max"))
    return problems


def _timing(
    name: str, where: str, node: DrillNode, drill: Drill, states: set[str]
) -> list[Problem]:
    """A time limit needs a cost for letting it pass, and an end node has neither."""
    if node.end and (node.seconds is not None or node.hesitate is not None):
        return [Problem(name, where, "an end node has no time limit and no hesitate")]
    if node.seconds is not None and node.hesitate is None and drill.hesitate is None:
        return [
            Problem(
                name,
                f"{where}.seconds",
                "no hesitate here or for the drill: say what waiting costs",
            )
        ]
    if node.hesitate is None:
        return []
    return _names(name, f"{where}.hesitate.effects", node.hesitate.effects, states, "state")


def _loop(drill: Drill) -> list[str]:
    """A cycle of nodes reachable from the start, if any (a scene must always end)."""
    following = {n.id: [c.next for c in n.choice] for n in drill.node}
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> list[str]:
        if node in trail:
            return [*trail[trail.index(node) :], node]
        if node in done:
            return []
        for nxt in following.get(node, []):
            found = visit(nxt, [*trail, node])
            if found:
                return found
        done.add(node)
        return []

    return visit(drill.start, [])


def _names(name: str, where: str, table: dict, known: set[str], what: str) -> list[Problem]:
    return [Problem(name, where, f"no {what} '{key}'") for key in table if key not in known]


def _paths(name: str, drill: Drill) -> list[Problem]:
    problems: list[Problem] = []
    reached: set[str] = set()
    totals: list[int] = []
    for seed in dict.fromkeys((drill.seed, *SEEDS)):
        for scene in walk(drill, seed, timed=True, reached=reached):
            if not scene.ended:
                route = " > ".join(scene.path)
                problems.append(Problem(name, "node", f"a path never ends: {route}"))
                return problems
            if scene.out_of_range:
                first = scene.out_of_range[0]
                problems.append(Problem(name, "state", f"leaves its range (seed {seed}): {first}"))
                return problems
            totals.append(total(scene))
    unreached = [n.id for n in drill.node if n.id not in reached]
    if unreached:
        problems.append(Problem(name, "node", f"never reached: {', '.join(unreached)}"))
    if totals and max(totals) <= min(totals):
        problems.append(Problem(name, "rubric", "the best path scores no higher than the worst"))
    return problems
