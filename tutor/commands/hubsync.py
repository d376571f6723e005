"""`tutor sync enrol|push|pull`: a device and the county hub on the LAN; and the hub's way
to a stick-only village, `tutor sync export --village V`.

Exit 0 when the hub holds (or gave) everything it should; 1 with one line saying why when
the hub cannot be reached, refuses the device, or sends something that fails the checks (and
then nothing of that answer was merged); never a traceback. A fork is reported on stderr, as
with a USB stick, and is not a failure: the hub or the device kept it aside for a person.
"""

import json
import re
import sys
from pathlib import Path
from typing import Any

from tutor.content.strings import Catalog

_S = "sync.hub."


def _failed(catalog: Catalog, err) -> int:
    """One line for a HubError: the catalog's reason when it has one, else the hub's own."""
    reason = catalog.text(_S + "reason." + err.reason)
    if reason == _S + "reason." + err.reason:
        bundle_reason = catalog.text("sync.reason." + err.reason)
        found = bundle_reason != "sync.reason." + err.reason
        reason = bundle_reason if found else catalog.text(_S + "reason.other")
    print(catalog.text(_S + "failed", reason=reason, detail=err.detail), file=sys.stderr)
    return 1


def _identity_failed(catalog: Catalog, err: Exception) -> int:
    print(catalog.text("cli.progress.report.identity", reason=err), file=sys.stderr)
    return 1


def run_enrol(hub: str, code: str, catalog: Catalog) -> int:
    from tutor.progress.hublink import HubError, enrol
    from tutor.progress.identity import IdentityError

    digits = re.sub(r"[\s-]", "", code)
    if not re.fullmatch(r"[0-9]{6}", digits):
        print(catalog.text(_S + "bad_code", code=code), file=sys.stderr)
        return 1
    try:
        link = enrol(hub, digits)
    except HubError as err:
        return _failed(catalog, err)
    except IdentityError as err:
        return _identity_failed(catalog, err)
    key = "enrolled_mentor" if link.role == "mentor" else "enrolled_coordinator"
    print(catalog.text(_S + key, hub=link.hub, village=link.village or ""))
    return 0


def run_push(hub: str | None, catalog: Catalog) -> int:
    from tutor.progress.hublink import HubError
    from tutor.progress.identity import IdentityError
    from tutor.progress.push import push

    try:
        report = push(hub=hub)
    except HubError as err:
        return _failed(catalog, err)
    except IdentityError as err:
        return _identity_failed(catalog, err)
    print(catalog.text(_S + "pushed", stored=report.stored, already=report.already,
                       batches=report.batches, seq=report.hub_seq))
    if report.behind is not None:
        print(catalog.text(_S + "behind", hub=report.hub_seq, held=report.behind),
              file=sys.stderr)
    if report.fork is not None:
        print(catalog.text(_S + "fork", seq=report.fork[0], kept=report.fork[1]),
              file=sys.stderr)
    return 0


def run_pull(hub: str | None, catalog: Catalog) -> int:
    from tutor.commands.sync import _failed as bundle_failed
    from tutor.progress.bundle import BundleError
    from tutor.progress.hublink import HubError
    from tutor.progress.identity import IdentityError
    from tutor.progress.pull import pull

    try:
        report = pull(hub=hub)
    except HubError as err:
        return _failed(catalog, err)
    except IdentityError as err:
        return _identity_failed(catalog, err)
    except BundleError as err:
        return bundle_failed(catalog, err)
    merged = report.merged
    print(catalog.text(_S + "pulled", events=merged.events, devices=len(merged.new),
                       already=merged.already))
    if report.refused:
        print(catalog.text(_S + "refused", count=report.refused), file=sys.stderr)
    for path in merged.forks:
        print(catalog.text("sync.fork", path=path), file=sys.stderr)
    for device, seq in merged.waiting.items():
        print(catalog.text("sync.waiting", device=device, seq=seq), file=sys.stderr)
    return 0


# The hub's side of a USB stick ----------------------------------------------------------


