"""A tiny PNG reader for screenshot checks: 8-bit RGB or RGBA, not interlaced (what Chromium
writes). Pillow is not a dependency, and all a test needs is the pixels to count colours."""

import struct
import zlib
from pathlib import Path

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def read_png(path: Path) -> np.ndarray:
    """The image as an array of shape (height, width, channels), dtype uint8."""
    data = path.read_bytes()
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a PNG")
    pos, chunks, header = len(SIGNATURE), [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError(f"{path}: no IHDR")
    width, height, depth, colour, _, _, interlace = header
    channels = {2: 3, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"{path}: only 8-bit RGB/RGBA, not interlaced (got {header})")
    raw = np.frombuffer(zlib.decompress(b"".join(chunks)), dtype=np.uint8)
    stride = width * channels
    rows = raw.reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.uint8)
    previous = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:]
        out[y] = _unfilter(kind, line, previous, channels)
        previous = out[y]
    return out.reshape(height, width, channels)


def _unfilter(kind: int, line: np.ndarray, up: np.ndarray, bpp: int) -> np.ndarray:
    if kind == 0:
        return line
    if kind == 2:
        return line + up  # uint8 wraps, as the format wants
    if kind == 1:
        # Sub: a running sum along each channel.
        return (
            (np.cumsum(line.reshape(-1, bpp).astype(np.int64), axis=0) % 256)
            .astype(np.uint8)
            .reshape(-1)
        )
    result = bytearray(len(line))
    cur, above = line.tolist(), up.tolist()
    for i in range(len(cur)):
        a = result[i - bpp] if i >= bpp else 0
        b = above[i]
        if kind == 3:
            result[i] = (cur[i] + (a + b) // 2) & 0xFF
        else:
            c = above[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
            result[i] = (cur[i] + pred) & 0xFF
    return np.frombuffer(bytes(result), dtype=np.uint8)
