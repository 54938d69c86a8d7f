"""Inline hooks, and the hook keys: the key pairs Okta signs the client assertions of OAuth 2.0 (`private_key_jwt`)
hooks with."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict
from functools import lru_cache

from ...hook.ids import event_time, okta_id
from ..models import ChannelHeader, HeaderAuthScheme, HookKey, HookStatus, HttpChannel, InlineHook, OAuthConfig
from .database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS inline_hooks (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    channel TEXT NOT NULL,
    created TEXT NOT NULL,
    last_updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS hook_keys (
    id TEXT PRIMARY KEY,
    key_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    private_pem TEXT NOT NULL
);
"""
TABLES = ("inline_hooks", "hook_keys")


class HookTables(Database):
    # -- inline hooks ---------------------------------------------------------------------------------------
    def create_inline_hook(self, name: str, hook_type: str, channel: HttpChannel) -> InlineHook:
        """A new hook; it starts ACTIVE, as in Okta."""
        hook_id, now = okta_id("cal"), event_time()
        self._execute(
            "INSERT INTO inline_hooks VALUES (?, ?, ?, ?, ?, ?, ?)",
            (hook_id, name, hook_type, HookStatus.ACTIVE, _channel_json(channel), now, now),
        )
        return self._one_hook(hook_id)

    def inline_hook(self, hook_id: str) -> InlineHook | None:
        rows = self._execute(f"SELECT {HOOK_COLUMNS} FROM inline_hooks WHERE id = ?", (hook_id,))
        return _hook(tuple(rows[0])) if rows else None

    def _one_hook(self, hook_id: str) -> InlineHook:
        hook = self.inline_hook(hook_id)
        if hook is None:
            raise LookupError(hook_id)
        return hook

    def inline_hooks(self, hook_type: str | None = None) -> list[InlineHook]:
        if hook_type:
            rows = self._execute(
                f"SELECT {HOOK_COLUMNS} FROM inline_hooks WHERE type = ? ORDER BY created, id", (hook_type,)
            )
        else:
            rows = self._execute(f"SELECT {HOOK_COLUMNS} FROM inline_hooks ORDER BY created, id")
        return [_hook(tuple(row)) for row in rows]

    def _remove_inline_hook(self, hook_id: str) -> None:
        """The hook's row only: `Store.delete_inline_hook` also clears what points at it."""
        self._execute("DELETE FROM inline_hooks WHERE id = ?", (hook_id,))

    def save_inline_hook(self, hook: InlineHook) -> InlineHook:
        """Write name, status and channel back; `lastUpdated` becomes now."""
        self._execute(
            "UPDATE inline_hooks SET name = ?, status = ?, channel = ?, last_updated = ? WHERE id = ?",
            (hook.name, hook.status, _channel_json(hook.channel), event_time(), hook.id),
        )
        return self._one_hook(hook.id)

    # -- hook keys ------------------------------------------------------------------------------------------
    def save_hook_key(self, key: HookKey) -> HookKey:
        self._execute(
            "INSERT INTO hook_keys VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
            "last_updated = excluded.last_updated",
            (key.id, key.key_id, key.name, key.created, key.last_updated, json.dumps(key.public_jwk), key.private_pem),
        )
        return key

    def hook_key(self, id_or_key_id: str) -> HookKey | None:
        rows = self._execute("SELECT * FROM hook_keys WHERE id = ? OR key_id = ?", (id_or_key_id, id_or_key_id))
        return _hook_key(rows[0]) if rows else None

    def hook_keys(self) -> list[HookKey]:
        return [_hook_key(row) for row in self._execute("SELECT * FROM hook_keys ORDER BY created, id")]

    def delete_hook_key(self, key_id: str) -> None:
        self._execute("DELETE FROM hook_keys WHERE id = ?", (key_id,))


def _channel_json(channel: HttpChannel) -> str:
    return json.dumps(asdict(channel))


def _hook_key(row: sqlite3.Row) -> HookKey:
    return HookKey(**{**dict(row), "public_jwk": json.loads(row["public_jwk"])})


# Every sign-up reads its hook; the value is frozen, so, as with the policy, one parsed value serves every read of
# the same row (the memo is keyed by the stored values: a write makes a new key, nothing to invalidate).
HOOK_COLUMNS = "id, name, type, status, channel, created, last_updated"


@lru_cache(maxsize=256)
def _hook(row: tuple[str, ...]) -> InlineHook:
    hook_id, name, hook_type, status, channel_json, created, last_updated = row
    channel = json.loads(channel_json)
    scheme = channel.pop("auth_scheme")
    headers = tuple(ChannelHeader(**h) for h in channel.pop("headers"))
    oauth = channel.pop("oauth", None)
    return InlineHook(
        id=hook_id,
        name=name,
        type=hook_type,
        status=HookStatus(status),
        channel=HttpChannel(
            headers=headers,
            auth_scheme=HeaderAuthScheme(**scheme) if scheme else None,
            oauth=OAuthConfig(**oauth) if oauth else None,
            **channel,
        ),
        created=created,
        last_updated=last_updated,
    )
