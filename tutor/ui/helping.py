"""Help across the room, as both front ends hand it to the helpline.

The large-print app and the voice-only mode write a turn the same way: every record to the
log, except a help request, which goes through the helpline so it also reaches the mentor's
console at once with what the learner was shown and what they said; and after each prompt
both tell the mentor's session view where the learner is. No screen, no speech engine.
"""

from collections.abc import Sequence
from typing import Any

from tutor.progress import events as ev
from tutor.progress.helpline import Helpline
from tutor.session.turns import Prompt, Record
from tutor.ui.journal import Journal

ASKING_BACK = ("confirm", "scan")
"""Prompts that only ask back about an answer: the mentor wants the moment before them."""


def asked_about(prompt: Prompt) -> bool:
    """Whether an answer to `prompt` is what the learner was doing (not a "did you mean")."""
    return prompt.kind not in ASKING_BACK


def shown(prompt: Prompt) -> str:
    """The prompt as the mentor reads it: title and body, else its lines."""
    return " ".join(part for part in (prompt.title, prompt.body) if part) or " ".join(prompt.lines)


def write_turn(
    helpline: Helpline,
    journal: Journal,
    records: Sequence[Record],
    prompt: Prompt,
    heard: str,
    name: str | None,
) -> None:
    journal.write([r for r in records if r.type != ev.HELP_REQUESTED])
    for record in records:
        if record.type == ev.HELP_REQUESTED:
            helpline.ask(
                journal.log,
                journal.learner,
                record.data,
                prompt=shown(prompt),
                heard=heard,
                name=name,
            )


def tell_where(
    helpline: Helpline, learner: str, name: str | None, runner: Any, prompt: Prompt
) -> None:
    """Tell the mentor's session view which lesson or drill and which step the learner is on."""
    unit = getattr(runner, "lesson", None) or getattr(runner, "drill", None)
    helpline.where(
        learner,
        name,
        getattr(runner, "pack", None),
        getattr(unit, "id", None),
        prompt.step,
        prompt.steps or None,
        shown(prompt),
    )
