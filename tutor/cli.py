"""The `tutor` command: parse arguments, wire the layers, nothing else.

Every command module is imported only when that command runs, so `tutor --help` stays fast
and never loads a speech model or a screen toolkit.
"""

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

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
    learn.add_argument("--voice-only", action="store_true", help=t("cli.learn.voice_only"))
    learn.add_argument("--voice", metavar="PROFILE", help=t("cli.learn.voice"))
    learn.add_argument("--learner", metavar="ID", help=t("cli.learn.learner"))
    learn.add_argument("--lesson", metavar="PACK/LESSON", help=t("cli.learn.lesson"))
    learn.add_argument(
        "--wav-input",
        dest="wav_inputs",
        metavar="FILE",
        type=Path,
        action="append",
        default=[],
        help=t("cli.learn.wav_input"),
    )
    learn.set_defaults(run=_run_learn)

    drill = commands.add_parser("drill", help=t("cli.drill.help"))
    drill_commands = drill.add_subparsers(dest="action", metavar="ACTION", required=True)
    drill_list = drill_commands.add_parser("list", help=t("cli.drill.list"))
    drill_list.add_argument("--lessons", type=Path, metavar="PATH", help=t("cli.drill.lessons"))
    drill_list.set_defaults(run=_run_drill_list)
    drill_run = drill_commands.add_parser("run", help=t("cli.drill.run"))
    drill_run.add_argument("drill", metavar="ID", help=t("cli.drill.id"))
    drill_run.add_argument("--voice", metavar="PROFILE", help=t("cli.learn.voice"))
    drill_run.add_argument("--learner", metavar="ID", help=t("cli.learn.learner"))
    drill_run.add_argument("--seed", type=int, help=t("cli.drill.seed"))
    drill_run.add_argument("--timed", action="store_true", help=t("cli.drill.timed"))
    drill_run.add_argument("--lessons", type=Path, metavar="PATH", help=t("cli.drill.lessons"))
    drill_run.add_argument(
        "--wav-input",
        dest="wav_inputs",
        metavar="FILE",
        type=Path,
        action="append",
        default=[],
        help=t("cli.learn.wav_input"),
    )
    drill_run.set_defaults(run=_run_drill)

    sync = commands.add_parser("sync", help=t("cli.sync.help"))
    sync_commands = sync.add_subparsers(dest="action", metavar="ACTION", required=True)
    sync_export = sync_commands.add_parser("export", help=t("cli.sync.export"))
    sync_export.add_argument("--to", dest="stick", type=Path, required=True, metavar="DIR",
                             help=t("cli.sync.dir"))
    sync_export.add_argument("--all", action="store_true", help=t("cli.sync.all"))
    sync_export.add_argument("--village", metavar="V", help=t("cli.sync.village"))
    sync_export.add_argument("--packs", nargs="+", type=Path, default=[], metavar="PATH",
                             help=t("cli.sync.packs"))
    sync_export.add_argument("--db", metavar="URL", help=t("cli.hub.db"))
    sync_export.set_defaults(run=_run_sync_export)
    for action, run in (("import", _run_sync_import), ("verify", _run_sync_verify)):
        sub = sync_commands.add_parser(action, help=t(f"cli.sync.{action}"))
        sub.add_argument("stick", type=Path, metavar="DIR", help=t("cli.sync.dir"))
        sub.set_defaults(run=run)
    sync_revoke = sync_commands.add_parser("revoke", help=t("cli.sync.revoke"))
    sync_revoke.add_argument("device", metavar="DEVICE", help=t("cli.sync.device"))
    sync_revoke.set_defaults(run=_run_sync_revoke)
    sync_trust = sync_commands.add_parser("trust", help=t("cli.sync.trust"))
    sync_trust.add_argument("fingerprint", metavar="FINGERPRINT", help=t("cli.sync.fingerprint"))
    sync_trust.add_argument("--village", metavar="V", help=t("cli.sync.trust_village"))
    sync_trust.set_defaults(run=_run_sync_trust)
    sync_enrol = sync_commands.add_parser("enrol", help=t("cli.sync_hub.enrol"))
    sync_enrol.add_argument("--hub", required=True, metavar="URL", help=t("cli.sync_hub.hub"))
    sync_enrol.add_argument("--code", required=True, metavar="CODE", help=t("cli.sync_hub.code"))
    sync_enrol.set_defaults(run=_run_sync_enrol)
    for action, run in (("push", _run_sync_push), ("pull", _run_sync_pull)):
        sub = sync_commands.add_parser(action, help=t(f"cli.sync_hub.{action}"))
        sub.add_argument("--hub", metavar="URL", help=t("cli.sync_hub.hub"))
        sub.set_defaults(run=run)
    _add_hub(commands, t)
    _add_mentor(commands, t)

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

    _add_progress(commands, t)

    report = commands.add_parser("report", help=t("cli.report.help"))
    report.add_argument("--html", type=Path, metavar="FILE", help=t("cli.report.html"))
    report.add_argument(
        "--role",
        choices=("coordinator", "mentor"),
        default="coordinator",
        help=t("cli.report.role"),
    )
    report.add_argument("--village", metavar="V", help=t("cli.report.village"))
    report.add_argument("--since", type=_count(3_650), metavar="DAYS", help=t("cli.report.since"))
    report.add_argument("--lessons", type=Path, metavar="PATH", help=t("cli.report.lessons"))
    report.set_defaults(run=_run_report)
    _add_classroom(commands, t)

    strings = commands.add_parser("strings", help=t("cli.strings.help"))
    string_commands = strings.add_subparsers(dest="action", metavar="ACTION", required=True)
    scheck = string_commands.add_parser("check", help=t("cli.strings.check.help"))
    scheck.add_argument("--strict", action="store_true", help=t("cli.check.strict"))
    scheck.set_defaults(run=_run_strings_check)
    return parser


