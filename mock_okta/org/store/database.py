"""The one SQLite connection the store's tables share: opening a file (owner-only, checked for damage, refused when
another version wrote it), the lock, transactions, and the query helper every aggregate goes through.

One connection guarded by a lock: SQLite serialises writers anyway, and the server touches the store from its
event loop and from worker threads.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

# Bumped whenever a table's layout or a column's JSON changes; a --db file of another version is refused.
SCHEMA_VERSION = 5
# Every version of the store has had this table: a file that holds it was written by mock-okta, of some version.
MOCK_OKTA_TABLE = "policies"
# Files SQLite keeps beside a database while it writes (rollback journal, write-ahead log and its index).
SIDE_FILES = ("-journal", "-wal", "-shm")
IN_MEMORY = ("", ":memory:")


class StoreVersionError(sqlite3.DatabaseError):
    """A --db file written by another version of mock-okta."""


class StoreCorrupt(sqlite3.DatabaseError):
    """A --db file SQLite finds damaged: refused at start rather than served until a request reaches the page."""


class Database:
    PRUNE_EVERY = 100  # rows between two prunings: pruning is one indexed DELETE, cheap but not free

    def __init__(self, path: str, schema: str) -> None:
        """Open `path` and create what `schema` (CREATE ... IF NOT EXISTS statements) lacks."""
        on_file = path not in IN_MEMORY
        if on_file:
            _create_owner_only(path)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        # Re-entrant: a transaction holds it while the store methods it groups take it again.
        self._lock = threading.RLock()
        self._depth = 0  # transactions open on the connection: 0 outside, 1 in one, more when nested
        with self._lock:
            try:
                self._check_integrity(path)
                found = self._db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (MOCK_OKTA_TABLE,))
                existing = found.fetchone() is not None
                version = self._db.execute("PRAGMA user_version").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                self._db.close()
                if getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
                    raise StoreCorrupt(f"{path} cannot be read as a database ({exc}): use another file") from None
                raise
            if existing and version != SCHEMA_VERSION:
                self._db.close()
                raise StoreVersionError(
                    f"{path} was written by another version of mock-okta (schema {version}, this one reads "
                    f"{SCHEMA_VERSION}); use a new file or delete this one"
                )
            if on_file:  # a sound file this version reads (or a new one): narrowed before anything is written
                _narrow_to_owner(path)
            self._db.executescript(schema)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _check_integrity(self, path: str) -> None:
        """SQLite's quick check (every page's structure, not the indexes' contents: linear in the file's size), so
        that a damaged file is refused in one line at start instead of failing the requests that reach it."""
        problems = [row[0] for row in self._db.execute("PRAGMA quick_check(1)")]
        if problems != ["ok"]:
            first = " ".join(str(problems[0]).split()).removeprefix("*** in database main *** ") if problems else "?"
            raise StoreCorrupt(f"{path} is damaged ({first}): restore a copy or delete it to start a new org")

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


def _create_owner_only(path: str) -> None:
    """The file holds hook secrets, OAuth client secrets and hook keys' private keys: a new one is created readable
    by its owner only (no umask juggling, which would race with other threads). SQLite gives the journal and
    write-ahead files it creates beside it the database's mode."""
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _narrow_to_owner(path: str) -> None:
    """An existing file group or others may read (earlier versions created them 0644), and the journal and
    write-ahead files left beside it, become its owner's only; the owner's own bits stay."""
    for name in (path, *(path + suffix for suffix in SIDE_FILES)):
        try:
            info = os.stat(name)
        except FileNotFoundError:
            continue
        mode = stat.S_IMODE(info.st_mode)
        # Only the owner may change a file's mode: another user's file (shared on purpose) is left as it is.
        if mode & 0o077 and info.st_uid == os.geteuid() and stat.S_ISREG(info.st_mode):
            os.chmod(name, mode & ~0o077)
