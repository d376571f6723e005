"""The `tutor` command: parse arguments, wire the layers, nothing else.

Every command module is imported only when that command runs, so `tutor --help` stays fast
and never loads a speech model or a screen toolkit.
"""

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tutor import __version__
from tutor.content.strings import Catalog, load_catalog


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake as one line from the catalog, exit 2."""

    catalog: Catalog

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, self.catalog.text("cli.usage_error", detail=message, prog=self.prog) + "\n")


def build_parser(catalog: Catalog) -> argparse.ArgumentParser:
    t = catalog.text
    _Parser.catalog = catalog
    parser = _Parser(prog="tutor", description=t("cli.description"))
    parser.add_argument("--version", action="version", version=f"tutor {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    learn = commands.add_parser("learn", help=t("cli.learn.help"))
    learn.set_defaults(run=_run_learn)

    lessons = commands.add_parser("lessons", help=t("cli.lessons.help"))
    lesson_commands = lessons.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = lesson_commands.add_parser("check", help=t("cli.lessons.check.help"))
    check.add_argument("path", nargs="?", type=Path, help=t("cli.lessons.check.path"))
    check.add_argument("--voices", type=Path, help=t("cli.lessons.check.voices"))
    check.add_argument("--strict", action="store_true", help=t("cli.check.strict"))
    check.set_defaults(run=_run_lessons_check)
    listing = lesson_commands.add_parser("list", help=t("cli.lessons.list.help"))
    listing.add_argument("path", nargs="?", type=Path, help=t("cli.lessons.check.path"))
    listing.set_defaults(run=_run_lessons_list)

    subwords = lesson_commands.add_parser("subwords", help=t("cli.lessons.subwords.help"))
    subwords.add_argument("--force", action="store_true", help=t("cli.lessons.subwords.force"))
    subwords.set_defaults(run=_run_subwords)

    understand = commands.add_parser("understand", help=t("cli.understand.help"))
    understand.add_argument("--explain", action="store_true", help=t("cli.understand.explain"))
    understand.set_defaults(run=_run_understand)

    voices = commands.add_parser("voices", help=t("cli.voices.help"))
    voice_commands = voices.add_subparsers(dest="action", metavar="ACTION", required=True)
    vcheck = voice_commands.add_parser("check", help=t("cli.voices.check.help"))
    vcheck.add_argument("path", nargs="?", type=Path, help=t("cli.voices.check.path"))
    vcheck.add_argument("--strict", action="store_true", help=t("cli.check.strict"))
    vcheck.set_defaults(run=_run_voices_check)
    vlist = voice_commands.add_parser("list", help=t("cli.voices.list.help"))
    vlist.set_defaults(run=_run_voices_list)
    vrecord = voice_commands.add_parser("record", help=t("cli.voices.record.help"))
    vrecord.add_argument("pack", help=t("cli.voices.record.pack"))
    vrecord.add_argument(
        "--import",
        dest="import_dir",
        type=Path,
        metavar="DIR",
        help=t("cli.voices.record.import_dir"),
    )
    vrecord.set_defaults(run=_run_voices_record)
    vcoverage = voice_commands.add_parser("coverage", help=t("cli.voices.coverage.help"))
    vcoverage.add_argument("pack", help=t("cli.voices.record.pack"))
    vcoverage.set_defaults(run=_run_voices_coverage)
    vmodels = voice_commands.add_parser("models", help=t("cli.voices.models.help"))
    vmodels.set_defaults(run=_run_voices_models)
    vinstall = voice_commands.add_parser("install", help=t("cli.voices.install.help"))
    vinstall.add_argument("source", type=Path, metavar="PATH", help=t("cli.voices.install.path"))
    vinstall.set_defaults(run=_run_voices_install)

    listen = commands.add_parser("listen", help=t("cli.listen.help"))
    listen.add_argument("--voice", required=True, metavar="PROFILE", help=t("cli.listen.voice"))
    source = listen.add_mutually_exclusive_group(required=True)
    source.add_argument("--wav", type=Path, metavar="FILE", help=t("cli.listen.wav"))
    source.add_argument("--mic", action="store_true", help=t("cli.listen.mic"))
    listen.add_argument("--expect", type=Path, metavar="FILE.json", help=t("cli.listen.expect"))
    listen.set_defaults(run=_run_listen)

    say = commands.add_parser("say", help=t("cli.say.help"))
    say.add_argument("text", nargs="?", help=t("cli.say.text"))
    say.add_argument("--voice", metavar="PROFILE", help=t("cli.say.voice"))
    say.add_argument("--rate", type=int, metavar="WPM", help=t("cli.say.rate"))
    say.add_argument("--to", type=Path, metavar="FILE", help=t("cli.say.to"))
    say.add_argument("--id", dest="string_id", metavar="ID", help=t("cli.say.id"))
    say.add_argument("--recordings", metavar="PACK", help=t("cli.say.recordings"))
    say.set_defaults(run=_run_say)

    strings = commands.add_parser("strings", help=t("cli.strings.help"))
    string_commands = strings.add_subparsers(dest="action", metavar="ACTION", required=True)
    scheck = string_commands.add_parser("check", help=t("cli.strings.check.help"))
    scheck.add_argument("--strict", action="store_true", help=t("cli.check.strict"))
    scheck.set_defaults(run=_run_strings_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    catalog = load_catalog()
    parser = build_parser(catalog)
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace, Catalog], int] = getattr(args, "run", _run_learn)
    try:
        return run(args, catalog)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:
        # Last resort for a folder that cannot be read or written (permissions, a full or
        # pulled USB stick): one line naming the file, never a traceback.
        where = err.filename or ""
        print(catalog.text("cli.os_error", path=where, reason=err.strerror or err), file=sys.stderr)
        return 1


def _run_learn(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.learn import run

    return run(catalog)


def _run_lessons_check(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.check import check_lessons

    return check_lessons(args.path, args.voices, args.strict, catalog)


def _run_lessons_list(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.check import list_lessons

    return list_lessons(args.path, catalog)


def _run_subwords(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.understand import ensure_subwords

    try:
        rebuilt = ensure_subwords(force=args.force)
    except OSError:
        print(catalog.text("lessons.subwords_readonly"), file=sys.stderr)
        return 1
    print(catalog.text("lessons.subwords_built" if rebuilt else "lessons.subwords_fresh"))
    return 0


def _run_understand(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.understand import run_understand

    # Bytes that are not UTF-8 become U+FFFD on that line instead of ending the stream.
    sys.stdin.reconfigure(errors="replace")
    return run_understand(sys.stdin, sys.stdout, args.explain, catalog)


def _run_voices_check(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.check import check_voices

    return check_voices(args.path, args.strict, catalog)


def _run_voices_list(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.check import list_voices

    return list_voices(catalog)


def _run_voices_record(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.recordings import run_record

    return run_record(args.pack, args.import_dir, catalog)


def _run_voices_coverage(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.recordings import run_coverage

    return run_coverage(args.pack, catalog)


def _run_voices_models(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.listen import run_models

    return run_models(catalog)


def _run_voices_install(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.listen import run_install

    return run_install(args.source, catalog)


def _run_listen(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.listen import run_listen

    return run_listen(args.voice, args.wav, args.expect, args.mic, catalog)


def _run_say(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.say import run_say

    return run_say(
        args.text, args.voice, args.rate, args.to, args.string_id, args.recordings, catalog
    )


def _run_strings_check(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.check import check_catalog

    return check_catalog(args.strict, catalog)


if __name__ == "__main__":
    sys.exit(main())
