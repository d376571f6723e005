"""SQL for events, the signed batches they came in, and forks kept aside.

Each device's events are held from seq 1 with no hole (intake.py only appends right after
the highest seq held), so "the highest seq" is all a device needs to ask before a push.
"""

from collections.abc import Iterator, Sequence

from tutor.hub.storage.db import Tx


def head(tx: Tx, device: str) -> tuple[int, str | None]:
    """The highest seq held for a device and its hash; (0, None) for none."""
    row = tx.one(
        "SELECT seq, hash FROM events WHERE device = ? ORDER BY seq DESC LIMIT 1", (device,)
    )
    return (int(row[0]), str(row[1])) if row else (0, None)


def hashes(tx: Tx, device: str, first: int, last: int) -> list[tuple[int, str]]:
    return [
        (int(seq), str(h))
        for seq, h in tx.all(
            "SELECT seq, hash FROM events WHERE device = ? AND seq BETWEEN ? AND ? ORDER BY seq",
            (device, first, last),
        )
    ]


def add(tx: Tx, device: str, rows: Sequence[tuple[int, str, str, str]]) -> None:
    """(seq, hash, at, line) rows; one already held is left as it is."""
    tx.many(
        "INSERT INTO events (device, seq, hash, at, line) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (device, seq) DO NOTHING",
        [(device, seq, h, at, line) for seq, h, at, line in rows],
    )


def lines(tx: Tx, device: str, first: int, last: int) -> list[str]:
    return [
        str(row[0])
        for row in tx.all(
            "SELECT line FROM events WHERE device = ? AND seq BETWEEN ? AND ? ORDER BY seq",
            (device, first, last),
        )
    ]


def count(tx: Tx, device: str | None = None) -> int:
    if device is None:
        row = tx.one("SELECT count(*) FROM events")
    else:
        row = tx.one("SELECT count(*) FROM events WHERE device = ?", (device,))
    return int(row[0]) if row else 0


def every_line(tx: Tx) -> Iterator[str]:
    """Every event line held, in the fold's order (time, then device and seq)."""
    for row in tx.stream("SELECT line FROM events ORDER BY at, device, seq"):
        yield str(row[0])


def lines_after(tx: Tx, device: str, seq: int, limit: int) -> list[tuple[int, str]]:
    return [
        (int(s), str(line))
        for s, line in tx.all(
            "SELECT seq, line FROM events WHERE device = ? AND seq > ? ORDER BY seq LIMIT ?",
            (device, seq, limit),
        )
    ]


# Batches ------------------------------------------------------------------------------


def add_batch(tx: Tx, device: str, first: int, last: int, manifest: str, now: str) -> None:
    tx.run(
        "INSERT INTO batches (device, first_seq, last_seq, manifest, received_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (device, last_seq) DO NOTHING",
        (device, first, last, manifest, now),
    )


def batch_from(tx: Tx, device: str, seq: int) -> tuple[int, int, str] | None:
    """A stored batch that holds `seq` (the shortest such), as (first, last, manifest)."""
    row = tx.one(
        "SELECT first_seq, last_seq, manifest FROM batches"
        " WHERE device = ? AND last_seq >= ? AND first_seq <= ? ORDER BY last_seq LIMIT 1",
        (device, seq, seq),
    )
    return (int(row[0]), int(row[1]), str(row[2])) if row else None


# Forks --------------------------------------------------------------------------------


def keep_fork(tx: Tx, device: str, rows: Sequence[tuple[int, str, str]], now: str) -> None:
    """(seq, hash, line) rows that disagree with what is held; a repeat is kept once."""
    tx.many(
        "INSERT INTO forks (device, seq, hash, line, received_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (device, seq, hash) DO NOTHING",
        [(device, seq, h, line, now) for seq, h, line in rows],
    )


def forks(tx: Tx, device: str) -> list[tuple[int, str, str]]:
    return [
        (int(seq), str(h), str(line))
        for seq, h, line in tx.all(
            "SELECT seq, hash, line FROM forks WHERE device = ? ORDER BY seq, hash", (device,)
        )
    ]

