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
    description TEXT,
    profile_attributes TEXT NOT NULL,
    inline_hook_id TEXT,
    access TEXT NOT NULL,
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
CREATE TABLE IF NOT EXISTS system_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    published TEXT NOT NULL,
    event_type TEXT NOT NULL,
    event TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS hook_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    inline_hook_id TEXT,
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
DEFAULT_RULE_ID = "rul1default0catchall"
TABLES = ("inline_hooks", "policies", "users", "idx_flows", "system_log", "hook_calls")


class DuplicateLogin(Exception):
    pass


@dataclass(frozen=True)
class ProfileEnrollmentPolicy:
    id: str
    name: str
    description: str | None
    profile_attributes: list[dict[str, Any]]
    inline_hook_id: str | None
    # ALLOW: self-service registration is on (the widget shows "Sign up"); DENY: off.
    access: str
    # PROVISIONED: the account exists but waits for the email verification the terminal view asks for.
    target_status: str
    created: str
    last_updated: str


class Store:
    def __init__(self, path: str = ":memory:") -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        with self._lock:
            self._db.executescript(SCHEMA)
        if not self._execute("SELECT 1 FROM policies LIMIT 1"):
            self.reset()

    def close(self) -> None:
        self._db.close()

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def reset(self) -> None:
        """Empty every table and restore the default policy (no hook attached)."""
        with self._lock:
            for table in TABLES:
                self._db.execute(f"DELETE FROM {table}")
            now = event_time()
            self._db.execute(
                "INSERT INTO policies VALUES (?, ?, ?, ?, NULL, 'ALLOW', 'PROVISIONED', ?, ?)",
                (
                    DEFAULT_POLICY_ID,
                    "Default Policy",
                    "The default profile enrollment policy",
                    json.dumps(DEFAULT_ATTRIBUTES),
                    now,
                    now,
                ),
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

    def inline_hooks(self, hook_type: str | None = None) -> list[dict[str, Any]]:
        if hook_type:
            rows = self._execute("SELECT * FROM inline_hooks WHERE type = ? ORDER BY created, id", (hook_type,))
        else:
            rows = self._execute("SELECT * FROM inline_hooks ORDER BY created, id")
        return [_hook(row) for row in rows]

    def delete_inline_hook(self, hook_id: str) -> None:
        self._execute("DELETE FROM inline_hooks WHERE id = ?", (hook_id,))
        self._execute("UPDATE policies SET inline_hook_id = NULL WHERE inline_hook_id = ?", (hook_id,))

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
    def policy(self) -> ProfileEnrollmentPolicy:
        """The org's one profile enrollment policy (created with the store and by every reset)."""
        row = self._execute("SELECT * FROM policies LIMIT 1")[0]
        return ProfileEnrollmentPolicy(
            id=row["id"],
            name=row["name"],
            description=row["description"],
            profile_attributes=json.loads(row["profile_attributes"]),
            inline_hook_id=row["inline_hook_id"],
            access=row["access"],
            target_status=row["target_status"],
            created=row["created"],
            last_updated=row["last_updated"],
        )

    def update_policy(self, **changes: Any) -> ProfileEnrollmentPolicy:
        """Change any of name, description, profile_attributes, inline_hook_id, access."""
        policy = self.policy()
        columns = {"name", "description", "profile_attributes", "inline_hook_id", "access"}
        unknown = set(changes) - columns
        if unknown:
            raise TypeError(f"unknown policy fields {sorted(unknown)}")
        values = {k: json.dumps(v) if k == "profile_attributes" else v for k, v in changes.items()}
        assignments = "".join(f"{column} = ?, " for column in values)
        self._execute(
            f"UPDATE policies SET {assignments}last_updated = ? WHERE id = ?",
            (*values.values(), event_time(), policy.id),
        )
        return self.policy()

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

    def set_user_status(self, user_id: str, status: str) -> dict[str, Any] | None:
        now = event_time()
        self._execute(
            "UPDATE users SET status = ?, status_changed = ?, last_updated = ? WHERE id = ?",
            (status, now, now, user_id),
        )
        return self.user(user_id)

    def delete_user(self, user_id: str) -> None:
        self._execute("DELETE FROM users WHERE id = ?", (user_id,))

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

    # -- System Log ---------------------------------------------------------------------------------------------
    def log_event(self, event: dict[str, Any]) -> None:
        self._execute(
            "INSERT INTO system_log (published, event_type, event) VALUES (?, ?, ?)",
            (event["published"], event["eventType"], json.dumps(event)),
        )

    def log_events(self) -> list[dict[str, Any]]:
        """Oldest first, as Okta's System Log API returns them by default."""
        return [json.loads(row["event"]) for row in self._execute("SELECT event FROM system_log ORDER BY id")]

    # -- journal --------------------------------------------------------------------------------------------
    def record_hook_call(self, inline_hook_id: str | None, record: dict[str, Any]) -> None:
        """`record` is a HookRun's JSON (request with the secret redacted, attempts, response, verdict)."""
        self._execute(
            "INSERT INTO hook_calls (created, inline_hook_id, registration, failure, total_ms, record) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                event_time(),
                inline_hook_id,
                record["registration"],
                record["failure"],
                sum(a["ms"] for a in record["attempts"]),
                json.dumps(record),
            ),
        )

    def hook_calls(
        self, *, inline_hook_id: str | None = None, registration: str | None = None, limit: int = -1
    ) -> list[dict[str, Any]]:
        """Newest first; `limit` -1 for all."""
        sql, params = "SELECT * FROM hook_calls WHERE 1=1", []
        if inline_hook_id:
            sql, params = sql + " AND inline_hook_id = ?", [*params, inline_hook_id]
        if registration:
            sql, params = sql + " AND registration = ?", [*params, registration.upper()]
        rows = self._execute(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))
        return [
            {
                "id": row["id"],
                "created": row["created"],
                "inlineHookId": row["inline_hook_id"],
                "totalMs": round(row["total_ms"], 2),
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
