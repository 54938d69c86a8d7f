"""What the custom authorization servers hand out and must remember: authorization requests waiting for a sign-in,
authorization codes (one use, 300 s), refresh tokens, and revoked access tokens. Codes and refresh tokens are kept
by their SHA-256 digest, so the file never holds a usable one; each row's grant is JSON."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from typing import Any

from .database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS authorize_requests (
    id TEXT PRIMARY KEY,
    state_handle TEXT,
    session_token TEXT,
    request TEXT NOT NULL,
    expires REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS oauth_grants (
    digest TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    grant_doc TEXT NOT NULL,
    expires REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS revoked_tokens (
    jti TEXT PRIMARY KEY,
    expires REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS authorize_requests_handle ON authorize_requests (state_handle);
CREATE INDEX IF NOT EXISTS authorize_requests_session ON authorize_requests (session_token);
"""
TABLES = ("authorize_requests", "oauth_grants", "revoked_tokens")
# An authorization request waits as long as the sign-in transaction it started (an IDX flow lives an hour).
AUTHORIZE_REQUEST_SECONDS = 3600
MAX_AUTHORIZE_REQUESTS = 10_000  # as many as the IDX flows kept: one per sign-in page shown


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


class GrantTables(Database):
    # -- authorization requests waiting for a sign-in ---------------------------------------------------------
    def save_authorize_request(self, state_handle: str, request: dict[str, Any]) -> str:
        """The request behind a sign-in transaction; beyond the cap the oldest go first."""
        request_id = secrets.token_urlsafe(16)
        with self._lock:
            row_id = (
                self._db.execute(
                    "INSERT INTO authorize_requests VALUES (?, ?, NULL, ?, ?)",
                    (request_id, state_handle, json.dumps(request), time.time() + AUTHORIZE_REQUEST_SECONDS),
                ).lastrowid
                or 0
            )
            self._db.execute("DELETE FROM authorize_requests WHERE rowid <= ?", (row_id - MAX_AUTHORIZE_REQUESTS,))
        return request_id

    def hand_authorize_request_over(self, state_handle: str, session_token: str) -> None:
        """The transaction ended signed in with this one-time session token: the request follows the token."""
        self._execute(
            "UPDATE authorize_requests SET session_token = ?, state_handle = NULL WHERE state_handle = ?",
            (digest(session_token), state_handle),
        )

    def take_authorize_request(self, session_token: str) -> dict[str, Any] | None:
        """The unexpired request waiting for this session token, used up."""
        with self._lock:
            row = self._db.execute(
                "DELETE FROM authorize_requests WHERE session_token = ? AND expires >= ? RETURNING request",
                (digest(session_token), time.time()),
            ).fetchone()
        found: dict[str, Any] | None = json.loads(row["request"]) if row else None
        return found

    # -- codes and refresh tokens -----------------------------------------------------------------------------
    def save_grant(self, kind: str, secret: str, grant: dict[str, Any], lifetime: float) -> None:
        """`kind` is `code` or `refresh_token`; `secret` is what the client holds (only its digest is kept)."""
        with self._lock:
            self._db.execute(
                "INSERT INTO oauth_grants VALUES (?, ?, ?, ?)",
                (digest(secret), kind, json.dumps(grant), time.time() + lifetime),
            )
            self._db.execute("DELETE FROM oauth_grants WHERE expires < ?", (time.time(),))

    def redeem_grant(self, kind: str, secret: str) -> dict[str, Any] | None:
        """An unexpired grant, used up (a code is good once; a refresh token is replaced by a new one)."""
        with self._lock:
            row = self._db.execute(
                "DELETE FROM oauth_grants WHERE digest = ? AND kind = ? AND expires >= ? RETURNING grant_doc",
                (digest(secret), kind, time.time()),
            ).fetchone()
        found: dict[str, Any] | None = json.loads(row["grant_doc"]) if row else None
        return found

    def grant(self, kind: str, secret: str) -> dict[str, Any] | None:
        """An unexpired grant, left in place (introspection)."""
        rows = self._execute(
            "SELECT grant_doc FROM oauth_grants WHERE digest = ? AND kind = ? AND expires >= ?",
            (digest(secret), kind, time.time()),
        )
        found: dict[str, Any] | None = json.loads(rows[0]["grant_doc"]) if rows else None
        return found

    def drop_grant(self, kind: str, secret: str) -> None:
        self._execute("DELETE FROM oauth_grants WHERE digest = ? AND kind = ?", (digest(secret), kind))

    # -- revoked access tokens --------------------------------------------------------------------------------
    def revoke_jti(self, jti: str, expires: float) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO revoked_tokens VALUES (?, ?)", (jti, expires))
            self._db.execute("DELETE FROM revoked_tokens WHERE expires < ?", (time.time(),))

    def jti_revoked(self, jti: str) -> bool:
        return bool(self._execute("SELECT 1 FROM revoked_tokens WHERE jti = ?", (jti,)))
