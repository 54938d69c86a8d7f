"""System Log events for what a registration hook and its org do (event types from Okta's `data/event-types.json`),
and the System Log query (`since`, `until`, `filter`, `sortOrder`, `limit`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from ..hook.channel import Failure
from ..hook.payloads import event_time
from ..hook.run import HookRun
from .errors import ApiValidationError
from .models import InlineHook, LogEvent, LogTarget, User
from .okta_json import render_log_event
from .search import matches, parse_filter
from .store import Store

MAX_LIMIT = 1000


def log_event(
    event_type: str,
    display_message: str,
    *,
    targets: tuple[LogTarget, ...],
    outcome: str = "SUCCESS",
    reason: str | None = None,
    debug_data: dict[str, Any] | None = None,
    client_ip: str = "127.0.0.1",
) -> LogEvent:
    return LogEvent(
        uuid=str(uuid.uuid4()),
        published=event_time(),
        event_type=event_type,
        display_message=display_message,
        outcome=outcome,
        reason=reason,
        targets=targets,
        client_ip=client_ip,
        transaction_id=uuid.uuid4().hex[:20],
        debug_data=debug_data or {},
    )


def hook_target(hook: InlineHook) -> LogTarget:
    return LogTarget(hook.id, "InlineHook", hook.name, hook.name)


def user_target(user: User) -> LogTarget:
    return LogTarget(user.id, "User", user.login, user.display_name)


def hook_lifecycle(hook: InlineHook, action: str) -> LogEvent:
    """inline_hook.created / updated / activated / deactivated / deleted."""
    return log_event(f"inline_hook.{action}", f"Inline hook {action}", targets=(hook_target(hook),))


def user_lifecycle(user: User, event_type: str, display_message: str, client_ip: str = "127.0.0.1") -> LogEvent:
    return log_event(event_type, display_message, targets=(user_target(user),), client_ip=client_ip)


def hook_call_events(hook: InlineHook, run: HookRun, client_ip: str) -> list[LogEvent]:
    """`inline_hook.executed` when the call failed (no response or a non-2xx status), and
    `inline_hook.response.processed` for every response Okta read, with the hook's debugContext and error."""
    events = []
    last = run.exchange.attempts[-1]
    data = {
        "inlineHookType": hook.type,
        "eventId": run.request.get("eventId"),
        "attempts": len(run.exchange.attempts),
        "latencyMs": round(run.exchange.total_ms, 1),
    }
    no_answer = last.error in (Failure.TIMEOUT, Failure.CONNECTION)
    if no_answer or last.error in (Failure.HTTP_STATUS, Failure.REDIRECT):
        events.append(
            log_event(
                "inline_hook.executed",
                "Inline hook executed",
                targets=(hook_target(hook),),
                outcome="FAILURE",
                reason=last.detail or last.error,
                debug_data={**data, "status": last.status},
                client_ip=client_ip,
            )
        )
    if run.exchange.status is not None and not no_answer:
        body = run.response_body()
        error = body.get("error") if isinstance(body, dict) else None
        verdict = run.verdict
        events.append(
            log_event(
                "inline_hook.response.processed",
                "Inline hook response processed",
                targets=(hook_target(hook),),
                outcome="FAILURE" if verdict.failure else "SUCCESS",
                reason=verdict.failure,
                debug_data={
                    **data,
                    "registration": verdict.registration,
                    "hookDebugContext": verdict.debug_context,
                    "error": error,
                    "violations": [v.to_json() for v in verdict.violations],
                },
                client_ip=client_ip,
            )
        )
    return events


def query(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    filter: str | None = None,
    limit: int = 100,
    sort_order: str = "ASCENDING",
) -> list[dict[str, Any]]:
    """Events as Okta's System Log API returns them (`GET /api/v1/logs`)."""
    if sort_order not in ("ASCENDING", "DESCENDING"):
        raise ApiValidationError(["sortOrder: ASCENDING or DESCENDING"])
    terms = parse_filter(filter)
    start, end = _instant("since", since), _instant("until", until)
    wanted = max(1, min(limit, MAX_LIMIT))
    events: list[dict[str, Any]] = []
    for event in store.iter_log_events(
        since=event_time(start.astimezone(UTC)) if start else None,
        until=event_time(end.astimezone(UTC)) if end else None,
        descending=sort_order == "DESCENDING",
    ):
        rendered = render_log_event(event)
        if matches(rendered, terms):
            events.append(rendered)
            if len(events) == wanted:
                break
    return events


def _instant(name: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ApiValidationError([f"{name}: not an ISO 8601 time"]) from None
    if instant.tzinfo is None:
        raise ApiValidationError([f"{name}: add Z or an offset"])
    return instant
