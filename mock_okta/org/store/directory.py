"""The org's directory: users (profile, status, password hash, failed sign-ins), groups and their members, and the
custom attributes of the user profile schema (the base ones are fixed)."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict
from typing import Any

from ...hook.ids import event_time, okta_id
from ..models import Group, SchemaAttribute, User, UserStatus
from .database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    type TEXT NOT NULL,
    created TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    last_membership_updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS group_members (
    group_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE TABLE IF NOT EXISTS custom_attributes (
    name TEXT PRIMARY KEY,
    definition TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    login TEXT NOT NULL UNIQUE COLLATE NOCASE,
    profile TEXT NOT NULL,
    created TEXT NOT NULL,
    activated TEXT,
    status_changed TEXT,
    last_updated TEXT NOT NULL,
    password_hash TEXT,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    password_changed TEXT
);
"""
# Columns added after a table first shipped, with their types: a file of the same schema version written before them
# gets them on open (`add_missing_columns`), empty, so no version bump refuses it.
ADDED_COLUMNS = {"users": {"password_changed": "TEXT"}}
TABLES = ("users", "groups", "group_members", "custom_attributes")
EVERYONE = "Everyone"


class DuplicateLogin(Exception):
    pass


class DirectoryTables(Database):
    def add_missing_columns(self) -> None:
        """Add the columns of ADDED_COLUMNS that a file written before them lacks."""
        with self._lock:
            for table, columns in ADDED_COLUMNS.items():
                present = {row["name"] for row in self._db.execute(f"PRAGMA table_info({table})")}
                for name, kind in columns.items():
                    if name not in present:
                        self._db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

    def _insert_everyone(self, now: str) -> None:
        """Every user is a member of the built-in Everyone group; the caller holds the lock."""
        self._db.execute(
            "INSERT INTO groups VALUES (?, ?, ?, 'BUILT_IN', ?, ?, ?)",
            (okta_id("00g"), EVERYONE, "All users in your organization", now, now, now),
        )

    # -- users ----------------------------------------------------------------------------------------------
    def create_user(self, profile: dict[str, Any], status: UserStatus) -> User:
        user_id, now = okta_id("00u"), event_time()
        try:
            self._execute(
                "INSERT INTO users (id, status, login, profile, created, activated, status_changed, last_updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    user_id,
                    status,
                    profile["login"],
                    json.dumps(profile),
                    now,
                    now if status == UserStatus.ACTIVE else None,
                    now,
                    now,
                ),
            )
        except sqlite3.IntegrityError:
            raise DuplicateLogin(profile["login"]) from None
        user = self.user(user_id)
        assert user is not None
        return user

    def user(self, id_or_login: str) -> User | None:
        rows = self._execute("SELECT * FROM users WHERE id = ? OR login = ?", (id_or_login, id_or_login))
        return _user(rows[0]) if rows else None

    def users(self, *, containing: str | None = None) -> list[User]:
        """Every user, or (`containing`) only those whose stored profile JSON holds that text, ASCII letters in
        any case: a cheap narrowing before an exact search (`Users.find`)."""
        if containing is None:
            return [_user(row) for row in self._execute("SELECT * FROM users ORDER BY created, id")]
        pattern = "%" + re.sub(r"([%_\\])", r"\\\1", containing) + "%"
        rows = self._execute("SELECT * FROM users WHERE profile LIKE ? ESCAPE '\\' ORDER BY created, id", (pattern,))
        return [_user(row) for row in rows]

    def login_taken(self, login: str) -> bool:
        return bool(self._execute("SELECT 1 FROM users WHERE login = ?", (login,)))

    def set_password(self, user_id: str, password_hash: str) -> None:
        now = event_time()
        self._execute(
            "UPDATE users SET password_hash = ?, failed_logins = 0, last_updated = ?, password_changed = ? "
            "WHERE id = ?",
            (password_hash, now, now, user_id),
        )

    def password_hash(self, user_id: str) -> str | None:
        rows = self._execute("SELECT password_hash FROM users WHERE id = ?", (user_id,))
        return rows[0]["password_hash"] if rows else None

    def count_failed_login(self, user_id: str, *, reset: bool = False) -> int:
        """The user's failed sign-ins in a row after this one (`reset`: a good one, back to 0)."""
        with self._lock:
            if reset:
                self._db.execute("UPDATE users SET failed_logins = 0 WHERE id = ?", (user_id,))
                return 0
            row = self._db.execute(
                "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins", (user_id,)
            ).fetchone()
        return int(row["failed_logins"]) if row else 0

    def update_profile(self, user_id: str, changes: dict[str, Any]) -> User | None:
        user = self.user(user_id)
        if user is None:
            return None
        self._execute(
            "UPDATE users SET profile = ?, last_updated = ? WHERE id = ?",
            (json.dumps({**user.profile, **changes}), event_time(), user_id),
        )
        return self.user(user_id)

    def set_user_status(self, user_id: str, status: UserStatus) -> User | None:
        """A new status; the first time a user becomes ACTIVE is its `activated` time."""
        now = event_time()
        self._execute(
            "UPDATE users SET status = ?, status_changed = ?, last_updated = ?, "
            "activated = CASE WHEN ? = 'ACTIVE' AND activated IS NULL THEN ? ELSE activated END WHERE id = ?",
            (status, now, now, status, now, user_id),
        )
        return self.user(user_id)

    def delete_user(self, user_id: str) -> None:
        with self.transaction():
            self._execute("DELETE FROM users WHERE id = ?", (user_id,))
            self._execute("DELETE FROM group_members WHERE user_id = ?", (user_id,))

    # -- groups ---------------------------------------------------------------------------------------------
    def create_group(self, name: str, description: str | None) -> Group:
        group_id, now = okta_id("00g"), event_time()
        self._execute(
            "INSERT INTO groups VALUES (?, ?, ?, 'OKTA_GROUP', ?, ?, ?)", (group_id, name, description, now, now, now)
        )
        group = self.group(group_id)
        assert group is not None
        return group

    def group(self, group_id: str) -> Group | None:
        rows = self._execute("SELECT * FROM groups WHERE id = ?", (group_id,))
        return Group(**dict(rows[0])) if rows else None

    def groups(self) -> list[Group]:
        return [Group(**dict(row)) for row in self._execute("SELECT * FROM groups ORDER BY created, id")]

    def everyone(self) -> Group:
        return Group(**dict(self._execute("SELECT * FROM groups WHERE type = 'BUILT_IN' LIMIT 1")[0]))

    def add_member(self, group_id: str, user_id: str) -> None:
        with self.transaction():
            self._db.execute("INSERT OR IGNORE INTO group_members VALUES (?, ?)", (group_id, user_id))
            self._db.execute("UPDATE groups SET last_membership_updated = ? WHERE id = ?", (event_time(), group_id))

    def members(self, group_id: str) -> list[User]:
        rows = self._execute(
            "SELECT users.* FROM users JOIN group_members ON users.id = group_members.user_id "
            "WHERE group_members.group_id = ? ORDER BY users.created, users.id",
            (group_id,),
        )
        return [_user(row) for row in rows]

    # -- user profile schema (custom attributes; the base ones are fixed) -----------------------------------
    def custom_attributes(self) -> list[SchemaAttribute]:
        rows = self._execute("SELECT definition FROM custom_attributes ORDER BY rowid")
        return [SchemaAttribute(**json.loads(row["definition"])) for row in rows]

    def save_custom_attribute(self, attribute: SchemaAttribute) -> None:
        self._execute(
            "INSERT INTO custom_attributes VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET definition = excluded.definition",
            (attribute.name, json.dumps(asdict(attribute))),
        )

    def remove_custom_attribute(self, name: str) -> None:
        self._execute("DELETE FROM custom_attributes WHERE name = ?", (name,))


def _user(row: sqlite3.Row) -> User:
    return User(
        id=row["id"],
        status=UserStatus(row["status"]),
        profile=json.loads(row["profile"]),
        created=row["created"],
        activated=row["activated"],
        status_changed=row["status_changed"],
        last_updated=row["last_updated"],
        password_changed=row["password_changed"],
    )