def _add_progress(commands: Any, t: Callable[..., str]) -> None:
    progress = commands.add_parser("progress", help=t("cli.progress.help"))
    actions = progress.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, run: Callable[[argparse.Namespace, Catalog], int]) -> Any:
        parser = actions.add_parser(name, help=t(f"cli.progress.{name}.help"))
        parser.set_defaults(run=run)
        return parser

    def learner_option(parser: Any, required: bool = True) -> None:
        parser.add_argument(
            "--learner", required=required, metavar="ID", help=t("cli.progress.learner")
        )

    enrol = action("enrol", _run_progress_enrol)
    enrol.add_argument("--name", required=True, help=t("cli.progress.enrol.name"))
    enrol.add_argument("--village", required=True, help=t("cli.progress.enrol.village"))
    enrol.add_argument(
        "--language", choices=("zh", "ko", "ug"), help=t("cli.progress.enrol.language")
    )
    enrol.add_argument(
        "--name-consent", action="store_true", help=t("cli.progress.enrol.name_consent")
    )
    rename = action("rename", _run_progress_rename)
    learner_option(rename)
    rename.add_argument("--name", help=t("cli.progress.enrol.name"))
    rename.add_argument("--village", help=t("cli.progress.enrol.village"))
    merge = action("merge", _run_progress_merge)
    learner_option(merge)
    merge.add_argument("--into", required=True, metavar="ID", help=t("cli.progress.merge.into"))
    action("list", _run_progress_list)
    learner_option(action("show", _run_progress_show))
    export = action("export", _run_progress_export)
    learner_option(export, required=False)
    export.add_argument(
        "--format",
        required=True,
        choices=("json", "csv", "xapi"),
        help=t("cli.progress.export.format"),
    )
    erase = action("erase", _run_progress_erase)
    learner_option(erase)
    erase.add_argument("--yes", action="store_true", help=t("cli.progress.erase.yes"))
    action("verify", _run_progress_verify)
    simulate = action("simulate", _run_progress_simulate)
    simulate.add_argument(
        "--learners", required=True, type=_count(10_000), help=t("cli.progress.simulate.learners")
    )
    simulate.add_argument(
        "--days", required=True, type=_count(3_650), help=t("cli.progress.simulate.days")
    )
    simulate.add_argument("--seed", type=int, default=0, help=t("cli.progress.simulate.seed"))
    certificate = action("certificate", _run_progress_certificate)
    learner_option(certificate)
    certificate.add_argument("--html", action="store_true", help=t("cli.progress.certificate.html"))


