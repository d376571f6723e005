"""`tutor drill list` and `tutor drill run ID`: scenario drills from the command line.

A mentor runs a live-stream drama workshop from here: the scene is spoken (or printed where
no speech engine works) and answered by voice or number keys, exactly as in the app.
`--timed` adds the live stream's pressure (off by default: elders take their time), and
`--lessons` runs a drill from packs elsewhere, such as one a mentor is still writing.
"""

import sys
from pathlib import Path

from tutor.content.strings import Catalog


def list_drills(catalog: Catalog, lessons: Path | None = None) -> int:
    from tutor.ui.context import LearnerContext

    if _missing(lessons, catalog):
        return 2
    ctx = LearnerContext(lessons)
    lang = catalog.language
    for pack_id, pack in ctx.packs.items():
        for drill_id, drill in pack.drills.items():
            title = drill.title.get(lang) or drill.title["zh"]
            variant = drill.variant.get(lang) or drill.variant.get("zh") if drill.variant else ""
            line = f"{pack_id}/{drill_id}  {title}"
            print(f"{line}（{variant}）" if variant else line)
    return 0


def run_drill(
    drill: str,
    voice: str | None,
    learner: str | None,
    seed: int | None,
    catalog: Catalog,
    wav_inputs: list | None = None,
    timed: bool = False,
    lessons: Path | None = None,
) -> int:
    from tutor.session.drill import DrillRunner
    from tutor.ui.context import LearnerContext
    from tutor.ui.voice_only import VoiceOnly, play

    if _missing(lessons, catalog):
        return 2
    ctx = LearnerContext(lessons)
    found = _find(ctx, drill)
    if found is None:
        known = ", ".join(f"{p}/{d}" for p, pack in ctx.packs.items() for d in pack.drills)
        print(catalog.text("drills.unknown", drill=drill, known=known), file=sys.stderr)
        return 2
    pack_id, drill_id = found
    voice = voice or _default_voice(ctx, catalog.language)
    if voice not in ctx.profiles:
        print(catalog.text("learn.unknown_voice", voice=voice, known=", ".join(ctx.profiles)))
        return 2
    tutor = VoiceOnly(ctx, voice, sys.stdin, print, wav_inputs or [])
    try:
        learner = learner or _learner(ctx, tutor)
        runner = DrillRunner(
            ctx.packs[pack_id].drills[drill_id], pack_id, tutor.language, tutor.text, seed, timed
        )
        play(ctx, tutor, learner, runner, ctx.journal(learner))
        return 0
    finally:
        tutor.close()
        ctx.close()


def _missing(lessons: Path | None, catalog: Catalog) -> bool:
    """`--lessons` names no folder: one line saying so, not a traceback."""
    if lessons is None or lessons.is_dir():
        return False
    print(catalog.text("drills.no_lessons", path=lessons), file=sys.stderr)
    return True


def _find(ctx, drill: str) -> tuple[str, str] | None:
    matches = [
        (p, d) for p, pack in ctx.packs.items() for d in pack.drills if drill in (d, f"{p}/{d}")
    ]
    return matches[0] if len(matches) == 1 else None


def _default_voice(ctx, language: str) -> str:
    return language if language in ctx.profiles else "zh"


def _learner(ctx, tutor) -> str:
    learners = ctx.learners()
    if learners:
        return learners[0][0]
    return ctx.enrol(tutor.text("menu.new_learner"), tutor.language, tutor.voice)
