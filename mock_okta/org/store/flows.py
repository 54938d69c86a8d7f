"""Identity Engine flows (transactions), one per state handle: the step the Sign-In Widget is at, the user once
known, the step's data, and when the handle expires. Every `GET /` starts one: past `max_flows` the oldest go, as
the System Log's oldest events go past its retention, so that a crawler or a load test cannot grow the store
without bound before the flows expire."""

from __future__ import annotations

import json
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from ...hook.ids import event_time
from ..models import FlowStep, IdxFlow
from .database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS idx_flows (
    state_handle TEXT PRIMARY KEY,
    expires REAL NOT NULL,
    step TEXT NOT NULL,
    user_id TEXT,
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS idx_flow_devices (
    state_handle TEXT PRIMARY KEY,
    device TEXT NOT NULL
);
"""
TABLES = ("idx_flows", "idx_flow_devices")
# Flows kept at most: far more sign-ups in progress at once than a test, a load test's users or a developer have,
# and the bound the System Log has at its default retention.
MAX_FLOWS = 10_000


class FlowTables(Database):
    max_flows = MAX_FLOWS

    def new_flow(self, ttl_seconds: float) -> str:
        """A new flow at the identify step; beyond `max_flows` the oldest flows, finished or not, are dropped (and
        their device bindings with the next pruning)."""
        handle = "02" + secrets.token_urlsafe(30)
        with self._lock:
            row_id = (
                self._db.execute(
                    "INSERT INTO idx_flows (state_handle, expires, step) VALUES (?, ?, ?)",
                    (handle, time.time() + ttl_seconds, FlowStep.IDENTIFY),
                ).lastrowid
                or 0
            )
            # Row ids grow with each flow (SQLite takes the largest plus one), so the oldest are those at or below
            # the newest minus the cap: one seek on the integer key, nothing to delete most of the time.
            self._db.execute("DELETE FROM idx_flows WHERE rowid <= ?", (row_id - self.max_flows,))
            if row_id % self.PRUNE_EVERY == 0:  # finished and expired transactions go
                self._db.execute("DELETE FROM idx_flows WHERE expires < ?", (time.time(),))
                self._db.execute(
                    "DELETE FROM idx_flow_devices WHERE state_handle NOT IN (SELECT state_handle FROM idx_flows)"
                )
        return handle

    def bind_device(self, handle: str, device: str) -> None:
        """The browser (its device cookie) a transaction started in."""
        self._execute("INSERT OR REPLACE INTO idx_flow_devices VALUES (?, ?)", (handle, device))

    def flow_device(self, handle: str) -> str | None:
        rows = self._execute("SELECT device FROM idx_flow_devices WHERE state_handle = ?", (handle,))
        return rows[0]["device"] if rows else None

    def flow(self, handle: str) -> IdxFlow | None:
        """The live flow for a handle; None when unknown or expired (expired ones are dropped)."""
        rows = self._execute("SELECT * FROM idx_flows WHERE state_handle = ?", (handle,))
        if not rows:
            return None
        if rows[0]["expires"] < time.time():
            self._execute("DELETE FROM idx_flows WHERE state_handle = ?", (handle,))
            return None
        row = rows[0]
        expires = datetime.fromtimestamp(row["expires"], UTC)
        return IdxFlow(handle, FlowStep(row["step"]), event_time(expires), row["user_id"], json.loads(row["data"]))

    def set_flow_step(
        self, handle: str, step: FlowStep, *, user_id: str | None = None, data: dict[str, Any] | None = None
    ) -> None:
        """A new step; `user_id` and `data` replace the flow's when given."""
        sql, params = "UPDATE idx_flows SET step = ?", list[Any]([step])
        if user_id is not None:
            sql, params = sql + ", user_id = ?", [*params, user_id]
        if data is not None:
            sql, params = sql + ", data = ?", [*params, json.dumps(data)]
        self._execute(sql + " WHERE state_handle = ?", (*params, handle))

    def claim_flow_step(self, handle: str, step: FlowStep, busy: FlowStep) -> bool:
        """Move a live flow from `step` to `busy`; False when another request got there first."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE idx_flows SET step = ? WHERE state_handle = ? AND step = ? AND expires >= ?",
                (busy, handle, step, time.time()),
            )
            return cursor.rowcount == 1

    def claim_flow(self, handle: str) -> bool:
        """Move a live flow from the sign-up form to REGISTERING; False when another request got there first."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE idx_flows SET step = ? WHERE state_handle = ? AND step = ? AND expires >= ?",
                (FlowStep.REGISTERING, handle, FlowStep.ENROLL_PROFILE, time.time()),
            )
            return cursor.rowcount == 1

    def expire_flow(self, handle: str) -> None:
        self._execute("UPDATE idx_flows SET expires = 0 WHERE state_handle = ?", (handle,))
