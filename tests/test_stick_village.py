"""Hub to village on a USB stick: lesson-pack updates and enrolments, through the real command.

A county hub (a TUTOR_HOME with the records of a village device and learners of its own)
writes a village bundle; a device of that village trusts the hub key once and takes it in.
"""

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_tutor

from tutor.progress.store import read_events
from tutor.progress.village import write_village
from tutor.progress.village_keys import hub_signing_key

FINGERPRINT = re.compile(r"[0-9a-f]{4}(?:-[0-9a-f]{4}){4}")
SHIPPED = ROOT / "lessons" / "starter"


def tutor(home: Path, *args: str):
    return run_tutor(*args, env={"TUTOR_HOME": str(home)})


def ok(result) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def refused(result) -> str:
    """One line on stderr, exit 1, no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def enrol(home: Path, name: str, village: str, consent: bool) -> str:
    args = ["progress", "enrol", "--name", name, "--village", village]
    out = ok(tutor(home, *args, *(["--name-consent"] if consent else [])))
    return re.search(r"[0-9a-f-]{36}", out).group(0)


def pack_copy(folder: Path, version: str, title_mark: str) -> Path:
    """The shipped starter pack at another version, its Mandarin title marked."""
    shutil.copytree(SHIPPED, folder)
    manifest = folder / "pack.toml"
    text = re.sub(r'(?m)^version = ".*"$', f'version = "{version}"', manifest.read_text())
    text = re.sub(r'(?m)^(title\.zh = ".*)"$', rf'\1{title_mark}"', text)
    manifest.write_text(text)
    return folder


def state(home: Path) -> tuple:
    """What a failed import must leave exactly as it was: logs and installed packs."""
    logs = sorted((home / "progress" / "logs").glob("*.jsonl"))
    installed = home / "lessons"
    files = (
        sorted(str(p.relative_to(home)) for p in installed.rglob("*")) if installed.exists() else []
    )
    return [(p.name, p.read_bytes()) for p in logs], files


@pytest.fixture
def county(tmp_path):
    """A village device that sent its records in, and a hub that knows three more learners."""
    hub, device, stick = tmp_path / "hub", tmp_path / "device", tmp_path / "stick"
    stick.mkdir()
    learners = {"Ana": enrol(device, "Ana", "V1", True)}
    ok(tutor(device, "sync", "export", "--to", str(stick)))
    ok(tutor(hub, "sync", "import", str(stick)))
    learners["Bo"] = enrol(hub, "Bo", "V1", True)
    learners["Cy"] = enrol(hub, "Cy", "V1", False)
    learners["Di"] = enrol(hub, "Di", "V2", True)
    newer = pack_copy(tmp_path / "packs" / "starter", "9.0.0", " NEW")
    out = ok(
        tutor(hub, "sync", "export", "--to", str(stick), "--village", "V1", "--packs", str(newer))
    )
    return hub, device, stick, FINGERPRINT.search(out).group(0), learners


def village_folder(stick: Path) -> Path:
    (folder,) = (stick / "tutor-village").iterdir()
    return folder


def listed_learners(home: Path) -> str:
    return ok(tutor(home, "progress", "list"))


def test_a_trusted_device_takes_the_newer_pack_and_the_named_learners_once(county):
    _, device, stick, fingerprint, learners = county
    assert "9.0.0" not in ok(tutor(device, "lessons", "list"))
    ok(tutor(device, "sync", "trust", fingerprint.upper().replace("-", " "), "--village", "V1"))
    out = ok(tutor(device, "sync", "import", str(stick)))
    assert "starter 9.0.0" in out
    assert "NEW" in ok(tutor(device, "lessons", "list"))
    shown = listed_learners(device)
    assert learners["Bo"] in shown and "Bo" in shown
    # No name consent: not on the stick at all. Another village: not this device's.
    assert learners["Cy"] not in shown and learners["Di"] not in shown
    assert "Cy" not in (village_folder(stick) / "enrolments.json").read_text()

    before = state(device)
    again = ok(tutor(device, "sync", "import", str(stick)))
    assert state(device) == before
    assert "9.0.0" in again  # said once, in one line: the device has it already


def test_the_enrolment_travels_back_to_the_hub_without_changing_the_learner(county):
    hub, device, stick, fingerprint, learners = county
    ok(tutor(device, "sync", "trust", fingerprint, "--village", "V1"))
    ok(tutor(device, "sync", "import", str(stick)))
    ok(tutor(device, "sync", "export", "--to", str(stick)))
    # The stick comes home still holding the hub's own village bundle: checked, not taken.
    ok(tutor(hub, "sync", "import", str(stick)))
    assert not (hub / "lessons").exists()
    shown = listed_learners(hub)
    assert shown.count(learners["Bo"]) == 1 and "Bo" in shown
    ok(tutor(hub, "progress", "verify"))


def test_a_bundle_from_a_hub_the_device_does_not_trust_is_refused(county, tmp_path):
    _, device, stick, fingerprint, _ = county
    before = state(device)
    line = refused(tutor(device, "sync", "import", str(stick)))
    assert fingerprint in line
    assert state(device) == before
    # Trusting another hub's fingerprint does not let this one in either.
    other = tmp_path / "other-hub"
    out = ok(tutor(other, "sync", "export", "--to", str(tmp_path), "--village", "V1"))
    ok(tutor(device, "sync", "trust", FINGERPRINT.search(out).group(0), "--village", "V1"))
    assert fingerprint in refused(tutor(device, "sync", "import", str(stick)))
    assert state(device) == before


@pytest.mark.parametrize("damage", ["pack-byte", "enrolments-byte", "manifest-edit", "extra"])
def test_a_tampered_village_bundle_is_refused_and_nothing_changes(county, tmp_path, damage):
    _, device, stick, fingerprint, _ = county
    ok(tutor(device, "sync", "trust", fingerprint, "--village", "V1"))
    # Another device's records on the same stick must not be merged either.
    other = tmp_path / "other-device"
    enrol(other, "Eve", "V1", True)
    ok(tutor(other, "sync", "export", "--to", str(stick)))
    folder = village_folder(stick)
    if damage == "pack-byte":
        target = folder / "packs" / "starter" / "photos.toml"
        data = target.read_bytes()
        target.write_bytes(data[:100] + bytes([data[100] ^ 0x01]) + data[101:])
    elif damage == "enrolments-byte":
        target = folder / "enrolments.json"
        target.write_text(target.read_text().replace("Bo", "Bob"))
    elif damage == "manifest-edit":
        manifest = json.loads((folder / "village.json").read_text())
        manifest["packs"][0]["version"] = "9.0.1"
        (folder / "village.json").write_text(json.dumps(manifest))
    else:
        # A lesson slipped in beside the signed ones is never read, so it cannot get in.
        (folder / "packs" / "starter" / "sneaky.toml").write_text('id = "sneaky"\n')
    before = state(device)
    result = tutor(device, "sync", "import", str(stick))
    if damage == "extra":
        ok(result)
        assert not list((device / "lessons").rglob("sneaky.toml"))
        return
    refused(result)
    assert state(device) == before
    refused(tutor(device, "sync", "verify", str(stick)))


def test_an_older_or_same_pack_is_skipped_in_one_line(county, tmp_path):
    hub, device, stick, fingerprint, _ = county
    ok(tutor(device, "sync", "trust", fingerprint, "--village", "V1"))
    ok(tutor(device, "sync", "import", str(stick)))
    older = pack_copy(tmp_path / "old" / "starter", "8.0.0", " OLD")
    ok(tutor(hub, "sync", "export", "--to", str(stick), "--village", "V1", "--packs", str(older)))
    before = state(device)
    out = ok(tutor(device, "sync", "import", str(stick)))
    assert [line for line in out.splitlines() if "8.0.0" in line and "9.0.0" in line]
    assert state(device) == before
    listing = ok(tutor(device, "lessons", "list"))
    assert "NEW" in listing and "OLD" not in listing


def test_a_signed_pack_that_fails_the_check_here_is_refused_whole(county, tmp_path):
    hub, device, stick, fingerprint, _ = county
    ok(tutor(device, "sync", "trust", fingerprint, "--village", "V1"))
    broken = pack_copy(tmp_path / "broken" / "starter", "9.5.0", "")
    (broken / "photos.toml").write_text('id = "photos"\nkind = "lesson"\n')
    from tutor.progress.village import PackFiles, pack_files

    key, public = hub_signing_key(hub)
    files = PackFiles("starter", "9.5.0", broken, pack_files(broken))
    write_village(stick, "V1", [files], [], key, public)
    before = state(device)
    line = refused(tutor(device, "sync", "import", str(stick)))
    assert "9.5.0" in line and "photos.toml" in line
    assert state(device) == before


def test_the_hub_refuses_to_put_a_broken_pack_on_the_stick(county, tmp_path):
    hub, _, stick, _, _ = county
    broken = pack_copy(tmp_path / "broken" / "starter", "9.5.0", "")
    (broken / "pack.toml").write_text('id = "starter"\n')
    before = sorted(p.name for p in village_folder(stick).rglob("*"))
    refused(
        tutor(hub, "sync", "export", "--to", str(stick), "--village", "V1", "--packs", str(broken))
    )
    assert sorted(p.name for p in village_folder(stick).rglob("*")) == before


def test_events_the_device_wrote_for_the_enrolment_carry_the_consent(county):
    _, device, stick, fingerprint, learners = county
    ok(tutor(device, "sync", "trust", fingerprint, "--village", "V1"))
    ok(tutor(device, "sync", "import", str(stick)))
    device_id = json.loads((device / "progress" / "device" / "device.json").read_text())
    own = device / "progress" / "logs" / f"{device_id['device']}.jsonl"
    enrolled = [e for e in read_events(own) if e["learner"] == learners["Bo"]]
    assert [e["data"] for e in enrolled] == [
        {"name": "Bo", "village": "V1", "language": "zh", "name_consent": True}
    ]
