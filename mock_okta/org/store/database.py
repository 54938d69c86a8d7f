"""The one SQLite connection the store's tables share: opening a file (refused when another version wrote it), the
lock, and the query helper every aggregate goes through.

One connection guarded by a lock: SQLite serialises writers anyway, and the server touches the store from its
event loop and from worker threads.
"""

from __future__ import annotations

import sqlite3
import threading
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
        self._lock = threading.Lock()
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

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()
