"""`tutor` / `tutor learn`: the learner's entry point, with a screen or by voice alone."""

import sys
from pathlib import Path

from tutor.content.strings import Catalog


def run(
    catalog: Catalog,
    voice_only: bool = False,
    voice: str | None = None,
    learner: str | None = None,
    lesson: str | None = None,
    wav_inputs: list[Path] | None = None,
) -> int:
    from tutor.ui.context import LearnerContext

    ctx = LearnerContext()
    problem = _check(ctx, catalog, voice, lesson, wav_inputs or [])
    if problem:
        print(problem)
        return 2
    if learner is not None:
        found = _find_learner(ctx, learner)
        if found is None:
            print(catalog.text("learn.unknown_learner", learner=learner))
            return 2
        learner = found
    if voice_only or not _on_a_terminal():
        from tutor.ui.voice_only import run as run_voice_only

        return run_voice_only(ctx, voice, learner, lesson, wav_inputs or [])
    from tutor.ui.app import run as run_app

    return run_app(ctx, voice, learner, lesson)


def _on_a_terminal() -> bool:
    """A screen needs a terminal; piped or scripted, the tutor speaks and reads lines."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _check(
    ctx, catalog: Catalog, voice: str | None, lesson: str | None, wav_inputs: list[Path]
) -> str | None:
    """A mistake in the command line, said in one line before anything starts."""
    if voice is not None and voice not in ctx.profiles:
        return catalog.text("learn.unknown_voice", voice=voice, known=", ".join(ctx.profiles))
    if lesson is not None and lesson not in ctx.course.lessons:
        known = ", ".join(ctx.course.lessons)
        return catalog.text("learn.unknown_lesson", lesson=lesson, known=known)
    missing = next((p for p in wav_inputs if not p.is_file()), None)
    if missing is not None:
        return catalog.text("learn.no_such_recording", path=missing)
    return None


def _find_learner(ctx, learner: str) -> str | None:
    matches = [i for i, _ in ctx.learners() if i.startswith(learner)]
    return matches[0] if len(matches) == 1 else None
