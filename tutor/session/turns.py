"""What the runner hands back after each thing the learner does: a prompt and log records.

The runner knows no screen, speaker, microphone or file, so everything a front end needs is
in these values: the sentences to speak in order, the text to show, what to listen for, and
the events to append to the learner's log.
"""

from dataclasses import dataclass, field
from typing import Any

from tutor.understand.expectation import Expectation


@dataclass(frozen=True)
class Prompt:
    """One thing the tutor says and then waits on.

    `kind` tells a screen how to lay it out: a lesson step (`say`, `choose`, `practice`,
    `recap`), or a question of the runner's own (`confirm`, `scan`, `quit`, `paused`,
    `summary`). `lines` are spoken in order; `choices` are shown as numbered blocks.
    """

    kind: str
    lines: tuple[str, ...]
    expect: Expectation
    title: str = ""
    body: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    slow: bool = False
    step: int = 0
    steps: int = 0
    gauges: tuple[tuple[str, int, int, int], ...] = ()
    """A drill's live state as (label, value, min, max), for large gauges on screen."""
    seconds: int = 0
    """A time limit for the answer, only in a drill the learner chose to run timed: when it
    passes with nothing said, the host calls the runner's `silence(waited)`. 0: no deadline
    (lessons, menus, and every drill by default)."""


@dataclass(frozen=True)
class Record:
    """An event for the learner's log, before it has an id.

    `ref` numbers the records of one run; an undo names the answer it takes back by that
    number (`undoes`), and the driver that appends them turns it into the answer's event id.
    """

    type: str
    data: dict[str, Any]
    ref: int = 0
    undoes: int | None = None


OUTCOMES = ("continue", "paused", "home", "quit", "done")


@dataclass(frozen=True)
class Turn:
    prompt: Prompt
    records: tuple[Record, ...] = ()
    outcome: str = "continue"
    changes: dict[str, Any] = field(default_factory=dict)
    """Settings the learner asked for on this turn (`{"slower": True}`), for the driver."""
