"""Audio into the shape a recognizer wants: 16-bit mono PCM at the model's sample rate."""

from pathlib import Path

import numpy as np

MODEL_RATE = 16000


class AudioProblem(Exception):
    """Audio that cannot be read; `key` names the catalog message."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values


def to_model_pcm(samples: np.ndarray, rate: int, target_rate: int = MODEL_RATE) -> bytes:
    """Mix to mono, resample (soxr, high quality) and convert to little-endian int16 bytes."""
    import soxr

    audio = np.asarray(samples, dtype=np.float32)
    if audio.ndim == 2:
        audio = audio.mean(axis=1)
    if rate != target_rate and audio.size:
        audio = soxr.resample(audio, rate, target_rate)
    audio = np.clip(audio, -1.0, 1.0)
    return (audio * 32767).astype("<i2").tobytes()


def read_wav(path: Path, target_rate: int = MODEL_RATE) -> bytes:
    """Any WAV (or FLAC/OGG) soundfile reads, as model PCM."""
    import soundfile

    if not path.is_file():
        raise AudioProblem("audio.not_found", path=path)
    try:
        samples, rate = soundfile.read(str(path), dtype="float32", always_2d=False)
    except (RuntimeError, soundfile.LibsndfileError) as err:
        raise AudioProblem("audio.unreadable", path=path) from err
    return to_model_pcm(samples, rate, target_rate)


def level(pcm: bytes) -> float:
    """Loudness of a chunk from 0 to 1 (RMS of int16), for a meter and for endpointing."""
    if not pcm:
        return 0.0
    audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    return float(np.sqrt(np.mean(audio * audio)))
