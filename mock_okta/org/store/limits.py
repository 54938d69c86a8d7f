"""Okta's operation rate limits: how often an action may happen for one scope (an email sent to one address, a
one-time code tried for one user) in a fixed window, whichever request asked for it ("Some rate limits are enforced
on specific actions within Okta, regardless of which API is called to invoke the action": okta-developer-docs
`docs/reference/rl-system-log-events/index.md`, "Operation rate limits"). One row per operation and scope: the
window's end, the uses counted in it, and whether its first refusal was reported to the System Log (Okta reports
"once per rate limit period"). Rows of ended windows are dropped as new windows start, so the table holds only the
windows still running."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from .database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS operation_limits (
    operation TEXT NOT NULL,
    scope TEXT NOT NULL,
    window_ends REAL NOT NULL,
    used INTEGER NOT NULL,
    reported INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (operation, scope)
);
CREATE INDEX IF NOT EXISTS operation_limits_window_ends ON operation_limits (window_ends);
"""
TABLES = ("operation_limits",)


@dataclass(frozen=True)
class Refusal:
    """An operation refused: when its window ends, and whether this is the window's first refusal (the one Okta
    writes a `system.operation.rate_limit.violation` event for)."""

    seconds_to_reset: int
    first: bool


class OperationLimitTables(Database):
    def operation_refused(self, operation: str, scope: str, limit: int) -> Refusal | None:
        """A refusal when `limit` uses of `operation` are already counted for `scope` in its running window; None
        when one more is allowed. Counts nothing."""
        now = time.time()
        with self._lock:
            row = self._db.execute(
                "SELECT window_ends, used, reported FROM operation_limits WHERE operation = ? AND scope = ?",
                (operation, scope),
            ).fetchone()
            if row is None or row["window_ends"] <= now or row["used"] < limit:
                return None
            if not row["reported"]:
                self._db.execute(
                    "UPDATE operation_limits SET reported = 1 WHERE operation = ? AND scope = ?", (operation, scope)
                )
            return Refusal(max(1, math.ceil(row["window_ends"] - now)), first=not row["reported"])

    def count_operation(self, operation: str, scope: str, window_seconds: float) -> None:
        """One use of `operation` for `scope`: in the running window, or the first of a new one."""
        now = time.time()
        with self._lock:
            counted = self._db.execute(
                "UPDATE operation_limits SET used = used + 1 WHERE operation = ? AND scope = ? AND window_ends > ?",
                (operation, scope, now),
            ).rowcount
            if counted:
                return
            # A new window: the ended ones go first (an indexed range), so the table stays as small as the number
            # of windows running at once.
            self._db.execute("DELETE FROM operation_limits WHERE window_ends <= ?", (now,))
            self._db.execute(
                "INSERT INTO operation_limits (operation, scope, window_ends, used) VALUES (?, ?, ?, 1)",
                (operation, scope, now + window_seconds),
            )

    def take_operation(self, operation: str, scope: str, limit: int, window_seconds: float) -> Refusal | None:
        """Check and count in one step: a refusal (nothing counted), or None and the use counted."""
        with self._lock:
            refusal = self.operation_refused(operation, scope, limit)
            if refusal is None:
                self.count_operation(operation, scope, window_seconds)
            return refusal
