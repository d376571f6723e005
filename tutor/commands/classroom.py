"""`tutor group LESSON` and `tutor sheet --to FILE`: a mentor's tools for a village session.

Mistakes on the command line are one line in the mentor's language and exit 2, said before
any screen opens. The group screen (Textual) is imported only once it is sure to run.
"""

import argparse
import sys
from datetime import datetime

from tutor.content.strings import Catalog


def run_group(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.ui.context import LearnerContext

    ctx = LearnerContext()
    voice = args.voice or _ui_voice(ctx, catalog.language)
    if voice not in ctx.profiles:
        known = ", ".join(ctx.profiles)
        print(catalog.text("learn.unknown_voice", voice=voice, known=known), file=sys.stderr)
        return 2
    lesson = find_lesson(args.lesson, list(ctx.course.lessons))
    if lesson is None:
        known = ", ".join(ctx.course.lessons)
        print(
            catalog.text("cli.classroom.unknown_lesson", lesson=args.lesson, known=known),
            file=sys.stderr,
        )
        return 2
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(catalog.text("cli.classroom.needs_screen"), file=sys.stderr)
        return 2
    from tutor.classroom.group import run

    return run(ctx, lesson, voice)


def find_lesson(asked: str, known: list[str]) -> str | None:
    """`pack/lesson`, or a lesson id that only one pack has."""
    asked = asked.strip()
    if asked in known:
        return asked
    found = [key for key in known if key.split("/", 1)[1] == asked]
    return found[0] if len(found) == 1 else None


def _ui_voice(ctx, language: str) -> str:
    """The first voice of the mentor's language, as the learner app starts with."""
    choices = ctx.voice_choices()
    return next((c.id for c in choices if c.language == language), choices[0].id)


def run_sheet(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.classroom.sheet import build_sheet, present_learners
    from tutor.classroom.sheet_html import render_sheet
    from tutor.progress.course import course_from_packs, usable_packs
    from tutor.progress.home import write_atomically
    from tutor.progress.records import LearnerAmbiguous, LearnerNotFound, all_events
    from tutor.progress.snapshot import load_progress

    progress = load_progress()
    events = list(all_events())
    now = datetime.now().astimezone()
    village = args.village.strip() if args.village else None
    try:
        learners = present_learners(progress, events, args.learners, village, now)
    except LearnerNotFound as missing:
        print(catalog.text("cli.classroom.unknown_learner", learner=missing), file=sys.stderr)
        return 2
    except LearnerAmbiguous as many:
        print(catalog.text("cli.classroom.ambiguous_learner", learner=many), file=sys.stderr)
        return 2
    packs = usable_packs()
    sheet = build_sheet(
        progress, events, course_from_packs(packs), packs, learners, village, catalog, now
    )
    write_atomically(args.to, render_sheet(sheet, catalog).encode())
    print(catalog.text("cli.classroom.written", path=args.to))
    return 0
