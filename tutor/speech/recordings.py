"""Recorded voice packs: a local speaker's recordings of the tutor's sentences.

A neighbour's voice is easier to follow than a synthetic one, and no synthesiser speaks
Southwestern Mandarin. A voice pack is a folder with `pack.toml` and one 16 kHz mono WAV per
string id (tutor/speech/spoken.py), `<string id>.wav`, where the `/` of a lesson string id
are sub-folders. Beside each recording, `<string id>.txt` holds the sentence as it read when
it was recorded: when the lesson text changes later, the recording is stale and the tutor
speaks the new text with TTS instead of playing the old words. The format is in
voices/README.md.
"""

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from tutor.content.languages import Language
from tutor.content.paths import data_home, voices_dir
from tutor.content.reading import read_toml
from tutor.content.voices import VoiceProfile

MANIFEST = "pack.toml"
# Recordings shorter or longer than this are a slip of the key or a forgotten stop.
MIN_SECONDS = 0.3
MAX_SECONDS = 60.0
# A peak below this (of full scale) is a muted or unplugged microphone.
MIN_PEAK = 0.02
SAMPLE_RATE = 16000


class VoicePackManifest(BaseModel):
    """`pack.toml`, strictly: a typo in `consent` must never count as consent given."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: str
    language: Language
    profile: str | None = None
    speaker: str
    consent: bool
    review: Literal["draft", "reviewed"]


class VoicePackError(Exception):
    """A voice pack that cannot be used; the message says why in one line."""


class RecordingToolError(Exception):
    """sox failed or is missing."""


@dataclass(frozen=True)
class VoicePack:
    root: Path
    manifest: VoicePackManifest

    @property
    def language(self) -> str:
        return self.manifest.language

    def suits(self, profile: VoiceProfile) -> bool:
        """Same language, and recorded for this profile or one it extends (or for any)."""
        wanted = self.manifest.profile
        return self.language == profile.language and (wanted is None or wanted in profile.chain)

    def wav(self, string_id: str) -> Path:
        """Where the recording of `string_id` is (or would be) kept."""
        return self.root / f"{string_id}.wav"

    def find(self, string_id: str, text: str) -> Path | None:
        """The recording to play for this sentence, or None: no consent, none, or stale."""
        wav = self.wav(string_id)
        if not self.manifest.consent or not wav.is_file():
            return None
        return None if self.is_stale(string_id, text) else wav

    def is_stale(self, string_id: str, text: str) -> bool:
        recorded = self.wav(string_id).with_suffix(".txt")
        return recorded.is_file() and recorded.read_text(encoding="utf-8", errors="replace") != text

    def save(self, string_id: str, text: str, source: Path) -> None:
        """Convert `source` to 16 kHz mono and keep it, with the sentence it says."""
        wav = self.wav(string_id)
        wav.parent.mkdir(parents=True, exist_ok=True)
        partial = wav.with_suffix(".partial.wav")
        _sox(str(source), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(partial), "norm", "-1")
        partial.replace(wav)
        wav.with_suffix(".txt").write_text(text, encoding="utf-8")


def pack_folders() -> list[Path]:
    """Where voice packs are looked for by name: the learner data folder, then shipped ones."""
    return [data_home() / "recordings", voices_dir() / "recordings"]


def open_voice_pack(name_or_path: str) -> VoicePack:
    """A voice pack by folder path or by name, or VoicePackError saying what is wrong."""
    candidates = [Path(name_or_path)] + [folder / name_or_path for folder in pack_folders()]
    root = next((c for c in candidates if (c / MANIFEST).is_file()), None)
    if root is None:
        raise VoicePackError(f"{name_or_path}: no {MANIFEST}")
    data, problems = read_toml(root / MANIFEST)
    if data is None:
        raise VoicePackError(problems[0].line())
    try:
        return VoicePack(root, VoicePackManifest.model_validate(data))
    except ValidationError as err:
        where = ".".join(str(part) for part in err.errors()[0]["loc"])
        raise VoicePackError(f"{root / MANIFEST}: {where}: {err.errors()[0]['msg']}") from err


def check_recording(path: Path) -> str | None:
    """Why `path` cannot be used as a recording (one phrase), or None when it can."""
    try:
        with path.open("rb") as f:
            head = f.read(12)
    except OSError as err:
        return f"cannot read: {err.strerror or err}"
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return "not a WAV file"
    try:
        seconds = float(_sox_output("soxi", "-D", str(path)))
        peak = _peak(path)
    except (RecordingToolError, ValueError):
        return "not a readable WAV file"
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        return f"{seconds:.1f} s long, expected {MIN_SECONDS} to {MAX_SECONDS:.0f} s"
    if peak < MIN_PEAK:
        return "silent (is the microphone muted?)"
    return None


def _peak(path: Path) -> float:
    """The loudest sample, 0.0 to 1.0 of full scale (`sox FILE -n stat` prints it)."""
    for line in _sox_output("sox", str(path), "-n", "stat", stderr=True).splitlines():
        if line.startswith("Maximum amplitude"):
            return float(line.split(":")[1])
    raise RecordingToolError("sox printed no amplitude")


def slowed(wav: Path, tempo: float, cache: Path) -> Path:
    """`wav` played at `tempo` times its speed, pitch kept (for a learner who said "slower")."""
    key = hashlib.sha1(f"{wav.resolve()}:{wav.stat().st_mtime_ns}".encode()).hexdigest()[:16]
    out = cache / f"{key}-{tempo:.2f}.wav"
    if not out.is_file():
        _sox(str(wav), str(out), "tempo", "-s", f"{tempo:.3f}")
    return out


def _sox(*args: str) -> None:
    _sox_output("sox", *args)


def _sox_output(*command: str, stderr: bool = False) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RecordingToolError(str(err)) from err
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        raise RecordingToolError(lines[-1] if lines else f"{command[0]} failed")
    return result.stderr if stderr else result.stdout


@dataclass(frozen=True)
class Coverage:
    """Which sentences of a voice pack's language are recorded, missing, or stale."""

    done: list[str]
    missing: list[str]
    stale: list[str]

    @property
    def total(self) -> int:
        return len(self.done) + len(self.missing) + len(self.stale)

    @property
    def percent(self) -> int:
        return 100 * len(self.done) // self.total if self.total else 100


def coverage(pack: VoicePack, texts: dict[str, str]) -> Coverage:
    done, missing, stale = [], [], []
    for string_id, text in texts.items():
        if not pack.wav(string_id).is_file():
            missing.append(string_id)
        elif pack.is_stale(string_id, text):
            stale.append(string_id)
        else:
            done.append(string_id)
    return Coverage(done, missing, stale)


def import_folder(pack: VoicePack, folder: Path, texts: dict[str, str]) -> tuple[int, list[str]]:
    """Import every `<string id>.wav` under `folder`; (how many, one line per problem).

    A lesson string id's `/` are sub-folders: `starter/photos/light.text.wav`.
    """
    imported, problems = 0, []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        string_id = relative.with_suffix("").as_posix()
        if path.suffix.lower() != ".wav":
            problems.append(f"{path}: not a WAV file")
            continue
        if string_id not in texts:
            problems.append(f"{path}: no sentence '{string_id}' in language {pack.language}")
            continue
        reason = check_recording(path)
        if reason is None:
            try:
                pack.save(string_id, texts[string_id], path)
                imported += 1
                continue
            except RecordingToolError as err:
                reason = f"cannot convert: {err}"
        problems.append(f"{path}: {reason}")
    return imported, problems
