"""`tutor progress ...`: the learner's record on this device, for mentors and for learners.

Each command is a thin shell over `tutor.progress`: it finds the learner, writes an event or
reads the folded state, and prints. A wrong id, a broken identity file or an event the schema
refuses is one line from the catalog and exit 1, never a traceback.
"""

import json
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from tutor.content.strings import Catalog, load_catalog
from tutor.progress import events as ev
from tutor.progress.course import load_course, usable_packs
from tutor.progress.events import EventError
from tutor.progress.identity import IdentityError, device_identity
from tutor.progress.model import Progress
from tutor.progress.records import (
    LearnerAmbiguous,
    LearnerNotFound,
    all_events,
    check_logs,
    find_learner,
    set_aside_files,
)
from tutor.progress.snapshot import load_progress
from tutor.progress.store import EventLog, open_log

_R = "cli.progress.report."


class _Refused(Exception):
    """A mistake to report as one line (the message is already in the learner's language)."""


def _reported(command: Callable[..., int]) -> Callable[..., int]:
    """Turn every expected failure into one line on stderr and exit 1."""

    @wraps(command)
    def run(*args: Any, catalog: Catalog, **kwargs: Any) -> int:
        try:
            return command(*args, catalog=catalog, **kwargs)
        except _Refused as err:
            message = str(err)
        except LearnerNotFound as err:
            message = catalog.text(_R + "unknown_learner", learner=err.args[0])
        except LearnerAmbiguous as err:
            message = catalog.text(_R + "ambiguous_learner", learner=err.args[0])
        except EventError as err:
            message = catalog.text(_R + "invalid", reason=err)
        except IdentityError as err:
            message = catalog.text(_R + "identity", reason=err)
        print(message, file=sys.stderr)
        return 1

    return run


def _log(catalog: Catalog) -> EventLog:
    """This device's log, saying so when a power cut's torn line was set aside."""
    log = open_log(device_identity().id)
    for path in log.set_aside:
        print(catalog.text(_R + "set_aside", path=path), file=sys.stderr)
    return log


def _learner(text: str) -> tuple[Progress, str]:
    progress = load_progress()
    return progress, find_learner(progress, text)


@_reported
def run_enrol(
    name: str, village: str, language: str | None, name_consent: bool = False, *, catalog: Catalog
) -> int:
    learner = str(uuid.uuid4())
    data = {"name": name, "village": village, "language": language or catalog.language}
    if name_consent:
        data["name_consent"] = True
    with _log(catalog) as log:
        log.append(learner, ev.LEARNER_ENROLLED, data)
    print(catalog.text(_R + "enrolled", learner=learner))
    return 0


@_reported
def run_rename(learner: str, name: str | None, village: str | None, *, catalog: Catalog) -> int:
    data = {key: value for key, value in (("name", name), ("village", village)) if value}
    if not data:
        raise _Refused(catalog.text(_R + "nothing_to_change"))
    _, found = _learner(learner)
    with _log(catalog) as log:
        log.append(found, ev.LEARNER_RENAMED, data)
    print(catalog.text(_R + "renamed", learner=found))
    return 0


@_reported
def run_merge(learner: str, into: str, *, catalog: Catalog) -> int:
    progress, source = _learner(learner)
    target = find_learner(progress, into)
    if source == target:
        raise _Refused(catalog.text(_R + "same_learner"))
    with _log(catalog) as log:
        log.append(source, ev.LEARNER_MERGED, {"into": target})
    print(catalog.text(_R + "merged", learner=source, into=target))
    return 0


@_reported
def run_erase(learner: str, yes: bool, *, catalog: Catalog) -> int:
    _, found = _learner(learner)
    if not yes:
        if not sys.stdin.isatty():
            raise _Refused(catalog.text(_R + "erase_needs_yes"))
        answer = input(catalog.text(_R + "erase_confirm", learner=found))
        if answer.strip().lower() != "yes":
            print(catalog.text(_R + "erase_cancelled"))
            return 1
    with _log(catalog) as log:
        log.append(found, ev.LEARNER_ERASED, {})
    print(catalog.text(_R + "erased", learner=found))
    return 0


