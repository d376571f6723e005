"""The questions around lessons: which language, which learner, what to learn or practise now.

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
DRILL_MENU_INTENTS = (*MENU_INTENTS, "home")
DRILLS_AT = 4
"""The drills' place on the home menu: the last block of the first page, so a mentor can
say "press 4 to practise a live stream" whether or not there is a lesson to continue."""


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
    action: str  # "continue", "review", "lesson" or "drills"
    lesson: str = ""  # "pack/lesson"; empty for the drills
    step: int = 0


def home_items(
    state: LearnerState | None, course: "Course", drills: bool = False, review: str | None = None
) -> list[HomeItem]:
    """Continue where the learner left off (first), then the lesson to `review` when a skill
    is fading, then every lesson in teaching order; with `drills` (a front end that can run
    them) and drills in the course, the drills at `DRILLS_AT`."""
    items = []
    resume = where_to_resume(state, course)
    if resume is not None:
        items.append(HomeItem("continue", *resume))
    if review is not None:
        items.append(HomeItem("review", review))
    items += [HomeItem("lesson", key) for key in course.lessons]
    if drills and course.drills:
        items.insert(min(DRILLS_AT - 1, len(items)), HomeItem("drills"))
    return items


def home_prompt(items: Sequence[HomeItem], course: "Course", language: str, text: Text) -> Prompt:
    choices, aliases = [], {}
    for n, item in enumerate(items, 1):
        if item.action == "drills":
            label = text("home.drills")
            aliases[str(n)] = tuple(w for w in text("home.drills_words").split("|") if w)
        else:
            name = _title(course.lessons[item.lesson].title, language, item.lesson)
            label = text(f"menu.{item.action}", title=name) if item.action != "lesson" else name
        choices.append((str(n), label))
    return _menu("home", text("menu.home"), choices, language, MENU_INTENTS, text, aliases)


def drill_prompt(drills: Sequence[str], course: "Course", language: str, text: Text) -> Prompt:
    """Which drill (`pack/drill` keys, in the course's order); `back` or `home` goes home."""
    choices = [
        (str(n), _title(course.drills[key], language, key)) for n, key in enumerate(drills, 1)
    ]
    return _menu("drills", text("home.which_drill"), choices, language, DRILL_MENU_INTENTS, text)


def _menu(
    kind: str,
    question: str,
    choices: Sequence[tuple[str, str]],
    language: str,
    intents: tuple[str, ...],
    text: Text,
    aliases: dict[str, tuple[str, ...]] | None = None,
) -> Prompt:
    """A question, then its choices said one by one; each choice answers to its label and
    to its short names in `aliases` ("练一练" for the drills)."""
    aliases = aliases or {}
    options = tuple(
        Option(key, ((language, label),), ((language, aliases[key]),) if key in aliases else ())
        for key, label in choices
    )
    lines = [question, *(text("session.option", number=k, text=v) for k, v in choices)]
    expect = Expectation(options, intents)
    return Prompt(kind, tuple(lines), expect, body=question, choices=tuple(choices))


def _title(titles: dict[str, str] | None, language: str, fallback: str) -> str:
    titles = dict(titles or {})
    return titles.get(language) or titles.get("zh") or fallback


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
