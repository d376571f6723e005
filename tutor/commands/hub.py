"""`tutor hub serve|code|revoke|forward`: the county hub, run on the coordinator's machine.

`serve` answers devices on the LAN; the other three work on the same database directly
(they need no server running), so whoever sits at the hub machine is the administrator and
no admin password travels over the network. A wrong `--db`, a port in use, an unknown device
or an LRS that fails is one line and exit 1, never a traceback.
"""

import sys
from datetime import UTC, datetime

from tutor.content.strings import Catalog

_H = "hub."


def _say(catalog: Catalog, key: str, **values: object) -> None:
    print(catalog.text(_H + key, **values))


def _fail(catalog: Catalog, key: str, **values: object) -> int:
    print(catalog.text(_H + key, **values), file=sys.stderr)
    return 1


def _open(db_url: str | None, catalog: Catalog):
    """The hub's database, made ready; None (after one line) if it cannot be."""
    from tutor.hub.serve import open_database
    from tutor.hub.storage.db import DatabaseError, database_errors, locate

    try:
        location = locate(db_url)
    except DatabaseError:
        _fail(catalog, "bad_db", url=db_url)
        return None
    try:
        return open_database(location)
    except database_errors() as err:
        text = str(err).strip()
        _fail(catalog, "db_failed", detail=text.splitlines()[0] if text else type(err).__name__)
        return None


def run_serve(host: str, port: int, db_url: str | None, catalog: Catalog) -> int:
    from tutor.hub.serve import bind, serve

    db = _open(db_url, catalog)
    if db is None:
        return 1
    try:
        sock = bind(host, port)
    except OSError as err:
        db.close()
        return _fail(catalog, "port_failed", host=host, port=port, reason=err.strerror or err)
    shown = db.location.shown

    def ready() -> None:
        print(catalog.text(_H + "serving", url=f"http://{host}:{port}", db=shown), flush=True)

    serve(db, sock, ready)
    return 0


def run_code(village: str | None, role: str, db_url: str | None, catalog: Catalog) -> int:
    from tutor.hub.enrolment import Refused, new_code

    db = _open(db_url, catalog)
    if db is None:
        return 1
    try:
        code, expires = new_code(db, village, role)
    except Refused as err:
        return _fail(catalog, err.reason, role=role)
    finally:
        db.close()
    until = datetime.fromisoformat(expires).astimezone().strftime("%H:%M")
    who = catalog.text(_H + f"who_{role}", village=village or "")
    _say(catalog, "code", code=f"{code[:3]} {code[3:]}", who=who, until=until)
    return 0


def run_revoke(device: str, db_url: str | None, catalog: Catalog) -> int:
    from tutor.hub.storage import devices
    from tutor.hub.storage import events as rows
    from tutor.progress.events import timestamp

    db = _open(db_url, catalog)
    if db is None:
        return 1
    try:
        with db.transaction(write=True) as tx:
            found = devices.by_prefix(tx, device.strip().lower()) if device.strip() else []
            if len(found) != 1:
                key = "ambiguous_device" if found else "unknown_device"
                return _fail(catalog, key, device=device)
            # Locked first, so a push being stored now is either wholly before the cut or
            # refused after it.
            row = devices.lock(tx, found[0].id) or found[0]
            if row.revoked:
                _say(catalog, "already_revoked", device=row.id, seq=row.revoked_after_seq)
                return 0
            seq = rows.head(tx, row.id)[0]
            devices.revoke(tx, row.id, seq, timestamp(datetime.now(UTC)))
    finally:
        db.close()
    _say(catalog, "revoked", device=row.id, seq=seq)
    return 0


def run_forward(
    lrs_url: str, auth: str | None, db_url: str | None, batch: int, again: bool,
    catalog: Catalog,
) -> int:
    from tutor.hub.forward import forward
    from tutor.hub.lrs import Lrs, LrsError
    from tutor.progress.course import load_course

    if auth is not None and ":" not in auth:
        return _fail(catalog, "bad_auth")
    try:
        lrs = Lrs(lrs_url, auth)
    except LrsError:
        return _fail(catalog, "bad_lrs", url=lrs_url)
    db = _open(db_url, catalog)
    if db is None:
        return 1
    try:
        report = forward(db, lrs, load_course(), batch=batch, again=again)
    finally:
        db.close()
    counts = {
        "events": report.events, "statements": report.statements, "new": report.new,
        "already": report.already,
    }
    if report.error is not None:
        return _fail(catalog, "forward_failed", detail=report.error.detail, **counts)
    _say(catalog, "forwarded", **counts)
    return 0
