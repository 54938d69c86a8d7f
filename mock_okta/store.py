"""The mock org's state in SQLite: inline hooks, the profile enrollment policy, users, IDX flows, and the journal
of hook calls. In memory by default; a file keeps it across restarts.

One connection guarded by a lock: SQLite serialises writers anyway, and the server touches the store from its
event loop and from worker threads.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .payloads import event_time, okta_id

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
CREATE TABLE IF NOT EXISTS policies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    profile_attributes TEXT NOT NULL,
    inline_hook_id TEXT,
    target_status TEXT NOT NULL,
    created TEXT NOT NULL,
    last_updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    login TEXT NOT NULL UNIQUE COLLATE NOCASE,
    profile TEXT NOT NULL,
    created TEXT NOT NULL,
    activated TEXT,
    status_changed TEXT,
    last_updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS idx_flows (
    state_handle TEXT PRIMARY KEY,
    expires REAL NOT NULL,
    step TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS hook_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    inline_hook_id TEXT,
    event_id TEXT,
    registration TEXT NOT NULL,
    failure TEXT,
    total_ms REAL NOT NULL,
    record TEXT NOT NULL
);
"""

DEFAULT_ATTRIBUTES: tuple[dict[str, Any], ...] = (
    {"name": "firstName", "label": "First name", "required": True},
    {"name": "lastName", "label": "Last name", "required": True},
    {"name": "email", "label": "Email", "required": True},
)
DEFAULT_POLICY_ID = "rst1default0policy00"


class DuplicateLogin(Exception):
    pass


@dataclass(frozen=True)
class ProfileEnrollmentPolicy:
    id: str
    name: str
    profile_attributes: list[dict[str, Any]]
    inline_hook_id: str | None
    # PROVISIONED: the account exists but waits for the email verification the terminal view asks for.
    target_status: str


