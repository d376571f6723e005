"""SQL for the help desk: the help events of the last days, to open the desk again after a
restart. The events' `at` index keeps this to the days asked for."""

from tutor.hub.storage.db import Tx
from tutor.hub.storage.devices import DeviceRow, every


def help_lines(tx: Tx, since: str) -> list[tuple[DeviceRow, str]]:
    """(device, line) of every help_requested and help_answered event since `since`."""
    rows = {row.id: row for row in every(tx)}
    found = tx.all(
        "SELECT device, line FROM events WHERE at >= ?"
        " AND (line LIKE '%\"type\":\"help_requested\"%'"
        " OR line LIKE '%\"type\":\"help_answered\"%') ORDER BY at, device, seq",
        (since,),
    )
    return [(rows[str(device)], str(line)) for device, line in found if str(device) in rows]
