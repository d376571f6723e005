"""SQL for the xAPI forwarding cursor: per LRS and device, the last seq forwarded.

Per device, because each device's events reach the hub in seq order with no hole, so
"everything after seq N" is exact; one cursor over arrival order would not be on PostgreSQL,
where concurrent pushes commit in any order.
"""

from tutor.hub.storage.db import Tx


def cursors(tx: Tx, lrs: str) -> dict[str, int]:
    rows = tx.all("SELECT device, seq FROM forward_cursors WHERE lrs = ?", (lrs,))
    return {str(device): int(seq) for device, seq in rows}


def move(tx: Tx, lrs: str, device: str, seq: int) -> None:
    if not tx.run(
        "UPDATE forward_cursors SET seq = ? WHERE lrs = ? AND device = ?", (seq, lrs, device)
    ):
        tx.run(
            "INSERT INTO forward_cursors (lrs, device, seq) VALUES (?, ?, ?)", (lrs, device, seq)
        )


def forget(tx: Tx, lrs: str) -> None:
    """Start again from the first event (the LRS keeps what it has by statement id)."""
    tx.run("DELETE FROM forward_cursors WHERE lrs = ?", (lrs,))
