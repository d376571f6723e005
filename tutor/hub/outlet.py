"""What a device gets when it pulls: the signed batches it lacks of the devices it may see.

A mentor's device sees the devices of its own village, a coordinator's the whole county;
nobody is sent their own records. For each device the hub goes from the count the puller
says it holds and hands back whole stored batches, each with the manifest its writer signed,
so the puller checks them exactly as it checks a USB stick. An answer stops at about
`limit` events (never less than one batch) and says whether there is more.

Revoked devices' records up to the revocation are sent like any others (they are part of
the learners' history) and the revocations themselves are listed, so the puller refuses
anything later that reaches it by another way.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from tutor.hub.storage import devices
from tutor.hub.storage import events as rows
from tutor.hub.storage.db import Database
from tutor.hub.storage.devices import DeviceRow


@dataclass
class Parcel:
    bundles: list[dict[str, Any]] = field(default_factory=list)
    more: bool = False
    revoked: dict[str, int] = field(default_factory=dict)


def parcel_for(db: Database, viewer: DeviceRow, have: dict[str, int], limit: int) -> Parcel:
    parcel = Parcel()
    total = 0
    with db.transaction() as tx:
        visible = devices.visible_to(tx, viewer)
        for device in visible:
            if device.revoked_after_seq is not None:
                parcel.revoked[device.id] = device.revoked_after_seq
        for device in visible:
            if device.id == viewer.id:
                continue
            cursor = max(0, have.get(device.id, 0))
            while True:
                found = rows.batch_from(tx, device.id, cursor + 1)
                if found is None:
                    break
                first, last, manifest = found
                if parcel.bundles and total + (last - first + 1) > limit:
                    parcel.more = True
                    return parcel
                lines = rows.lines(tx, device.id, first, last)
                parcel.bundles.append({"manifest": json.loads(manifest), "lines": lines})
                total += last - first + 1
                cursor = last
    return parcel
