"""Custom authorization servers and what hangs off each: scopes, claims, access policies and their rules. Each
object is one row holding its typed value as JSON (the shapes change with Okta's spec more often than their keys),
with its server (and policy) as columns so that a server's children are found, ordered and deleted together."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict
from functools import lru_cache
from typing import Any

from ..oauth_models import (
    AuthorizationServer,
    AuthorizationServerPolicy,
    AuthorizationServerPolicyRule,
    LifecycleStatus,
    OAuth2Claim,
    OAuth2Scope,
    TokenLifetimes,
)
from .database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS authorization_servers (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS as_scopes (
    id TEXT PRIMARY KEY,
    server_id TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS as_claims (
    id TEXT PRIMARY KEY,
    server_id TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS as_policies (
    id TEXT PRIMARY KEY,
    server_id TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS as_rules (
    id TEXT PRIMARY KEY,
    server_id TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS as_scopes_server ON as_scopes (server_id);
CREATE INDEX IF NOT EXISTS as_claims_server ON as_claims (server_id);
CREATE INDEX IF NOT EXISTS as_policies_server ON as_policies (server_id);
CREATE INDEX IF NOT EXISTS as_rules_policy ON as_rules (policy_id);
"""
TABLES = ("authorization_servers", "as_scopes", "as_claims", "as_policies", "as_rules")


class AuthorizationServerTables(Database):
    # -- servers ----------------------------------------------------------------------------------------------
    def save_authorization_server(self, server: AuthorizationServer) -> AuthorizationServer:
        self._execute("INSERT OR REPLACE INTO authorization_servers VALUES (?, ?)", (server.id, _doc(server)))
        return server

    def authorization_server(self, server_id: str) -> AuthorizationServer | None:
        rows = self._execute("SELECT doc FROM authorization_servers WHERE id = ?", (server_id,))
        return _server(rows[0]) if rows else None

    def authorization_servers(self) -> list[AuthorizationServer]:
        return [_server(row) for row in self._execute("SELECT doc FROM authorization_servers ORDER BY rowid")]

    def delete_authorization_server(self, server_id: str) -> None:
        """The server and everything under it, together."""
        with self.transaction():
            for table in ("as_rules", "as_policies", "as_claims", "as_scopes"):
                self._db.execute(f"DELETE FROM {table} WHERE server_id = ?", (server_id,))
            self._db.execute("DELETE FROM authorization_servers WHERE id = ?", (server_id,))

    # -- scopes -----------------------------------------------------------------------------------------------
    def save_scope(self, scope: OAuth2Scope) -> OAuth2Scope:
        self._execute("INSERT OR REPLACE INTO as_scopes VALUES (?, ?, ?)", (scope.id, scope.server_id, _doc(scope)))
        return scope

    def scopes(self, server_id: str) -> list[OAuth2Scope]:
        rows = self._execute("SELECT doc FROM as_scopes WHERE server_id = ? ORDER BY rowid", (server_id,))
        return [_scope(row) for row in rows]

    def delete_scope(self, scope_id: str) -> None:
        self._execute("DELETE FROM as_scopes WHERE id = ?", (scope_id,))

    # -- claims -----------------------------------------------------------------------------------------------
    def save_claim(self, claim: OAuth2Claim) -> OAuth2Claim:
        self._execute("INSERT OR REPLACE INTO as_claims VALUES (?, ?, ?)", (claim.id, claim.server_id, _doc(claim)))
        return claim

    def claims(self, server_id: str) -> list[OAuth2Claim]:
        rows = self._execute("SELECT doc FROM as_claims WHERE server_id = ? ORDER BY rowid", (server_id,))
        return [_claim(row) for row in rows]

    def delete_claim(self, claim_id: str) -> None:
        self._execute("DELETE FROM as_claims WHERE id = ?", (claim_id,))

    # -- policies and rules -----------------------------------------------------------------------------------
    def save_as_policy(self, policy: AuthorizationServerPolicy) -> AuthorizationServerPolicy:
        self._execute(
            "INSERT OR REPLACE INTO as_policies VALUES (?, ?, ?)", (policy.id, policy.server_id, _doc(policy))
        )
        return policy

    def as_policies(self, server_id: str) -> list[AuthorizationServerPolicy]:
        """A server's policies in evaluation order: by priority, then the oldest first."""
        rows = self._execute("SELECT doc FROM as_policies WHERE server_id = ? ORDER BY rowid", (server_id,))
        return sorted((_policy(row) for row in rows), key=lambda p: p.priority)

    def delete_as_policy(self, policy_id: str) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM as_rules WHERE policy_id = ?", (policy_id,))
            self._db.execute("DELETE FROM as_policies WHERE id = ?", (policy_id,))

    def save_as_rule(self, rule: AuthorizationServerPolicyRule) -> AuthorizationServerPolicyRule:
        self._execute(
            "INSERT OR REPLACE INTO as_rules VALUES (?, ?, ?, ?)", (rule.id, rule.server_id, rule.policy_id, _doc(rule))
        )
        return rule

    def as_rules(self, policy_id: str) -> list[AuthorizationServerPolicyRule]:
        """A policy's rules in evaluation order: by priority, then the oldest first."""
        rows = self._execute("SELECT doc FROM as_rules WHERE policy_id = ? ORDER BY rowid", (policy_id,))
        return sorted((_rule(row) for row in rows), key=lambda r: r.priority)

    def delete_as_rule(self, rule_id: str) -> None:
        self._execute("DELETE FROM as_rules WHERE id = ?", (rule_id,))

    def rules_calling(self, inline_hook_id: str) -> list[AuthorizationServerPolicyRule]:
        """The rules whose `actions.token.inlineHook` names this hook (a hook in use cannot be deleted)."""
        rows = self._execute(
            "SELECT doc FROM as_rules WHERE json_extract(doc, '$.token.inline_hook_id') = ?", (inline_hook_id,)
        )
        return [_rule(row) for row in rows]


