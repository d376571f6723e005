"""`tutor sync export|import|verify|revoke`: progress on a USB stick, checked both ways.

Exit 0 on success; 1 with one line naming the file and the reason when a bundle is bad (and
then nothing was imported); never a traceback.
"""

import sys
from pathlib import Path

from tutor.content.strings import Catalog

_S = "sync."


def _failed(catalog: Catalog, err) -> int:
    reason = catalog.text(_S + "reason." + err.reason)
    print(catalog.text(_S + "bad_bundle", path=err.path, reason=reason, detail=err.detail),
          file=sys.stderr)
    return 1


def run_export(stick: Path, everything: bool, catalog: Catalog) -> int:
    from tutor.progress.bundle import BundleError
    from tutor.progress.sync import export_to

    if not stick.is_dir():
        print(catalog.text(_S + "no_folder", path=stick), file=sys.stderr)
        return 1
    try:
        report = export_to(stick, everything)
    except BundleError as err:
        return _failed(catalog, err)
    except OSError as err:
        print(catalog.text(_S + "write_failed", path=err.filename or stick,
                           reason=err.strerror or err), file=sys.stderr)
        return 1
    print(catalog.text(_S + "exported", bundles=len(report.bundles), events=report.events))
    return 0


def run_verify(stick: Path, catalog: Catalog) -> int:
    from tutor.progress.bundle import BundleError
    from tutor.progress.sync import verify_stick

    try:
        bundles = verify_stick(stick)
    except BundleError as err:
        return _failed(catalog, err)
    events = sum(b.last - b.first + 1 for b in bundles)
    devices = len({b.device for b in bundles})
    print(catalog.text(_S + "verified", bundles=len(bundles), devices=devices, events=events))
    return 0


def run_import(stick: Path, catalog: Catalog) -> int:
    from tutor.progress.bundle import BundleError
    from tutor.progress.sync import import_from

    try:
        report = import_from(stick)
    except BundleError as err:
        return _failed(catalog, err)
    print(catalog.text(_S + "imported", events=report.events, devices=len(report.new),
                       already=report.already))
    for path in report.forks:
        print(catalog.text(_S + "fork", path=path), file=sys.stderr)
    for device, seq in report.waiting.items():
        print(catalog.text(_S + "waiting", device=device, seq=seq), file=sys.stderr)
    return 0


def run_revoke(device: str, catalog: Catalog) -> int:
    from tutor.progress.bundle import revocations, save_revocations
    from tutor.progress.home import LOG_SUFFIX, logs_dir

    log = logs_dir() / f"{device}{LOG_SUFFIX}"
    held = 0
    if log.is_file():
        with log.open("rb") as f:
            held = sum(1 for raw in f if raw.endswith(b"\n"))
    revoked = revocations()
    revoked[device] = min(held, revoked.get(device, held))
    save_revocations(revoked)
    print(catalog.text(_S + "revoked", device=device, seq=revoked[device]))
    return 0
