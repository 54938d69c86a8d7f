"""One-time and session tokens: the activation link's, the Authn API's session token and the session cookie, each
for a user, and the email magic link's, for an IDX flow (its `user_id` holds the flow's state handle). Not OAuth 2.0
access tokens: those are signed JWTs the org checks by their signature and never stores."""

from __future__ import annotations

import secrets
import time

from .database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    user_id TEXT NOT NULL,
    expires REAL NOT NULL
);
"""
TABLES = ("tokens",)

# How long each kind of one-time token lives: Okta's default activation-link lifetime is 7 days; a session token
# (Authn API) must be exchanged for a session within minutes; the mock's session cookie lasts 2 hours (Okta's default
# session lifetime); an email authenticator's magic link 5 minutes, as its code.
TOKEN_TTL_SECONDS = {"activation": 7 * 24 * 3600, "sessionToken": 300, "session": 2 * 3600, "emailMagicLink": 300}


class TokenTables(Database):
    def new_token(self, kind: str, user_id: str) -> str:
        """A random token of a kind (`activation`, `sessionToken`, `session`) for a user."""
        token = secrets.token_urlsafe(15)
        self._execute(
            "INSERT INTO tokens VALUES (?, ?, ?, ?)", (token, kind, user_id, time.time() + TOKEN_TTL_SECONDS[kind])
        )
        return token

    def redeem_token(self, kind: str, token: str) -> str | None:
        """The user id an unexpired token of this kind was issued for; the token is used up."""
        with self._lock:
            row = self._db.execute(
                "DELETE FROM tokens WHERE token = ? AND kind = ? AND expires >= ? RETURNING user_id",
                (token, kind, time.time()),
            ).fetchone()
        return row["user_id"] if row else None

    def revoke_tokens(self, kind: str, user_id: str) -> None:
        """Every token of a kind issued for a user (or a flow) is used up: a new email challenge's link replaces
        the one sent before it."""
        self._execute("DELETE FROM tokens WHERE kind = ? AND user_id = ?", (kind, user_id))

    def token_user(self, kind: str, token: str) -> str | None:
        """The user id of an unexpired token, which stays valid (sessions)."""
        rows = self._execute(
            "SELECT user_id FROM tokens WHERE token = ? AND kind = ? AND expires >= ?", (token, kind, time.time())
        )
        return rows[0]["user_id"] if rows else None

    def token_issued(self, kind: str, token: str) -> tuple[str, float, float] | None:
        """(user id, when issued, when it expires) of an unexpired token, which stays valid (a session's start is
        the ID token's `auth_time`)."""
        rows = self._execute(
            "SELECT user_id, expires FROM tokens WHERE token = ? AND kind = ? AND expires >= ?",
            (token, kind, time.time()),
        )
        if not rows:
            return None
        expires = float(rows[0]["expires"])
        return rows[0]["user_id"], expires - TOKEN_TTL_SECONDS[kind], expires

    def end_token(self, kind: str, token: str) -> None:
        """The token stops working (a session ended by /logout)."""
        self._execute("DELETE FROM tokens WHERE token = ? AND kind = ?", (token, kind))
