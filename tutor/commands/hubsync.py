"""`tutor sync enrol|push|pull`: a device and the county hub on the LAN.

Exit 0 when the hub holds (or gave) everything it should; 1 with one line saying why when
the hub cannot be reached, refuses the device, or sends something that fails the checks (and
then nothing of that answer was merged); never a traceback. A fork is reported on stderr, as
with a USB stick, and is not a failure: the hub or the device kept it aside for a person.
"""

import re
import sys

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
