"""USB sync: export what a stick lacks, verify a stick, import a stick all or nothing.

Import checks every bundle on the stick first (signature, pinned key, revocation, bytes,
chain) and merges only when all hold. Merging is keyed by device and seq: an event already
held is skipped (so importing the same stick twice changes nothing); an event that differs
from the one held at the same seq is a fork, kept aside in `sync/forks/` and reported, never
dropped and never merged; events past a gap wait for the missing bundle. Each device's new
events are appended in one write and one fsync, under the same lock the learner app uses, so
a process killed mid-import leaves every log whole (a torn tail is set aside on the next
open, as after a power cut) and running the import again finishes the job.
"""

import fcntl
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tutor.progress.bundle import (
    Bundle,
    BundleError,
    check_bundle,
    copy_bundle,
    keep_bundle,
    kept_bundles,
    pinned_keys,
    revocations,
    save_pinned_keys,
    stick_bundles,
    sync_home,
    write_bundle,
)
from tutor.progress.home import LOG_SUFFIX, fsync_dir, log_paths, logs_dir, make_dirs
from tutor.progress.identity import device_identity, signing_key


@dataclass
class ExportReport:
    bundles: list[Bundle] = field(default_factory=list)

    @property
    def events(self) -> int:
        return sum(b.last - b.first + 1 for b in self.bundles)


@dataclass
class ImportReport:
    new: dict[str, int] = field(default_factory=dict)
    already: int = 0
    forks: list[Path] = field(default_factory=list)
    waiting: dict[str, int] = field(default_factory=dict)

    @property
    def events(self) -> int:
        return sum(self.new.values())


# Export ---------------------------------------------------------------------------------


def export_to(stick: Path, everything: bool = False, home: Path | None = None) -> ExportReport:
    """This device's events the stick does not have yet (or all of them), signed, plus the
    bundles of other devices this one carries."""
    me = device_identity(home)
    on_stick = _highest_on_stick(stick)
    report = ExportReport()
    own = logs_dir(home) / f"{me.id}{LOG_SUFFIX}"
    if own.is_file():
        have = 0 if everything else on_stick.get(me.id, 0)
        lines, prev, head = _lines_after(own, have)
        if lines:
            key = signing_key(me)
            report.bundles.append(
                write_bundle(stick, me.id, me.public_key, key, lines, have + 1, prev, head)
            )
    for bundle in kept_bundles(home):
        if bundle.device != me.id and (everything or bundle.last > on_stick.get(bundle.device, 0)):
            report.bundles.append(copy_bundle(bundle, stick))
    return report


def _highest_on_stick(stick: Path) -> dict[str, int]:
    highest: dict[str, int] = {}
    try:
        bundles = stick_bundles(stick)
    except BundleError:
        return highest
    for bundle in bundles:
        highest[bundle.device] = max(highest.get(bundle.device, 0), bundle.last)
    return highest


def _lines_after(log: Path, seq: int) -> tuple[list[bytes], str | None, str]:
    """The whole lines after `seq`, the hash before them and the last hash."""
    lines: list[bytes] = []
    prev, head, count = None, "", 0
    with log.open("rb") as f:
        for raw in f:
            if not raw.endswith(b"\n"):
                break
            count += 1
            marker = raw.rfind(b'"hash":"')
            line_hash = raw[marker + 8 : marker + 72].decode("ascii")
            if count <= seq:
                prev = line_hash
            else:
                lines.append(raw)
            head = line_hash
    return lines, prev, head


# Verify ---------------------------------------------------------------------------------


def verify_stick(stick: Path, home: Path | None = None) -> list[Bundle]:
    """Every bundle on the stick, checked; raises BundleError at the first that fails."""
    if not (stick / "tutor-sync").is_dir():
        raise BundleError(stick, "no_bundles")
    bundles = stick_bundles(stick)
    keys, revoked = pinned_keys(home), revocations(home)
    seen: dict[str, str] = {}
    for bundle in bundles:
        pinned = keys.get(bundle.device) or seen.get(bundle.device)
        check_bundle(bundle, pinned, revoked.get(bundle.device))
        seen.setdefault(bundle.device, bundle.manifest["public_key"])
    return bundles


# Import ---------------------------------------------------------------------------------


def import_from(stick: Path, home: Path | None = None) -> ImportReport:
    return merge_verified(verify_stick(stick, home), home)


def merge_verified(bundles: list[Bundle], home: Path | None = None) -> ImportReport:
    """Merge bundles `verify_stick` passed, keyed by device and seq."""
    me = device_identity(home).id
    report = ImportReport()
    keys = pinned_keys(home)
    by_device: dict[str, list[Bundle]] = {}
    for bundle in bundles:
        by_device.setdefault(bundle.device, []).append(bundle)
    for device, group in by_device.items():
        if device == me:
            continue
        _merge_device(device, group, report, home)
        keys.setdefault(device, group[0].manifest["public_key"])
    save_pinned_keys(keys, home)
    return report


def _merge_device(device: str, bundles: list[Bundle], report: ImportReport, home) -> None:
    log = logs_dir(home) / f"{device}{LOG_SUFFIX}"
    make_dirs(log.parent)
    created = not log.exists()
    fd = os.open(log, os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        held = _held_hashes(log)
        new: list[bytes] = []
        top = len(held)
        head = held[-1] if held else None
        for bundle in bundles:
            fork = None
            with bundle.events_path.open("rb") as f:
                for seq, raw in enumerate(f, bundle.first):
                    line_hash = _hash_of(raw)
                    if seq <= top:
                        if held[seq - 1] != line_hash and fork is None:
                            fork = seq
                        else:
                            report.already += 1
                        continue
                    if seq > top + 1:
                        report.waiting[device] = top
                        break
                    if fork is not None or _prev_of(raw) != head:
                        fork = fork or seq
                        break
                    new.append(raw)
                    top, head = seq, line_hash
            if fork is not None:
                report.forks.append(_keep_fork(bundle, fork, home))
                continue
            keep_bundle(bundle, home)
        if new:
            _append(fd, b"".join(new))
            report.new[device] = len(new)
    finally:
        os.close(fd)
    if created:
        fsync_dir(log.parent)


def _held_hashes(log: Path) -> list[str]:
    hashes = []
    with log.open("rb") as f:
        for raw in f:
            if raw.endswith(b"\n"):
                hashes.append(_hash_of(raw))
    return hashes


def _hash_of(raw: bytes) -> str:
    marker = raw.rfind(b'"hash":"')
    return raw[marker + 8 : marker + 72].decode("ascii", "replace")


def _prev_of(raw: bytes) -> str | None:
    marker = raw.rfind(b'"prev":')
    if raw[marker + 7 : marker + 11] == b"null":
        return None
    return raw[marker + 8 : marker + 72].decode("ascii", "replace")


def _append(fd: int, blob: bytes) -> None:
    view = memoryview(blob)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def _keep_fork(bundle: Bundle, seq: int, home) -> Path:
    """The bundle's events from the first one that differs, kept aside for a person."""
    folder = sync_home(home) / "forks"
    make_dirs(folder)
    target = folder / f"{bundle.device}-{seq:010d}-{bundle.manifest['head'][:12]}.jsonl"
    with bundle.events_path.open("rb") as f:
        lines = [raw for n, raw in enumerate(f, bundle.first) if n >= seq]
    target.write_bytes(b"".join(lines))
    fsync_dir(folder)
    return target


def held_devices(home: Path | None = None) -> Iterable[str]:
    return [p.name.removesuffix(LOG_SUFFIX) for p in log_paths(home)]
