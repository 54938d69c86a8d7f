"""The mock org's state in SQLite: inline hooks, the profile enrollment policy, users, IDX flows, the System Log
and the journal of hook calls. In memory by default; a file keeps it across restarts. Rows go in and come out as
the typed values of `models`; rules (validation, System Log events) live in the services, not here.

One module per aggregate, each with its tables (their CREATE statements and the queries over them), all on the one
connection of `database`; `Store` puts them together and is what the rest of the org uses. What spans aggregates
(a reset, deleting a hook the policy still calls) is here.
"""

from __future__ import annotations

from ...hook.ids import event_time
from . import directory, flows, history, hooks, limits, oauth, policies, tokens
from .database import StoreCorrupt, StoreVersionError
from .directory import DirectoryTables, DuplicateLogin
from .flows import FlowTables
from .history import DEFAULT_RETENTION, HistoryTables
from .hooks import HookTables
from .limits import OperationLimitTables, Refusal
from .oauth import OAuthTables
from .policies import DEFAULT_ATTRIBUTES, PolicyTables
from .tokens import TokenTables

__all__ = [
    "DEFAULT_ATTRIBUTES",
    "DEFAULT_RETENTION",
    "DuplicateLogin",
    "Refusal",
    "Store",
    "StoreCorrupt",
    "StoreVersionError",
]

# Every aggregate's tables: created (when missing) as the store opens a file, emptied by `reset`.
SCHEMA = (
    hooks.SCHEMA
    + policies.SCHEMA
    + directory.SCHEMA
    + oauth.SCHEMA
    + tokens.SCHEMA
    + flows.SCHEMA
    + limits.SCHEMA
    + history.SCHEMA
)
TABLES = (
    hooks.TABLES
    + policies.TABLES
    + directory.TABLES
    + oauth.TABLES
    + tokens.TABLES
    + flows.TABLES
    + limits.TABLES
    + history.TABLES
)


class Store(
    HookTables,
    PolicyTables,
    DirectoryTables,
    OAuthTables,
    TokenTables,
    FlowTables,
    OperationLimitTables,
    HistoryTables,
):
    def __init__(self, path: str = ":memory:") -> None:
        super().__init__(path, SCHEMA)
        self.add_missing_columns()
        if not self._execute("SELECT 1 FROM policies LIMIT 1"):
            self.reset()

    def reset(self) -> None:
        """Empty every table and restore the default policy (no hook attached), in one transaction."""
        with self.transaction():
            for table in TABLES:
                self._db.execute(f"DELETE FROM {table}")
            now = event_time()
            self._insert_default_policies(now)
            self._insert_everyone(now)

    def delete_inline_hook(self, hook_id: str) -> None:
        """The hook goes, and the policy and the Classic registration setting stop calling it (together)."""
        with self.transaction():
            self._remove_inline_hook(hook_id)
            self._release_inline_hook(hook_id)