def run_export_village(
    stick: Path, village: str, packs: list[Path], db_url: str | None, catalog: Catalog
) -> int:
    """One village's bundle onto the stick: newer lesson packs and the village's learners
    (a name only where the learner agreed to it), signed with the hub key, whose
    fingerprint the mentor confirms once on each device (`tutor sync trust`)."""
    from tutor.commands.sync import write_failed
    from tutor.progress.village import write_village
    from tutor.progress.village_keys import fingerprint, hub_signing_key

    if not stick.is_dir():
        print(catalog.text("sync.no_folder", path=stick), file=sys.stderr)
        return 1
    village = village.strip()
    found = _village_packs(packs, catalog)
    if found is None:
        return 1
    learners = _village_learners(village, db_url, catalog)
    if learners is None:
        return 1
    chosen, left_off = learners
    try:
        key, public = hub_signing_key()
        write_village(stick, village, found, chosen, key, public)
    except OSError as err:
        return write_failed(catalog, err, stick)
    print(catalog.text("sync.village_written", village=village, packs=len(found),
                       learners=len(chosen), fingerprint=fingerprint(public)))
    if left_off:
        print(catalog.text("sync.village_left_off", count=left_off))
    return 0


def _village_packs(paths: list[Path], catalog: Catalog) -> list | None:
    """The packs under `paths`, newest version of each, all passing `tutor lessons check`."""
    from tutor.commands.sync import pack_errors
    from tutor.content.packs import newest_packs, pack_identity
    from tutor.content.reading import display_path
    from tutor.progress.village import PackFiles, pack_files

    for path in paths:
        if not path.is_dir():
            print(catalog.text("sync.no_folder", path=path), file=sys.stderr)
            return None
    found = []
    for folder in newest_packs(paths):
        errors = pack_errors(folder)
        identity = pack_identity(folder)
        if errors or identity is None:
            problem = errors[0] if errors else display_path(folder)
            print(catalog.text("sync.pack_refused", path=display_path(folder), problem=problem),
                  file=sys.stderr)
            return None
        version = ".".join(str(n) for n in identity[1])
        found.append(PackFiles(identity[0], version, folder, pack_files(folder)))
    return found


def _village_learners(
    village: str, db_url: str | None, catalog: Catalog
) -> tuple[list[dict[str, Any]], int] | None:
    """The village's enrolled learners the hub knows, named only with their consent; and
    how many were left off for want of it (a device cannot enrol a learner without a name,
    and a stand-in name would hide the real one in every report after it)."""
    from tutor.hub.privacy import consented, village_of

    progress = _hub_progress(db_url, catalog)
    if progress is None:
        return None
    chosen, left_off = [], 0
    for state in progress.learners.values():
        if state.erased or not state.enrolled_at or progress.resolve(state.id) != state.id:
            continue
        if village_of(state) != village:
            continue
        name = state.personal("name")
        if not consented(state) or not isinstance(name, str) or not name.strip():
            left_off += 1
            continue
        language = state.language if state.language in ("zh", "ko", "ug") else "zh"
        chosen.append({"learner": state.id, "village": village, "name": name,
                       "language": language, "name_consent": True})
    return sorted(chosen, key=lambda learner: learner["learner"]), left_off


def _hub_progress(db_url: str | None, catalog: Catalog):
    """Every learner this machine knows: the logs sticks brought in, and the hub's database
    (the one `--db` names, else the default file when there is one)."""
    from itertools import chain

    from tutor.commands.hub import _open
    from tutor.hub.storage.db import SQLITE, DatabaseError, locate
    from tutor.hub.storage.events import every_line
    from tutor.progress.model import fold
    from tutor.progress.records import all_events
    from tutor.progress.snapshot import load_progress

    if db_url is None:
        try:
            default = locate(None)
        except DatabaseError:
            return load_progress()
        if default.dialect != SQLITE or not Path(default.target).is_file():
            return load_progress()
    db = _open(db_url, catalog)
    if db is None:
        return None
    try:
        with db.transaction() as tx:
            held = [json.loads(line) for line in every_line(tx)]
    finally:
        db.close()
    return fold(chain(all_events(), held))
