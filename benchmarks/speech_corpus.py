"""Recordings for the end-to-end speech tests, made at test time with espeak-ng and sox.

Several voices, speeds and pitches, with and without added noise, plus silence, noise and
Mandarin speech that must never be accepted. Shared by the tests and benchmarks/listen.py.
"""

import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

PHRASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "speech" / "phrases.toml"

# (espeak-ng voice variant, words per minute, pitch, noise level or 0)
SPEAKERS = (
    ("ko", 150, 50, 0.0),
    ("ko+f2", 135, 65, 0.0),
    ("ko+m3", 170, 35, 0.0),
    ("ko+f4", 150, 55, 0.02),
)


@dataclass(frozen=True)
class Recording:
    path: Path
    prompt: str
    said: str
    want: str
    speaker: str


def _sox(*args: str) -> None:
    """sox in repeatable mode (-R): the same noise every run, so runs compare."""
    subprocess.run(["sox", "-R", *args], check=True, capture_output=True)


def _sox_16k(source: Path, target: Path, noise: float) -> None:
    """To 16 kHz mono 16-bit; with `noise`, white noise of that volume mixed in."""
    if not noise:
        _sox(str(source), "-r", "16000", "-c", "1", "-b", "16", str(target))
        return
    clean = target.with_suffix(".clean.wav")
    hiss = target.with_suffix(".hiss.wav")
    _sox(str(source), "-r", "16000", "-c", "1", "-b", "16", str(clean))
    seconds = subprocess.run(
        ["soxi", "-D", str(clean)], capture_output=True, text=True, check=True
    ).stdout.strip()
    _sox(
        "-n",
        "-r",
        "16000",
        "-c",
        "1",
        "-b",
        "16",
        str(hiss),
        "synth",
        seconds,
        "whitenoise",
        "vol",
        str(noise),
    )
    _sox("-m", str(clean), str(hiss), "-b", "16", str(target))
    clean.unlink()
    hiss.unlink()


def _speak(voice: str, rate: int, pitch: int, text: str, target: Path, noise: float) -> None:
    raw = target.with_suffix(".raw.wav")
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w", str(raw), text],
        check=True,
    )
    _sox_16k(raw, target, noise)
    raw.unlink()


def make_recordings(folder: Path) -> list[Recording]:
    data = tomllib.loads(PHRASES.read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Recording] = []
    n = 0
    for group in data["say"]:
        for said, want in group["items"]:
            for voice, rate, pitch, noise in SPEAKERS:
                n += 1
                path = folder / f"{n:03d}.wav"
                _speak(voice, rate, pitch, said, path, noise)
                speaker = f"{voice} {rate}wpm p{pitch}" + (f" noise{noise}" if noise else "")
                out.append(Recording(path, group["prompt"], said, want, speaker))
    for group in data["mandarin"]:
        for said, want in group["items"]:
            n += 1
            path = folder / f"{n:03d}.wav"
            _speak("cmn-latn-pinyin", 150, 50, said, path, 0.0)
            out.append(Recording(path, group["prompt"], said, want, "cmn-latn-pinyin"))
    for kind, effect in (
        ("silence", ["synth", "2", "sine", "0"]),
        ("white noise", ["synth", "2", "whitenoise", "vol", "0.3"]),
        ("pink noise", ["synth", "2", "pinknoise", "vol", "0.3"]),
        ("brown noise", ["synth", "2", "brownnoise", "vol", "0.3"]),
    ):
        n += 1
        path = folder / f"{n:03d}.wav"
        _sox("-n", "-r", "16000", "-c", "1", "-b", "16", str(path), *effect)
        out.append(Recording(path, "listen", kind, "reject", kind))
    return out


@dataclass
class Tally:
    """Counts for one method over the recordings, as the issue's bar reads them."""

    answers: int = 0
    negatives: int = 0
    correct_accept: int = 0
    correct_confirm: int = 0
    wrong_accept: int = 0
    negative_accepted: int = 0
    negative_asked_back: int = 0
    seconds: float = 0.0
    audio_seconds: float = 0.0

    def add(self, recording: Recording, decision: str, got: str) -> None:
        if recording.want == "reject":
            self.negatives += 1
            self.negative_accepted += decision == "accept"
            self.negative_asked_back += decision == "confirm"
        else:
            self.answers += 1
            self.correct_accept += decision == "accept" and got == recording.want
            self.correct_confirm += decision == "confirm" and got == recording.want
        self.wrong_accept += decision == "accept" and got != recording.want

    def row(self) -> dict:
        total = self.answers + self.negatives

        def pct(n: int, d: int) -> float:
            return round(100.0 * n / d, 1) if d else 0.0

        return {
            "recordings": total,
            "correct_accept_%": pct(self.correct_accept, self.answers),
            "correct_accept_or_confirm_%": pct(
                self.correct_accept + self.correct_confirm, self.answers
            ),
            "wrong_accept_%": pct(self.wrong_accept, total),
            "negatives_accepted": self.negative_accepted,
            "negatives_asked_back_%": pct(self.negative_asked_back, self.negatives),
            "ms_per_utterance": round(1000 * self.seconds / total, 1) if total else 0.0,
            "real_time_factor": round(self.seconds / self.audio_seconds, 3)
            if self.audio_seconds
            else 0.0,
        }


def target_of(decision: str, intent: str | None, key: str | None) -> str:
    if decision == "reject" or intent is None:
        return "reject"
    return f"choice:{key}" if intent == "choice" else intent