class Store:
    def __init__(self, path: str = ":memory:") -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        with self._lock:
            self._db.executescript(SCHEMA)
        if self.policy() is None:
            self.reset()

    def close(self) -> None:
        self._db.close()

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def reset(self) -> None:
        """Empty every table and restore the default policy (no hook attached)."""
        with self._lock:
            for table in ("inline_hooks", "policies", "users", "idx_flows", "hook_calls"):
                self._db.execute(f"DELETE FROM {table}")
            now = event_time()
            self._db.execute(
                "INSERT INTO policies VALUES (?, ?, ?, NULL, 'PROVISIONED', ?, ?)",
                (DEFAULT_POLICY_ID, "Default Policy", json.dumps(DEFAULT_ATTRIBUTES), now, now),
            )

    # -- inline hooks ---------------------------------------------------------------------------------------
    def create_inline_hook(
        self, name: str, channel: dict[str, Any], hook_type: str = "com.okta.user.pre-registration"
    ) -> dict[str, Any]:
        hook_id, now = okta_id("cal"), event_time()
        self._execute(
            "INSERT INTO inline_hooks VALUES (?, ?, ?, 'ACTIVE', ?, ?, ?)",
            (hook_id, name, hook_type, json.dumps(channel), now, now),
        )
        return self.inline_hook(hook_id)  # type: ignore[return-value]

    def inline_hook(self, hook_id: str) -> dict[str, Any] | None:
        rows = self._execute("SELECT * FROM inline_hooks WHERE id = ?", (hook_id,))
        return _hook(rows[0]) if rows else None

    def update_inline_hook(self, hook_id: str, **fields: Any) -> dict[str, Any] | None:
        columns = {"name": "name", "status": "status", "channel": "channel"}
        sets = [(columns[k], json.dumps(v) if k == "channel" else v) for k, v in fields.items()]
        assignments = ", ".join(f"{column} = ?" for column, _ in sets)
        self._execute(
            f"UPDATE inline_hooks SET {assignments}, last_updated = ? WHERE id = ?",
            (*[value for _, value in sets], event_time(), hook_id),
        )
        return self.inline_hook(hook_id)

    # -- profile enrollment policy --------------------------------------------------------------------------
    def policy(self) -> ProfileEnrollmentPolicy | None:
        rows = self._execute("SELECT * FROM policies LIMIT 1")
        if not rows:
            return None
        row = rows[0]
        return ProfileEnrollmentPolicy(
            row["id"], row["name"], json.loads(row["profile_attributes"]), row["inline_hook_id"], row["target_status"]
        )

    def update_policy(
        self,
        *,
        inline_hook_id: str | type[Ellipsis] | None = ...,
        profile_attributes: list[dict[str, Any]] | None = None,
    ) -> ProfileEnrollmentPolicy:
        policy = self.policy()
        assert policy is not None
        hook_id = policy.inline_hook_id if inline_hook_id is ... else inline_hook_id
        attributes = profile_attributes if profile_attributes is not None else policy.profile_attributes
        self._execute(
            "UPDATE policies SET inline_hook_id = ?, profile_attributes = ?, last_updated = ? WHERE id = ?",
            (hook_id, json.dumps(attributes), event_time(), policy.id),
        )
        return self.policy()  # type: ignore[return-value]

    # -- users ----------------------------------------------------------------------------------------------
    def create_user(self, profile: dict[str, Any], status: str) -> dict[str, Any]:
        user_id, now = okta_id("00u"), event_time()
        try:
            self._execute(
                "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    user_id,
                    status,
                    profile["login"],
                    json.dumps(profile),
                    now,
                    now if status == "ACTIVE" else None,
                    now,
                    now,
                ),
            )
        except sqlite3.IntegrityError:
            raise DuplicateLogin(profile["login"]) from None
        return self.user(user_id)  # type: ignore[return-value]

    def user(self, id_or_login: str) -> dict[str, Any] | None:
        rows = self._execute("SELECT * FROM users WHERE id = ? OR login = ?", (id_or_login, id_or_login))
        return _user(rows[0]) if rows else None

    def users(self) -> list[dict[str, Any]]:
        return [_user(row) for row in self._execute("SELECT * FROM users ORDER BY created, id")]

    def login_taken(self, login: str) -> bool:
        return bool(self._execute("SELECT 1 FROM users WHERE login = ?", (login,)))

    # -- IDX flows ------------------------------------------------------------------------------------------
    def new_flow(self, ttl_seconds: float) -> str:
        handle = "02" + secrets.token_urlsafe(30)
        self._execute("INSERT INTO idx_flows VALUES (?, ?, 'IDENTIFY')", (handle, time.time() + ttl_seconds))
        return handle

    def flow(self, handle: str) -> dict[str, Any] | None:
        """The live flow for a handle; None when unknown or expired (expired ones are dropped)."""
        rows = self._execute("SELECT * FROM idx_flows WHERE state_handle = ?", (handle,))
        if not rows:
            return None
        if rows[0]["expires"] < time.time():
            self._execute("DELETE FROM idx_flows WHERE state_handle = ?", (handle,))
            return None
        expires = datetime.fromtimestamp(rows[0]["expires"], UTC)
        return {"stateHandle": handle, "step": rows[0]["step"], "expiresAt": event_time(expires)}

    def set_flow_step(self, handle: str, step: str) -> None:
        self._execute("UPDATE idx_flows SET step = ? WHERE state_handle = ?", (step, handle))

    def expire_flow(self, handle: str) -> None:
        self._execute("UPDATE idx_flows SET expires = 0 WHERE state_handle = ?", (handle,))

    # -- journal --------------------------------------------------------------------------------------------
    def record_hook_call(self, inline_hook_id: str | None, record: dict[str, Any]) -> int:
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO hook_calls (created, inline_hook_id, event_id, registration, failure, total_ms, record) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    event_time(),
                    inline_hook_id,
                    record["request"]["body"].get("eventId"),
                    record["registration"],
                    record["failure"],
                    sum(a["ms"] for a in record["attempts"]),
                    json.dumps(record),
                ),
            )
            return int(cursor.lastrowid or 0)

    def hook_calls(self, *, inline_hook_id: str | None = None, registration: str | None = None) -> list[dict[str, Any]]:
        """Newest first."""
        sql, params = "SELECT * FROM hook_calls WHERE 1=1", []
        if inline_hook_id:
            sql, params = sql + " AND inline_hook_id = ?", [*params, inline_hook_id]
        if registration:
            sql, params = sql + " AND registration = ?", [*params, registration.upper()]
        rows = self._execute(sql + " ORDER BY id DESC", tuple(params))
        return [
            {
                "id": row["id"],
                "created": row["created"],
                "inlineHookId": row["inline_hook_id"],
                **json.loads(row["record"]),
            }
            for row in rows
        ]


def _hook(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "type": row["type"],
        "status": row["status"],
        "channel": json.loads(row["channel"]),
        "created": row["created"],
        "lastUpdated": row["last_updated"],
    }


def _user(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "status": row["status"],
        "created": row["created"],
        "activated": row["activated"],
        "statusChanged": row["status_changed"],
        "lastLogin": None,
        "lastUpdated": row["last_updated"],
        "passwordChanged": None,
        "type": {"id": "oty1default0usertype"},
        "profile": json.loads(row["profile"]),
        "credentials": {"provider": {"type": "OKTA", "name": "OKTA"}},
        "_links": {"self": {"href": f"/api/v1/users/{row['id']}"}},
    }