def _doc(value: Any) -> str:
    return json.dumps(asdict(value))


# Every token request reads its server's scopes, claims, policies and rules; parsing their JSON was most of the
# minting's own time (19 claims: 0.17 ms a request). The values are frozen dataclasses of strings, numbers, enums
# and tuples, so one parsed value serves every row holding the same text: the memo is keyed by the stored text
# itself and needs no invalidation (a changed row is a new key; the old entry is merely unused).
_PARSED = lru_cache(maxsize=1024)


def _server(row: sqlite3.Row) -> AuthorizationServer:
    return _server_doc(row["doc"])


def _scope(row: sqlite3.Row) -> OAuth2Scope:
    return _scope_doc(row["doc"])


def _claim(row: sqlite3.Row) -> OAuth2Claim:
    return _claim_doc(row["doc"])


def _policy(row: sqlite3.Row) -> AuthorizationServerPolicy:
    return _policy_doc(row["doc"])


def _rule(row: sqlite3.Row) -> AuthorizationServerPolicyRule:
    return _rule_doc(row["doc"])


@_PARSED
def _server_doc(doc: str) -> AuthorizationServer:
    data = json.loads(doc)
    return AuthorizationServer(
        **{**data, "audiences": tuple(data["audiences"]), "status": LifecycleStatus(data["status"])}
    )


@_PARSED
def _scope_doc(doc: str) -> OAuth2Scope:
    return OAuth2Scope(**json.loads(doc))


@_PARSED
def _claim_doc(doc: str) -> OAuth2Claim:
    data = json.loads(doc)
    return OAuth2Claim(**{**data, "scopes": tuple(data["scopes"]), "status": LifecycleStatus(data["status"])})


@_PARSED
def _policy_doc(doc: str) -> AuthorizationServerPolicy:
    data = json.loads(doc)
    return AuthorizationServerPolicy(
        **{**data, "clients": tuple(data["clients"]), "status": LifecycleStatus(data["status"])}
    )


@_PARSED
def _rule_doc(doc: str) -> AuthorizationServerPolicyRule:
    data = json.loads(doc)
    lists = ("grant_types", "scopes", "users_include", "users_exclude", "groups_include", "groups_exclude")
    return AuthorizationServerPolicyRule(
        **{
            **data,
            **{name: tuple(data[name]) for name in lists},
            "status": LifecycleStatus(data["status"]),
            "token": TokenLifetimes(**data["token"]),
        }
    )