@_reported
def run_list(*, catalog: Catalog) -> int:
    progress = load_progress()
    if not progress.learners:
        print(catalog.text(_R + "no_learners"))
        return 0
    from tutor.progress.view import completed

    course = load_course()
    for learner_id, state in sorted(
        progress.learners.items(), key=lambda s: s[1].enrolled_at or ""
    ):
        erased = catalog.text(_R + "erased_name")
        line = catalog.text(
            _R + "learner_line",
            learner=learner_id,
            name=state.personal("name") or erased,
            village=state.personal("village") or "-",
            done=len(completed(state, course)),
            total=len(course.lessons),
        )
        print(line)
    return 0


@_reported
def run_show(learner: str, *, catalog: Catalog) -> int:
    from tutor.progress.summary import summary

    progress, found = _learner(learner)
    state = progress.learners[found]
    spoken = load_catalog(state.language) if state.language else catalog
    for line in summary(state, load_course(), spoken, datetime.now(UTC)):
        print(line)
    return 0


@_reported
def run_export(learner: str | None, fmt: str, *, catalog: Catalog) -> int:
    progress = load_progress()
    found = find_learner(progress, learner) if learner else None
    course = load_course()
    now = datetime.now(UTC)
    if fmt == "json":
        from tutor.progress.export import export_json

        sys.stdout.write(export_json(all_events(), progress, course, found, now))
    elif fmt == "csv":
        from tutor.progress.export import export_csv

        sys.stdout.write(export_csv(all_events(), progress, found))
    else:
        from tutor.progress.xapi import statements

        found_statements = statements(all_events(), progress, course, found)
        sys.stdout.write(json.dumps(found_statements, ensure_ascii=False, indent=1) + "\n")
    return 0


@_reported
def run_certificate(learner: str, as_html: bool, *, catalog: Catalog) -> int:
    from tutor.progress.certificate import certificate_html, certificate_text

    progress, found = _learner(learner)
    state = progress.learners[found]
    spoken = load_catalog(state.language) if state.language else catalog
    make = certificate_html if as_html else certificate_text
    sys.stdout.write(make(state, load_course(), spoken, datetime.now().astimezone().date()))
    return 0


@_reported
def run_verify(*, catalog: Catalog) -> int:
    logs, events, problem = check_logs()
    for path in set_aside_files():
        print(catalog.text(_R + "set_aside", path=path), file=sys.stderr)
    if problem is not None:
        bad = problem.bad
        reason = catalog.text(f"cli.progress.reason.{bad.reason}")
        where = {"path": problem.path, "line": bad.line, "event": bad.event_id or "?"}
        raise _Refused(catalog.text(_R + "bad_event", reason=reason, **where))
    key = "verified" if logs else "no_records"
    print(catalog.text(_R + key, logs=logs, events=events))
    return 0


@_reported
def run_simulate(learners: int, days: int, seed: int, *, catalog: Catalog) -> int:
    from tutor.progress.simulate import simulate
    from tutor.ui.scripted import runner_player

    packs = usable_packs()
    if not packs:
        raise _Refused(catalog.text(_R + "no_lessons"))

    catalogs: dict[str, Catalog] = {}

    def _catalog(language: str) -> Catalog:
        if language not in catalogs:
            catalogs[language] = load_catalog(language)
        return catalogs[language]

    def names(language: str, number: int) -> tuple[str, str]:
        local = _catalog(language)
        return (
            local.text("progress.simulated_name", number=number),
            local.text("progress.simulated_village", number=(number - 1) // 8 + 1),
        )

    with _log(catalog) as log:
        play = runner_player(lambda language: _catalog(language).text)
        written = simulate(log, packs, names, learners, days, seed, datetime.now(UTC), play)
    print(catalog.text(_R + "simulated", learners=learners, days=days, events=written))
    return 0
