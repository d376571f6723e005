"""`tutor lessons|voices|strings check|list`: validate content and say what is wrong."""

import sys
from pathlib import Path

from tutor.content.paths import lessons_dir, voices_dir
from tutor.content.problems import Problem, Severity
from tutor.content.reading import display_path
from tutor.content.strings import Catalog


def report(problems: list[Problem], strict: bool, catalog: Catalog) -> int:
    """Problems one per line on stdout, a summary on stderr; exit 1 on any error."""
    for problem in problems:
        print(problem.line())
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    failed = errors > 0 or (strict and warnings > 0)
    key = "check.failed" if failed else "check.passed"
    print(catalog.text(key, errors=errors, warnings=warnings), file=sys.stderr)
    return 1 if failed else 0


def _missing(path: Path, catalog: Catalog) -> int:
    print(f"{display_path(path)}: {catalog.text('check.not_found')}")
    return 1


def check_lessons(path: Path | None, voices: Path | None, strict: bool, catalog: Catalog) -> int:
    from tutor.content.packs import find_packs, read_pack
    from tutor.content.strings import check_strings
    from tutor.content.voices import load_profiles

    root = path or lessons_dir()
    if not root.exists():
        return _missing(root, catalog)
    voice_root = voices or voices_dir()
    if not voice_root.exists():
        return _missing(voice_root, catalog)
    profiles, voice_problems = load_profiles(voice_root)
    problems: list[Problem] = []
    if any(p.severity is Severity.ERROR for p in voice_problems):
        # Aliases are checked against the profiles' command words: with a broken profile
        # that check would pass silently, so the check itself fails and says where to look.
        problems.append(
            Problem(
                display_path(voice_root),
                "",
                "voice profiles have errors, so aliases "
                "were not checked against them: run tutor voices check",
            )
        )
    subwords = None
    for pack_root in find_packs(root):
        pack, found = read_pack(pack_root, profiles)
        problems += found
        sound = not any(p.severity is Severity.ERROR for p in [*found, *voice_problems])
        if pack is not None and profiles and sound:
            from tutor.commands.understand import load_subwords
            from tutor.commands.voice_fit import check_voice_fit

            subwords = subwords or load_subwords()
            problems += check_voice_fit(pack, profiles, subwords)
        if pack is not None:
            from tutor.content.drill_checks import check_paths

            for drill_id, drill in pack.drills.items():
                problems += check_paths(pack.sources[drill_id], drill)
    if path is None:
        problems += check_strings()
        if not any(p.severity is Severity.ERROR for p in problems):
            _refresh_subwords(catalog)
    return report(problems, strict, catalog)


def _refresh_subwords(catalog: Catalog) -> None:
    """The subword model is trained on the shipped lessons and lexicons: when they changed,
    the checker retrains it, so a content edit can never leave matching on stale pieces."""
    from tutor.commands.understand import ensure_subwords

    try:
        if ensure_subwords():
            print(catalog.text("lessons.subwords_built"), file=sys.stderr)
    except OSError:
        print(catalog.text("lessons.subwords_readonly"), file=sys.stderr)


def list_lessons(path: Path | None, catalog: Catalog) -> int:
    from tutor.content.packs import find_packs, newest_packs, read_pack
    from tutor.content.paths import pack_search_path

    root = path or lessons_dir()
    if not root.exists():
        return _missing(root, catalog)
    lang = catalog.language
    failed = False
    for pack_root in find_packs(path) if path else newest_packs(pack_search_path()):
        pack, problems = read_pack(pack_root, {})
        if pack is None or any(p.severity is Severity.ERROR for p in problems):
            print(f"{display_path(pack_root)}: {catalog.text('check.pack_broken')}")
            failed = True
            continue
        title = pack.manifest.title
        print(f"{pack.manifest.id}  {title.get(lang, title['zh'])}")
        for lesson_id in pack.manifest.lessons:
            lesson_title = pack.lessons[lesson_id].title
            print(f"  {lesson_id}  {lesson_title.get(lang, lesson_title['zh'])}")
    return 1 if failed else 0


def check_voices(path: Path | None, strict: bool, catalog: Catalog) -> int:
    from tutor.content.voices import load_profiles

    root = path or voices_dir()
    if not root.exists():
        return _missing(root, catalog)
    _, problems = load_profiles(root)
    return report(problems, strict, catalog)


def list_voices(catalog: Catalog) -> int:
    from tutor.content.voices import load_profiles

    profiles, _ = load_profiles(voices_dir())
    for profile in profiles.values():
        model = profile.asr_model or catalog.text("voices.no_model")
        print(f"{profile.id:14} {profile.name}  ({profile.tts_voice}, {model})")
    return 0


def check_catalog(strict: bool, catalog: Catalog) -> int:
    from tutor.content.strings import check_strings

    return report(check_strings(), strict, catalog)
