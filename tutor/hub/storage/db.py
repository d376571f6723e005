"""Opening the hub's database, SQLite or PostgreSQL, behind one small interface.

A county starts with one SQLite file (`TUTOR_HOME/hub/hub.db`, WAL, so readers never wait for
the writer) and moves to PostgreSQL when it outgrows it; the tables, the SQL and the tests
are the same on both. SQL is written once with `?` placeholders and the dialect's own style
is put in here, so no other module knows which database it talks to.

Writes to SQLite are serialized inside the hub process by a lock rather than by SQLite's
busy handler, whose sleeps would add tens of milliseconds to a push under load; other
processes (`tutor hub code`, `revoke`, `forward`) still wait on SQLite's own busy timeout.
PostgreSQL takes concurrent writers as they come; per-device order is kept by a row lock
(storage/devices.py `lock`).
"""

import queue
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SQLITE = "sqlite"
POSTGRES = "postgresql"
_BUSY_MS = 30_000
_POOL = 16


class DatabaseError(Exception):
    """The hub's database cannot be opened or used; the message is one line for a person."""


@dataclass(frozen=True)
class Location:
    dialect: str
    target: str  # a file path for SQLite, a connection string for PostgreSQL
    shown: str  # what may be printed: no password


def locate(url: str | None, home: Path | None = None) -> Location:
    """Where `--db` points: `sqlite:///path`, `postgresql://...`, or the default file."""
    if not url:
        from tutor.content.paths import data_home

        path = (home or data_home()) / "hub" / "hub.db"
        return Location(SQLITE, str(path), f"sqlite://{path}")
    if url.startswith("sqlite://"):
        path = url.removeprefix("sqlite://")
        if not path:
            raise DatabaseError(url)
        return Location(SQLITE, path, url)
    if url.startswith(("postgresql://", "postgres://")):
        return Location(POSTGRES, url, _without_password(url))
    raise DatabaseError(url)


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    user = f"{parts.username}:***@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}{host}{port}"))


class Tx:
    """One transaction: run SQL written with `?` placeholders, read rows as tuples."""

    def __init__(self, conn: Any, dialect: str):
        self.conn = conn
        self.dialect = dialect

    def _sql(self, sql: str) -> str:
        return sql if self.dialect == SQLITE else sql.replace("?", "%s")

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        cursor = self.conn.execute(self._sql(sql), tuple(params))
        return cursor.rowcount

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        if self.dialect == SQLITE:
            self.conn.executemany(sql, rows)
        else:
            with self.conn.cursor() as cursor:
                cursor.executemany(self._sql(sql), rows)

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.conn.execute(self._sql(sql), tuple(params)).fetchone()

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.conn.execute(self._sql(sql), tuple(params)).fetchall())

    def stream(self, sql: str, params: Sequence[Any] = (), size: int = 5000) -> Iterator[tuple]:
        """Rows a block at a time, for reading every event without holding them all."""
        if self.dialect == SQLITE:
            cursor = self.conn.execute(sql, tuple(params))
        else:
            cursor = self.conn.cursor(name=f"stream_{uuid.uuid4().hex}")
            cursor.execute(self._sql(sql), tuple(params))
        try:
            while True:
                rows = cursor.fetchmany(size)
                if not rows:
                    return
                yield from rows
        finally:
            cursor.close()


class Database:
    """A small pool of connections and transactions on them."""

    def __init__(self, location: Location, size: int = _POOL):
        self.location = location
        self.dialect = location.dialect
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._write_lock = threading.Lock()
        self._all: list[Any] = []
        if self.dialect == SQLITE:
            Path(location.target).parent.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[Tx]:
        """A transaction that commits when the block ends and rolls back on an exception."""
        with self._connection() as conn:
            if self.dialect == SQLITE:
                with self._write_lock if write else nullcontext():
                    conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                    try:
                        yield Tx(conn, SQLITE)
                    except BaseException:
                        conn.execute("ROLLBACK")
                        raise
                    conn.execute("COMMIT")
            else:
                with conn.transaction():
                    yield Tx(conn, POSTGRES)

    def close(self) -> None:
        for conn in self._all:
            with suppress(Exception):  # closing what may already be gone
                conn.close()
        self._all.clear()

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        self._slots.acquire()
        try:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = self._connect()
                self._all.append(conn)
            try:
                yield conn
            except BaseException:
                if self._broken(conn):
                    self._all.remove(conn)
                    conn.close()
                else:
                    self._idle.put(conn)
                raise
            self._idle.put(conn)
        finally:
            self._slots.release()

    def _broken(self, conn: Any) -> bool:
        return self.dialect == POSTGRES and bool(conn.closed or conn.broken)

    def _connect(self) -> Any:
        if self.dialect == SQLITE:
            return _sqlite(self.location.target)
        return _postgres(self.location)


def _sqlite(path: str) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(
            path, timeout=_BUSY_MS / 1000, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a push the hub acknowledged survives a power cut. (A lost one would only be
        # sent again, as the device asks the hub what it holds before each push.)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as err:
        raise DatabaseError(f"{path}: {err}") from err
    return conn


def _postgres(location: Location) -> Any:
    try:
        import psycopg
    except ImportError as err:
        raise DatabaseError(f"{location.shown}: psycopg") from err
    try:
        return psycopg.connect(location.target, autocommit=True, connect_timeout=10)
    except psycopg.Error as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise DatabaseError(f"{location.shown}: {first}") from err


def database_errors() -> tuple[type[Exception], ...]:
    """The exception classes of the drivers (a lost connection, a full disk), plus ours."""
    kinds: list[type[Exception]] = [DatabaseError, sqlite3.Error]
    try:
        import psycopg
    except ImportError:
        return tuple(kinds)
    return (*kinds, psycopg.Error)
