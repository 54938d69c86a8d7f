"""What the org did, appended and read back: the journal of hook calls, the System Log and the mail it sent. Each
keeps its newest `retention` rows (issue 21 row 5: mail used to be kept without bound, so a loop of resends grew
the mailbox by one message a request)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from ...hook.ids import event_time
from ..models import HookCall, LogEvent, LogTarget, MailMessage
from .database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS mail (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient TEXT NOT NULL COLLATE NOCASE,
    message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mail_recipient ON mail (recipient);
CREATE TABLE IF NOT EXISTS system_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    published TEXT NOT NULL,
    event_type TEXT NOT NULL,
    event TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS system_log_published ON system_log (published);
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
TABLES = ("hook_calls", "system_log", "mail")
DEFAULT_RETENTION = 10_000


class HistoryTables(Database):
    # How many hook calls, System Log events and mail messages are kept (the oldest go first): Org points this at its
    # settings, so a change of `OrgSettings.retention` applies from the next insert on.
    retention: Callable[[], int] = staticmethod(lambda: DEFAULT_RETENTION)

    def _insert_kept(self, table: str, sql: str, params: tuple[Any, ...]) -> int:
        """Insert, and every PRUNE_EVERY rows drop what is beyond the retention (by the integer key, indexed);
        the new row's id."""
        with self._lock:
            row_id = self._db.execute(sql, params).lastrowid or 0
            if row_id % self.PRUNE_EVERY == 0:
                self._db.execute(f"DELETE FROM {table} WHERE id <= ?", (row_id - self.retention(),))
            return row_id

    # -- journal --------------------------------------------------------------------------------------------
    def record_hook_call(self, inline_hook_id: str | None, record: dict[str, Any]) -> None:
        """`record` is a HookRun's JSON (request with the secret redacted, attempts, response, verdict)."""
        self._insert_kept(
            "hook_calls",
            "INSERT INTO hook_calls (created, inline_hook_id, registration, failure, total_ms, record) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                event_time(),
                inline_hook_id,
                record["outcome"],
                record["failure"],
                sum(a["ms"] for a in record["attempts"]),
                json.dumps(record),
            ),
        )

    def hook_calls(
        self, *, inline_hook_id: str | None = None, registration: str | None = None, limit: int = -1
    ) -> list[HookCall]:
        """Newest first; `limit` -1 for all."""
        sql, params = "SELECT * FROM hook_calls WHERE 1=1", list[str]()
        if inline_hook_id:
            sql, params = sql + " AND inline_hook_id = ?", [*params, inline_hook_id]
        if registration:
            sql, params = sql + " AND registration = ?", [*params, registration.upper()]
        rows = self._execute(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))
        return [
            HookCall(
                id=row["id"],
                created=row["created"],
                inline_hook_id=row["inline_hook_id"],
                registration=row["registration"],
                failure=row["failure"],
                total_ms=round(row["total_ms"], 2),
                record=json.loads(row["record"]),
            )
            for row in rows
        ]

    # -- System Log -----------------------------------------------------------------------------------------
    def log_event(self, event: LogEvent) -> None:
        self._insert_kept(
            "system_log",
            "INSERT INTO system_log (published, event_type, event) VALUES (?, ?, ?)",
            (event.published, event.event_type, json.dumps(_event_fields(event))),
        )

    def log_events(self) -> list[LogEvent]:
        """Oldest first, as Okta's System Log API returns them by default."""
        return [event for _, event in self.iter_log_events()]

    def iter_log_events(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        descending: bool = False,
        after: int | None = None,
        batch: int = 200,
    ) -> Iterator[tuple[int, LogEvent]]:
        """(position, event) for events in `[since, until)` (published times as Okta writes them) and past the
        position `after`, read in batches so that a caller who stops after `limit` matches reads about `limit`
        rows, not the whole log."""
        order, compare = ("DESC", "<") if descending else ("ASC", ">")
        last = after
        while True:
            sql, params = "SELECT id, event FROM system_log WHERE 1=1", list[Any]()
            if since:
                sql, params = sql + " AND published >= ?", [*params, since]
            if until:
                sql, params = sql + " AND published < ?", [*params, until]
            if last is not None:
                sql, params = sql + f" AND id {compare} ?", [*params, last]
            rows = self._execute(f"{sql} ORDER BY id {order} LIMIT ?", (*params, batch))
            for row in rows:
                yield row["id"], _log_event(json.loads(row["event"]))
            if len(rows) < batch:
                return
            last = rows[-1]["id"]

    # -- mail -----------------------------------------------------------------------------------------------
    def send_mail(
        self, to: str, subject: str, text: str, link: str | None, template: str, *, code: str | None = None
    ) -> MailMessage:
        sent = event_time()
        message = {"to": to, "subject": subject, "text": text, "link": link, "sent": sent, "template": template}
        message["code"] = code
        sql = "INSERT INTO mail (recipient, message) VALUES (?, ?)"
        row_id = self._insert_kept("mail", sql, (to, json.dumps(message)))
        return MailMessage(row_id, to, subject, text, link, sent, template, code)

    def mailbox(self, to: str) -> list[MailMessage]:
        """Messages sent to an address (any case), oldest first."""
        rows = self._execute("SELECT id, message FROM mail WHERE recipient = ? ORDER BY id", (to,))
        return [MailMessage(id=row["id"], **json.loads(row["message"])) for row in rows]


def _event_fields(event: LogEvent) -> dict[str, Any]:
    """The event as `dataclasses.asdict` gives it, without its deep copy of `debugData` (a sixth of a sign-up's
    store time): the value is serialised at once and never kept."""
    actor = event.actor
    return {**vars(event), "targets": [vars(t) for t in event.targets], "actor": vars(actor) if actor else None}


def _log_event(data: dict[str, Any]) -> LogEvent:
    targets = tuple(LogTarget(**t) for t in data.pop("targets"))
    actor = data.pop("actor", None)
    return LogEvent(targets=targets, actor=LogTarget(**actor) if actor else None, **data)
