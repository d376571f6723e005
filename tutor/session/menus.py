"""The questions around lessons: which language, which learner, what to learn now.

Like the lesson runner these are prompts, not screens, so the large-print app and the
voice-only mode ask them the same way. Each option of the language question is spoken in
its own language ("普通话请按1", "조선말은 4번"), since the learner's language is not yet known.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.progress.model import LearnerState
from tutor.session.turns import Prompt
from tutor.understand.expectation import Expectation, Option

if TYPE_CHECKING:  # the course is read from files by the driver, never here
    from tutor.progress.course import Course

Text = Callable[..., str]
MENU_INTENTS = ("repeat", "help", "quit", "next", "back")


@dataclass(frozen=True)
class VoiceChoice:
    """A voice profile offered on first run: its id, language and name in that language."""

    id: str
    language: str
    name: str


def language_prompt(voices: Sequence[VoiceChoice], texts: dict[str, Text]) -> Prompt:
    lines, choices, options = [], [], []
    for n, voice in enumerate(voices, 1):
        key = str(n)
        lines.append(texts[voice.language]("menu.pick_language", name=voice.name, number=key))
        choices.append((key, voice.name))
        options.append(Option(key, ((voice.language, voice.name),)))
    expect = Expectation(tuple(options), ("repeat", "quit"))
    return Prompt("language", tuple(lines), expect, body="\n".join(lines), choices=tuple(choices))


def learner_prompt(learners: Sequence[tuple[str, str]], text: Text) -> Prompt:
    """Learners of this device by number and by name (a shared phone in one family)."""
    choices = tuple((str(n), name) for n, (_, name) in enumerate(learners, 1))
    options = tuple(
        Option(key, tuple((lang, name) for lang in ("zh", "ko", "ug"))) for key, name in choices
    )
    lines = [text("menu.who"), *(text("session.option", number=k, text=v) for k, v in choices)]
    return Prompt(
        "learner", tuple(lines), Expectation(options, MENU_INTENTS), body=lines[0], choices=choices
    )


@dataclass(frozen=True)
class HomeItem:
    action: str  # "continue" or "lesson"
    lesson: str  # "pack/lesson"
    step: int = 0


def home_items(state: LearnerState | None, course: "Course") -> list[HomeItem]:
    """Continue where the learner left off (first), then every lesson in teaching order."""
    items = []
    resume = where_to_resume(state, course)
    if resume is not None:
        items.append(HomeItem("continue", *resume))
    items += [HomeItem("lesson", key) for key in course.lessons]
    return items


def home_prompt(items: Sequence[HomeItem], course: "Course", language: str, text: Text) -> Prompt:
    choices, options = [], []
    for n, item in enumerate(items, 1):
        titles = dict(course.lessons[item.lesson].title or {})
        name = titles.get(language) or titles.get("zh") or item.lesson
        label = text("menu.continue", title=name) if item.action == "continue" else name
        choices.append((str(n), label))
        options.append(Option(str(n), ((language, label),)))
    lines = [text("menu.home"), *(text("session.option", number=k, text=v) for k, v in choices)]
    expect = Expectation(tuple(options), MENU_INTENTS)
    return Prompt("home", tuple(lines), expect, body=lines[0], choices=tuple(choices))


def where_to_resume(state: LearnerState | None, course: "Course") -> tuple[str, int] | None:
    """The lesson left open most recently and its step; else the first one not yet done."""
    if state is None:
        return None
    open_runs = [
        (record.resume[0], key, int(record.resume[1]))
        for key, record in state.lessons.items()
        if key in course.lessons and record.runs and record.runs[-1].completed is None
    ]
    if open_runs:
        _, key, step = max(open_runs)
        return key, min(step, course.lessons[key].steps - 1)
    done = {key for key, record in state.lessons.items() if any(r.completed for r in record.runs)}
    if not done:
        return None
    return next(((key, 0) for key in course.lessons if key not in done), None)
