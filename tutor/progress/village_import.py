"""`tutor sync import` with both directions on one stick: device bundles and village bundles.

Everything is checked before anything is touched: every device bundle (sync.py), every
village bundle's signature and trusted hub key, every byte of the files this device would
take (copied into a staging folder beside the lessons and checked there, so the stick cannot
change under the check), and every newer pack against `lessons check`. Only then are device
bundles merged, newer packs renamed into `TUTOR_HOME/lessons/<id>-<version>/` (one rename
each: a pack is there whole or not at all, and the older version is removed after), and the
village's learners this device does not know yet enrolled in its own log in one write.
Packs of the same or an older version are skipped; learners already known (erased ones too)
are left as they are, so the same stick twice changes nothing. A run cut short is finished
by running it again.
"""

import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.content.packs import find_packs, newest_packs, pack_identity
from tutor.content.paths import installed_lessons_dir, pack_search_path
from tutor.content.reading import display_path
from tutor.progress.bundle import STICK_FOLDER, BundleError
from tutor.progress.events import LEARNER_ENROLLED
from tutor.progress.home import fsync_dir, make_dirs
from tutor.progress.identity import device_identity
from tutor.progress.snapshot import load_progress
from tutor.progress.store import Draft, open_log
from tutor.progress.sync import ImportReport, merge_verified, verify_stick
from tutor.progress.village import StagedPack, VillageBundle, check_signature, stage
from tutor.progress.village import village_bundles as find_village_bundles
from tutor.progress.village_keys import Trust, fingerprint, load_trust, own_hub_key, save_trust

PackCheck = Callable[[Path], list[str]]
"""A pack folder's errors as `tutor lessons check` would print them (none: usable)."""


@dataclass
class StickReport:
    merged: ImportReport = field(default_factory=ImportReport)
    installed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # id, offered, held
    enrolled: int = 0
    known: int = 0
    village: str | None = None
    other_villages: int = 0


def verify_all(stick: Path, home: Path | None = None) -> tuple[list, list[VillageBundle]]:
    """Device bundles and village bundles, every one checked; BundleError at the first bad.

    Returns the device bundles and the village bundles meant for this device."""
    devices_there = (stick / STICK_FOLDER).is_dir()
    villages = find_village_bundles(stick)
    if not devices_there and not villages:
        raise BundleError(stick, "no_bundles")
    bundles = verify_stick(stick, home) if devices_there else []
    trust, own = load_trust(home), own_hub_key(home)
    mine = []
    for bundle in villages:
        check_signature(bundle)
        key = bundle.manifest["hub_key"]
        if key != own and (trust is None or not trust.accepts(key)):
            raise BundleError(bundle.path, "village_untrusted", fingerprint(key))
        stage(bundle, None)
        # One made on this machine, or for another village, is checked but never taken.
        if key != own and bundle.village.strip() == trust.village.strip():
            mine.append(bundle)
    return bundles, mine


def import_stick(stick: Path, check_pack: PackCheck, home: Path | None = None) -> StickReport:
    bundles, mine = verify_all(stick, home)
    report = StickReport(other_villages=len(find_village_bundles(stick)) - len(mine))
    lessons = installed_lessons_dir(home)
    staging = lessons / f".incoming-{uuid.uuid4().hex[:8]}"
    try:
        packs, learners = _take(mine, staging, check_pack, report, home)
        report.merged = merge_verified(bundles, home)
        for pack in packs:
            _install(pack, lessons)
            report.installed.append((pack.id, pack.version))
        if mine:
            report.village = mine[0].village
            _enrol(learners, report, home)
            _pin(mine[0].manifest["hub_key"], home)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _take(
    mine: list[VillageBundle],
    staging: Path,
    check_pack: PackCheck,
    report: StickReport,
    home: Path | None,
) -> tuple[list[StagedPack], list[dict[str, Any]]]:
    """The newer packs, staged and checked, and the learners: nothing installed yet."""
    held = _held_versions(home)
    newer: list[StagedPack] = []
    learners: list[dict[str, Any]] = []
    for bundle in mine:
        staged, roster = stage(bundle, staging / bundle.folder.name)
        learners += roster
        for pack in staged:
            offered = _numbers(pack.version)
            if pack_identity(pack.root) != (pack.id, offered):
                raise BundleError(bundle.path, "village_fields", f"{pack.id} {pack.version}")
            have = held.get(pack.id)
            if have is not None and have[0] >= offered:
                report.skipped.append((pack.id, pack.version, have[1]))
                continue
            # Problems name the staged files: say them as the pack's own (photos.toml).
            errors = [e.replace(f"{display_path(pack.root)}/", "") for e in check_pack(pack.root)]
            if errors:
                raise BundleError(
                    bundle.path, "village_pack", f"{pack.id} {pack.version}: {errors[0]}"
                )
            held[pack.id] = (offered, pack.version)
            newer.append(pack)
    return newer, learners


def _held_versions(home: Path | None) -> dict[str, tuple[tuple[int, ...], str]]:
    held = {}
    for folder in newest_packs(pack_search_path(home)):
        found = pack_identity(folder)
        if found is not None:
            held[found[0]] = (found[1], ".".join(str(n) for n in found[1]))
    return held


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _install(pack: StagedPack, lessons: Path) -> None:
    """One rename puts the checked pack in place; older installed versions go after it."""
    make_dirs(lessons)
    target = lessons / f"{pack.id}-{pack.version}"
    if target.exists():
        _remove(target)
    os.rename(pack.root, target)
    fsync_dir(lessons)
    for folder in find_packs(lessons):
        found = pack_identity(folder)
        if folder != target and found is not None and found[0] == pack.id:
            _remove(folder)


def _remove(folder: Path) -> None:
    """Renamed aside first, so a cut-off delete never leaves half a pack under a pack's name."""
    aside = folder.with_name(f".{folder.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(folder, aside)
    fsync_dir(folder.parent)
    shutil.rmtree(aside, ignore_errors=True)


def _enrol(learners: list[dict[str, Any]], report: StickReport, home: Path | None) -> None:
    """The village's learners this device does not know yet, in its own log in one write."""
    progress = load_progress(home)
    drafts, seen = [], set()
    for learner in learners:
        learner_id = learner["learner"]
        if progress.learner(learner_id) is not None or learner_id in seen:
            report.known += 1
            continue
        seen.add(learner_id)
        data = {key: learner[key] for key in ("name", "village", "language")}
        drafts.append(Draft(learner_id, LEARNER_ENROLLED, {**data, "name_consent": True}))
    if drafts:
        with open_log(device_identity(home).id, home) as log:
            log.append_batch(drafts)
    report.enrolled = len(drafts)


def _pin(public_key: str, home: Path | None) -> None:
    trust = load_trust(home)
    if trust is not None and trust.public_key is None:
        save_trust(Trust(trust.fingerprint, trust.village, public_key), home)
