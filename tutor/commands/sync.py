"""`tutor sync export|import|verify|revoke|trust`: a USB stick, checked both ways.

Devices write their progress onto the stick; the coordinator's machine writes a village
bundle (`export --village`: newer lesson packs and the village's learners, signed with the
hub key) that the village's devices take in on import once a mentor trusted the hub key.
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
        return write_failed(catalog, err, stick)
    print(catalog.text(_S + "exported", bundles=len(report.bundles), events=report.events))
    return 0


def write_failed(catalog: Catalog, err: OSError, stick: Path) -> int:
    print(catalog.text(_S + "write_failed", path=err.filename or stick,
                       reason=err.strerror or err), file=sys.stderr)
    return 1


def run_verify(stick: Path, catalog: Catalog) -> int:
    from tutor.progress.bundle import BundleError
    from tutor.progress.village_import import verify_all

    try:
        bundles, _ = verify_all(stick)
    except BundleError as err:
        return _failed(catalog, err)
    events = sum(b.last - b.first + 1 for b in bundles)
    devices = len({b.device for b in bundles})
    print(catalog.text(_S + "verified", bundles=len(bundles), devices=devices, events=events))
    villages = _village_count(stick)
    if villages:
        print(catalog.text(_S + "village_verified", count=villages))
    return 0


def run_import(stick: Path, catalog: Catalog) -> int:
    from tutor.progress.bundle import BundleError
    from tutor.progress.village_import import import_stick

    try:
        report = import_stick(stick, pack_errors)
    except BundleError as err:
        return _failed(catalog, err)
    merged = report.merged
    print(catalog.text(_S + "imported", events=merged.events, devices=len(merged.new),
                       already=merged.already))
    for pack, version in report.installed:
        print(catalog.text(_S + "pack_installed", pack=pack, version=version))
    for pack, version, have in report.skipped:
        print(catalog.text(_S + "pack_skipped", pack=pack, version=version, have=have))
    if report.village is not None:
        print(catalog.text(_S + "village_enrolled", village=report.village,
                           enrolled=report.enrolled, known=report.known))
    if report.other_villages:
        print(catalog.text(_S + "other_villages", count=report.other_villages))
    for path in merged.forks:
        print(catalog.text(_S + "fork", path=path), file=sys.stderr)
    for device, seq in merged.waiting.items():
        print(catalog.text(_S + "waiting", device=device, seq=seq), file=sys.stderr)
    return 0


def run_trust(text: str, village: str | None, catalog: Catalog) -> int:
    """Once per device: the hub key fingerprint the coordinator gave, and the village."""
    from tutor.progress.hublink import HubError, load_link
    from tutor.progress.village_keys import Trust, read_fingerprint, save_trust

    found = read_fingerprint(text)
    if found is None:
        print(catalog.text(_S + "bad_fingerprint", text=text), file=sys.stderr)
        return 1
    if not (village and village.strip()):
        try:
            village = load_link().village
        except HubError:
            village = None
    if not (village and village.strip()):
        print(catalog.text(_S + "trust_needs_village"), file=sys.stderr)
        return 1
    save_trust(Trust(found, village.strip()))
    print(catalog.text(_S + "trusted", fingerprint=found, village=village.strip()))
    return 0


def _village_count(stick: Path) -> int:
    from tutor.progress.village import village_bundles

    return len(village_bundles(stick))


def pack_errors(root: Path) -> list[str]:
    """What `tutor lessons check` would call an error in one pack folder, one line each."""
    from tutor.commands.understand import load_subwords
    from tutor.commands.voice_fit import check_voice_fit
    from tutor.content.drill_checks import check_paths
    from tutor.content.packs import read_pack
    from tutor.content.paths import voices_dir
    from tutor.content.problems import Severity, has_errors
    from tutor.content.voices import load_profiles

    profiles, _ = load_profiles(voices_dir())
    pack, problems = read_pack(root, profiles)
    if pack is not None and not has_errors(problems):
        problems += check_voice_fit(pack, profiles, load_subwords())
        for drill_id, drill in pack.drills.items():
            problems += check_paths(pack.sources[drill_id], drill)
    return [p.line() for p in problems if p.severity is Severity.ERROR]


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
