"""The clients of the org's two OAuth 2.0 authorization servers: the service apps that call the Management API
(the org authorization server) and the clients of the custom authorization server `default`."""

from __future__ import annotations

import json
from typing import Any

from .database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS service_apps (
    client_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    jwks TEXT NOT NULL,
    scopes TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS oauth_clients (
    client_id TEXT PRIMARY KEY,
    client TEXT NOT NULL
);
"""
TABLES = ("service_apps", "oauth_clients")


class OAuthTables(Database):
    # -- service apps (OAuth 2.0 clients of the Management API) ------------------------------------------------
    def save_service_app(self, client_id: str, name: str, jwks: dict[str, Any], scopes: tuple[str, ...]) -> None:
        self._execute(
            "INSERT INTO service_apps VALUES (?, ?, ?, ?)", (client_id, name, json.dumps(jwks), json.dumps(scopes))
        )

    def service_app(self, client_id: str) -> tuple[str, str, dict[str, Any], tuple[str, ...]] | None:
        rows = self._execute("SELECT * FROM service_apps WHERE client_id = ?", (client_id,))
        if not rows:
            return None
        row = rows[0]
        return row["client_id"], row["name"], json.loads(row["jwks"]), tuple(json.loads(row["scopes"]))

    # -- the custom authorization server's clients ------------------------------------------------------------
    def save_oauth_client(self, client_id: str, client: dict[str, Any]) -> None:
        self._execute("INSERT INTO oauth_clients VALUES (?, ?)", (client_id, json.dumps(client)))

    def oauth_client(self, client_id: str) -> dict[str, Any] | None:
        rows = self._execute("SELECT client FROM oauth_clients WHERE client_id = ?", (client_id,))
        found: dict[str, Any] | None = json.loads(rows[0]["client"]) if rows else None
        return found
