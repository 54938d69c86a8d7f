"""The mock org's state in SQLite: inline hooks, the profile enrollment policy, users, IDX flows, the System Log
and the journal of hook calls. In memory by default; a file keeps it across restarts. Rows go in and come out as
the typed values of `models`; rules (validation, System Log events) live in the services, not here.

One module per aggregate, each with its tables (their CREATE statements and the queries over them), all on the one
connection of `database`; `Store` puts them together and is what the rest of the org uses. What spans aggregates
(a reset, deleting a hook the policy still calls) is here.
"""

from __future__ import annotations

from dataclasses import replace

from ...hook.ids import event_time
from ..oauth_defaults import default_policy, default_server, system_claims, system_scopes
from . import apps, authorization_servers, directory, flows, grants, history, hooks, limits, oauth, policies, tokens
from .apps import AppTables
from .authorization_servers import AuthorizationServerTables
from .database import StoreCorrupt, StoreVersionError
from .directory import DirectoryTables, DuplicateLogin
from .flows import FlowTables
from .grants import GrantTables
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
MODULES = (hooks, policies, directory, oauth, tokens, flows, limits, history, authorization_servers, apps, grants)
SCHEMA = "".join(module.SCHEMA for module in MODULES)
TABLES = tuple(table for module in MODULES for table in module.TABLES)


class Store(
    HookTables,
    PolicyTables,
    DirectoryTables,
    OAuthTables,
    TokenTables,
    FlowTables,
    OperationLimitTables,
    HistoryTables,
    AuthorizationServerTables,
    AppTables,
    GrantTables,
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
            self._insert_default_authorization_server(now)

    def _insert_default_authorization_server(self, now: str) -> None:
        """The org's `default` custom authorization server as Okta creates it (`oauth_defaults`)."""
        self.save_authorization_server(default_server(now))
        for scope in system_scopes("default"):
            self.save_scope(scope)
        for claim in system_claims("default"):
            self.save_claim(claim)
        policy, rule = default_policy(now)
        self.save_as_policy(policy)
        self.save_as_rule(rule)

    def delete_inline_hook(self, hook_id: str) -> None:
        """The hook goes, and the policy, the Classic registration setting and the authorization server rules that
        named it stop calling it (together)."""
        with self.transaction():
            self._remove_inline_hook(hook_id)
            self._release_inline_hook(hook_id)
            for rule in self.rules_calling(hook_id):
                self.save_as_rule(replace(rule, token=replace(rule.token, inline_hook_id=None)))