def _add_hub(commands: Any, t: Callable[..., str]) -> None:
    hub = commands.add_parser("hub", help=t("cli.hub.help"))
    actions = hub.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, run: Callable[[argparse.Namespace, Catalog], int]) -> Any:
        parser = actions.add_parser(name, help=t(f"cli.hub.{name}"))
        parser.add_argument("--db", metavar="URL", help=t("cli.hub.db"))
        parser.set_defaults(run=run)
        return parser

    serve = action("serve", _run_hub_serve)
    serve.add_argument("--host", default="0.0.0.0", help=t("cli.hub.host"))
    serve.add_argument("--port", type=_count(65_535), default=8780, help=t("cli.hub.port"))
    code = action("code", _run_hub_code)
    code.add_argument("--village", metavar="V", help=t("cli.hub.village"))
    code.add_argument(
        "--role", choices=("mentor", "coordinator"), default="mentor", help=t("cli.hub.role")
    )
    revoke = action("revoke", _run_hub_revoke)
    revoke.add_argument("device", metavar="DEVICE", help=t("cli.hub.device"))
    forward = action("forward", _run_hub_forward)
    forward.add_argument("--lrs", required=True, metavar="URL", help=t("cli.hub.lrs"))
    forward.add_argument("--auth", metavar="USER:PASSWORD", help=t("cli.hub.auth"))
    forward.add_argument("--batch", type=_count(5_000), default=500, help=t("cli.hub.batch"))
    forward.add_argument("--again", action="store_true", help=t("cli.hub.again"))


def _add_mentor(commands: Any, t: Callable[..., str]) -> None:
    mentor = commands.add_parser("mentor", help=t("mentor.cli.help"))
    mentor.add_argument("--hub", metavar="URL", help=t("mentor.cli.hub"))
    mentor.add_argument("--village", metavar="V", help=t("mentor.cli.village"))
    mentor.add_argument("--db", metavar="URL", help=t("cli.hub.db"))
    mentor.add_argument("--host", default="0.0.0.0", help=t("cli.hub.host"))
    mentor.add_argument("--port", type=_count(65_535), default=8780, help=t("cli.hub.port"))
    mentor.set_defaults(run=_run_mentor)


def _add_classroom(commands: Any, t: Callable[..., str]) -> None:
    """`tutor group LESSON` (one big screen for the room) and `tutor sheet --to FILE`."""

    def run_group(args: argparse.Namespace, catalog: Catalog) -> int:
        from tutor.commands.classroom import run_group

        return run_group(args, catalog)

    def run_sheet(args: argparse.Namespace, catalog: Catalog) -> int:
        from tutor.commands.classroom import run_sheet

        return run_sheet(args, catalog)

    group = commands.add_parser("group", help=t("cli.classroom.group"))
    group.add_argument("lesson", metavar="LESSON", help=t("cli.classroom.lesson"))
    group.add_argument("--voice", metavar="PROFILE", help=t("cli.classroom.voice"))
    group.set_defaults(run=run_group)
    sheet = commands.add_parser("sheet", help=t("cli.classroom.sheet"))
    sheet.add_argument("--to", type=Path, required=True, metavar="FILE", help=t("cli.classroom.to"))
    sheet.add_argument(
        "--learner",
        dest="learners",
        action="extend",
        nargs="+",
        default=[],
        metavar="ID",
        help=t("cli.classroom.learner"),
    )
    sheet.add_argument("--village", metavar="V", help=t("cli.classroom.village"))
    sheet.set_defaults(run=run_sheet)


