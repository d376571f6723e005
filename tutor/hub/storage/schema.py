"""The hub's tables and how a database is brought up to date.

The same tables on SQLite and PostgreSQL, written in the SQL both understand (TEXT, BIGINT,
no serials), so one set of queries and one set of tests serve both. Times are stored as the
events' own fixed-width UTC text, which sorts as time does.

- devices: one row per enrolled device: its public key (pinned at enrolment), village, role,
  the sha256 of its credential (never the credential), and `revoked_after_seq` once revoked.
- events: each device's log lines exactly as signed, keyed by (device, seq): a repeat is a
  no-op, so every push is idempotent.
- batches: the signed manifest of each accepted push batch, so a pull can hand other devices
  the very bundles the writer signed (they check them as a USB stick is checked).
- forks: lines that disagree with what the hub already holds at the same seq, kept for a
  person to look at, never merged.
- enrolment_codes: one-time codes, with their expiry and who used them.
- forward_cursors: per LRS and device, the last seq forwarded as xAPI statements.

`migrate` applies what a database lacks, in order, in one transaction (both databases roll
back DDL, so a kill half-way leaves the old version whole); a database written by a newer
tutor is refused, never changed.
"""

from tutor.hub.storage.db import POSTGRES, Database, DatabaseError, Tx

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE devices (
            id TEXT PRIMARY KEY,
            public_key TEXT NOT NULL,
            village TEXT,
            role TEXT NOT NULL,
            credential_hash TEXT NOT NULL UNIQUE,
            enrolled_at TEXT NOT NULL,
            last_seen TEXT,
            revoked_after_seq BIGINT,
            revoked_at TEXT
        )""",
        """CREATE TABLE events (
            device TEXT NOT NULL REFERENCES devices (id),
            seq BIGINT NOT NULL,
            hash TEXT NOT NULL,
            at TEXT NOT NULL,
            line TEXT NOT NULL,
            PRIMARY KEY (device, seq)
        )""",
        "CREATE INDEX events_at ON events (at)",
        """CREATE TABLE batches (
            device TEXT NOT NULL REFERENCES devices (id),
            first_seq BIGINT NOT NULL,
            last_seq BIGINT NOT NULL,
            manifest TEXT NOT NULL,
            received_at TEXT NOT NULL,
            PRIMARY KEY (device, last_seq)
        )""",
        """CREATE TABLE forks (
            device TEXT NOT NULL REFERENCES devices (id),
            seq BIGINT NOT NULL,
            hash TEXT NOT NULL,
            line TEXT NOT NULL,
            received_at TEXT NOT NULL,
            PRIMARY KEY (device, seq, hash)
        )""",
        """CREATE TABLE enrolment_codes (
            code TEXT PRIMARY KEY,
            village TEXT,
            role TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            used_by TEXT
        )""",
        """CREATE TABLE forward_cursors (
            lrs TEXT NOT NULL,
            device TEXT NOT NULL,
            seq BIGINT NOT NULL,
            PRIMARY KEY (lrs, device)
        )""",
    ),
)
VERSION = len(MIGRATIONS)


def migrate(db: Database) -> None:
    """Bring the database to VERSION; raise DatabaseError if it is newer than this code."""
    with db.transaction(write=True) as tx:
        if db.dialect == POSTGRES:
            # Two hub commands starting at once must not both create the tables.
            tx.one("SELECT pg_advisory_xact_lock(8780)")
        tx.run("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        found = _version(tx)
        if found > VERSION:
            raise DatabaseError(f"{db.location.shown}: schema {found} > {VERSION}")
        for number in range(found, VERSION):
            for statement in MIGRATIONS[number]:
                tx.run(statement)
            tx.run("DELETE FROM meta WHERE key = 'schema'")
            tx.run("INSERT INTO meta (key, value) VALUES ('schema', ?)", (str(number + 1),))


def _version(tx: Tx) -> int:
    row = tx.one("SELECT value FROM meta WHERE key = 'schema'")
    return int(row[0]) if row else 0
