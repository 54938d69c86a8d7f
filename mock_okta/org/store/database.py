"""The one SQLite connection the store's tables share: opening a file (refused when another version wrote it), the
lock, transactions, and the query helper every aggregate goes through.

One connection guarded by a lock: SQLite serialises writers anyway, and the server touches the store from its
event loop and from worker threads.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Bumped whenever a table's layout or a column's JSON changes; a --db file of another version is refused.
SCHEMA_VERSION = 4
# Every version of the store has had this table: a file that holds it was written by mock-okta, of some version.
MOCK_OKTA_TABLE = "policies"


class StoreVersionError(sqlite3.DatabaseError):
    """A --db file written by another version of mock-okta."""


class Database:
    PRUNE_EVERY = 100  # rows between two prunings: pruning is one indexed DELETE, cheap but not free

    def __init__(self, path: str, schema: str) -> None:
        """Open `path` and create what `schema` (CREATE ... IF NOT EXISTS statements) lacks."""
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        # Re-entrant: a transaction holds it while the store methods it groups take it again.
        self._lock = threading.RLock()
        self._depth = 0  # transactions open on the connection: 0 outside, 1 in one, more when nested
        with self._lock:
            existing = self._db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (MOCK_OKTA_TABLE,)).fetchone()
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if existing and version != SCHEMA_VERSION:
                self._db.close()
                raise StoreVersionError(
                    f"{path} was written by another version of mock-okta (schema {version}, this one reads "
                    f"{SCHEMA_VERSION}); use a new file or delete this one"
                )
            self._db.executescript(schema)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group store calls into one change: all of them are kept, or (an exception leaves the block) none.

        Re-entrant: a transaction opened inside another is a savepoint of it, undone alone when its block fails.
        The block holds the store's lock, so it must be short and never wait (no `await`, no network).
        """
        with self._lock:
            depth = self._depth
            savepoint = f"nested_{depth}"
            self._db.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT {savepoint}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth = depth
                self._undo(savepoint if depth else None)
                raise
            self._depth = depth
            if depth:
                self._db.execute(f"RELEASE {savepoint}")
                return
            if not self._db.in_transaction:
                # SQLite rolls a transaction back by itself after some errors (a full disk, I/O): a block that
                # caught such an error must not pass for kept.
                raise sqlite3.OperationalError("the change was rolled back after a database error")
            try:
                self._db.execute("COMMIT")
            except BaseException:
                self._undo(None)
                raise

    def _undo(self, savepoint: str | None) -> None:
        """Roll back the transaction (or a savepoint of it), unless SQLite already did after an error."""
        if not self._db.in_transaction:
            return
        if savepoint:
            self._db.execute(f"ROLLBACK TO {savepoint}")
            self._db.execute(f"RELEASE {savepoint}")
        else:
            self._db.execute("ROLLBACK")

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()
