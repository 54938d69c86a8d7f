"""OpenID Connect apps (the OAuth 2.0 clients of the custom authorization servers) and who is assigned to them:
users directly, or groups (a group's members are assigned through it)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict

from ..oauth_models import ApplicationType, LifecycleStatus, OidcApp
from .database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS apps (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS app_assignments (
    app_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    principal_id TEXT NOT NULL,
    assigned TEXT NOT NULL,
    PRIMARY KEY (app_id, kind, principal_id)
);
"""
TABLES = ("apps", "app_assignments")


class AppTables(Database):
    def save_app(self, app: OidcApp) -> OidcApp:
        self._execute("INSERT OR REPLACE INTO apps VALUES (?, ?, ?)", (app.id, app.client_id, json.dumps(asdict(app))))
        return app

    def app(self, app_id: str) -> OidcApp | None:
        rows = self._execute("SELECT doc FROM apps WHERE id = ?", (app_id,))
        return _app(rows[0]) if rows else None

    def app_by_client_id(self, client_id: str) -> OidcApp | None:
        rows = self._execute("SELECT doc FROM apps WHERE client_id = ?", (client_id,))
        return _app(rows[0]) if rows else None

    def apps(self) -> list[OidcApp]:
        return [_app(row) for row in self._execute("SELECT doc FROM apps ORDER BY rowid")]

    def delete_app(self, app_id: str) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM app_assignments WHERE app_id = ?", (app_id,))
            self._db.execute("DELETE FROM apps WHERE id = ?", (app_id,))

    # -- assignments ------------------------------------------------------------------------------------------
    def assign(self, app_id: str, kind: str, principal_id: str, when: str) -> None:
        """`kind` is USER or GROUP."""
        self._execute("INSERT OR IGNORE INTO app_assignments VALUES (?, ?, ?, ?)", (app_id, kind, principal_id, when))

    def unassign(self, app_id: str, kind: str, principal_id: str) -> bool:
        with self._lock:
            cursor = self._db.execute(
                "DELETE FROM app_assignments WHERE app_id = ? AND kind = ? AND principal_id = ?",
                (app_id, kind, principal_id),
            )
            return cursor.rowcount == 1

    def assignments(self, app_id: str, kind: str) -> list[tuple[str, str]]:
        """(principal id, when assigned) of one kind, oldest first."""
        rows = self._execute(
            "SELECT principal_id, assigned FROM app_assignments WHERE app_id = ? AND kind = ? ORDER BY rowid",
            (app_id, kind),
        )
        return [(row["principal_id"], row["assigned"]) for row in rows]

    def is_assigned(self, app_id: str, user_id: str) -> bool:
        """Directly, or through a group the user belongs to (every user belongs to the built-in Everyone)."""
        rows = self._execute(
            "SELECT 1 FROM app_assignments WHERE app_id = ? AND ((kind = 'USER' AND principal_id = ?) OR "
            "(kind = 'GROUP' AND (principal_id IN (SELECT group_id FROM group_members WHERE user_id = ?) OR "
            "principal_id IN (SELECT id FROM groups WHERE type = 'BUILT_IN')))) LIMIT 1",
            (app_id, user_id, user_id),
        )
        return bool(rows)

    def user_groups(self, user_id: str) -> list[tuple[str, str]]:
        """(id, name) of the user's groups, the built-in Everyone included (every user belongs to it)."""
        rows = self._execute(
            "SELECT id, name FROM groups WHERE type = 'BUILT_IN' OR id IN "
            "(SELECT group_id FROM group_members WHERE user_id = ?) ORDER BY name",
            (user_id,),
        )
        return [(row["id"], row["name"]) for row in rows]


def _app(row: sqlite3.Row) -> OidcApp:
    data = json.loads(row["doc"])
    lists = ("grant_types", "response_types", "redirect_uris", "post_logout_redirect_uris")
    return OidcApp(
        **{
            **data,
            **{name: tuple(data[name]) for name in lists},
            "status": LifecycleStatus(data["status"]),
            "application_type": ApplicationType(data["application_type"]),
        }
    )
