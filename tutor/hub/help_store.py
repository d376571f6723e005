"""SQL for the help desk: the help events of the last days, to open the desk again after a
restart. The events' `at` index keeps this to the days asked for."""

from tutor.hub.storage.db import Tx
from tutor.hub.storage.devices import DeviceRow, every


def help_lines(tx: Tx, since: str) -> list[tuple[DeviceRow, str]]:
    """(device, line) of every help_requested and help_answered event since `since`."""
    rows = {row.id: row for row in every(tx)}
    # The patterns go as parameters: a literal % in the SQL means something to psycopg.
    found = tx.all(
        "SELECT device, line FROM events WHERE at >= ? AND (line LIKE ? OR line LIKE ?)"
        " ORDER BY at, device, seq",
        (since, '%"type":"help_requested"%', '%"type":"help_answered"%'),
    )
    return [(rows[str(device)], str(line)) for device, line in found if str(device) in rows]