def _count(most: int) -> Callable[[str], int]:
    """A whole number from 1 to `most`; anything else is a usage mistake (one line, exit 2)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r}: 1-{most}") from None
        if not 1 <= value <= most:
            raise argparse.ArgumentTypeError(f"{text!r}: 1-{most}")
        return value

    return parse


def main(argv: Sequence[str] | None = None) -> int:
    catalog = load_catalog()
    parser = build_parser(catalog)
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace, Catalog], int] = getattr(args, "run", _run_learn)
    try:
        if _writes_learner_data(args):
            from tutor.datahome import NEWER_DATA_EXIT, ensure_current

            problem = ensure_current()
            if problem is not None:
                print(problem, file=sys.stderr)
                return NEWER_DATA_EXIT
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


def _writes_learner_data(args: argparse.Namespace) -> bool:
    """Commands that touch learner data refuse data written by a newer tutor (a downgrade)."""
    from tutor.content.paths import data_home

    home = data_home()
    if home.exists() and not home.is_dir():
        return False  # not a home at all: the command itself says so in one line
    command = getattr(args, "command", None)
    if command in (None, "learn", "drill", "progress", "sync", "hub", "mentor", "group"):
        return True
    return command == "voices" and getattr(args, "action", "") in ("record", "install")


def _run_learn(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.learn import run

    return run(
        catalog,
        voice_only=getattr(args, "voice_only", False),
        voice=getattr(args, "voice", None),
        learner=getattr(args, "learner", None),
        lesson=getattr(args, "lesson", None),
        wav_inputs=getattr(args, "wav_inputs", []),
    )


def _run_drill_list(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.drill import list_drills

    return list_drills(catalog, args.lessons)


def _run_drill(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.drill import run_drill

    return run_drill(
        args.drill,
        args.voice,
        args.learner,
        args.seed,
        catalog,
        args.wav_inputs,
        timed=args.timed,
        lessons=args.lessons,
    )


def _run_sync_export(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.sync import run_export

    if args.village is not None:
        from tutor.commands.hubsync import run_export_village

        return run_export_village(args.stick, args.village, args.packs, args.db, catalog)
    if args.packs or args.db:
        print(catalog.text("sync.needs_village"), file=sys.stderr)
        return 2
    return run_export(args.stick, args.all, catalog)


def _run_sync_import(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.sync import run_import

    return run_import(args.stick, catalog)


def _run_sync_verify(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.sync import run_verify

    return run_verify(args.stick, catalog)


def _run_sync_revoke(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.sync import run_revoke

    return run_revoke(args.device, catalog)


def _run_sync_trust(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.sync import run_trust

    return run_trust(args.fingerprint, args.village, catalog)


def _run_sync_enrol(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.hubsync import run_enrol

    return run_enrol(args.hub, args.code, catalog)


def _run_sync_push(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.hubsync import run_push

    return run_push(args.hub, catalog)


def _run_sync_pull(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.hubsync import run_pull

    return run_pull(args.hub, catalog)


def _run_hub_serve(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.hub import run_serve

    return run_serve(args.host, args.port, args.db, catalog)


def _run_hub_code(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.hub import run_code

    return run_code(args.village, args.role, args.db, catalog)


def _run_hub_revoke(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.hub import run_revoke

    return run_revoke(args.device, args.db, catalog)


def _run_hub_forward(args: argparse.Namespace, catalog: Catalog) -> int:
    import os

    from tutor.commands.hub import run_forward

    auth = args.auth if args.auth is not None else os.environ.get("TUTOR_LRS_AUTH")
    return run_forward(args.lrs, auth, args.db, args.batch, args.again, catalog)


def _run_mentor(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.mentor import run_mentor

    return run_mentor(args.hub, args.village, args.db, args.host, args.port, catalog)


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


def _run_progress_enrol(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.progress import run_enrol

    return run_enrol(
        args.name, args.village, args.language, args.name_consent, catalog=catalog
    )


def _run_progress_rename(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.progress import run_rename

    return run_rename(args.learner, args.name, args.village, catalog=catalog)


def _run_progress_merge(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.progress import run_merge

    return run_merge(args.learner, args.into, catalog=catalog)


def _run_progress_list(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.progress import run_list

    return run_list(catalog=catalog)


def _run_progress_show(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.progress import run_show

    return run_show(args.learner, catalog=catalog)


def _run_progress_export(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.progress import run_export

    return run_export(args.learner, args.format, catalog=catalog)


def _run_progress_erase(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.progress import run_erase

    return run_erase(args.learner, args.yes, catalog=catalog)


def _run_progress_verify(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.progress import run_verify

    return run_verify(catalog=catalog)


def _run_progress_simulate(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.progress import run_simulate

    return run_simulate(args.learners, args.days, args.seed, catalog=catalog)


def _run_progress_certificate(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.progress import run_certificate

    return run_certificate(args.learner, args.html, catalog=catalog)


def _run_report(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.report import run_report

    return run_report(args.html, args.role, args.village, args.since, args.lessons, catalog)


def _run_strings_check(args: argparse.Namespace, catalog: Catalog) -> int:
    from tutor.commands.check import check_catalog

    return check_catalog(args.strict, catalog)


if __name__ == "__main__":
    sys.exit(main())
