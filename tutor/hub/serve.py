"""Running the hub: open (and if need be create) the database, then serve on the LAN.

uvicorn, one process: the handlers run in its thread pool, SQLite writes go one at a time
inside it and PostgreSQL takes them side by side. The listening socket is bound here first,
so a port already in use is one line from the command instead of a server log.
"""

import socket
from collections.abc import Callable

from tutor.hub.api import create_app
from tutor.hub.storage.db import Database, Location
from tutor.hub.storage.schema import migrate


def open_database(location: Location) -> Database:
    db = Database(location)
    migrate(db)
    return db


def bind(host: str, port: int) -> socket.socket:
    """The listening socket; raises OSError (in use, no such address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def serve(db: Database, sock: socket.socket, ready: Callable[[], None]) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM)."""
    import uvicorn

    config = uvicorn.Config(
        create_app(db), log_level="warning", access_log=False, timeout_graceful_shutdown=5
    )
    server = uvicorn.Server(config)
    ready()
    try:
        server.run(sockets=[sock])
    finally:
        db.close()
