"""System Log events for what a registration hook and its org do (event types from Okta's `data/event-types.json`),
and the System Log query (`since`, `until`, `filter`, `sortOrder`, `limit`)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..hook.channel import Failure
from ..hook.ids import event_time
from ..hook.outcome import HookRun
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
    actor: LogTarget | None = None,
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
        actor=actor,
    )


def hook_target(hook: InlineHook) -> LogTarget:
    return LogTarget(hook.id, "InlineHook", hook.name, hook.name)


def user_target(user: User) -> LogTarget:
    return LogTarget(user.id, "User", user.login, user.display_name)


def hook_lifecycle(hook: InlineHook, action: str) -> LogEvent:
    """inline_hook.created / updated / activated / deactivated / deleted."""
    return log_event(f"inline_hook.{action}", f"Inline hook {action}", targets=(hook_target(hook),))


def user_lifecycle(
    user: User,
    event_type: str,
    display_message: str,
    client_ip: str = "127.0.0.1",
    *,
    also: tuple[LogTarget, ...] = (),
    by_user: bool = False,
) -> LogEvent:
    """A user event; `also` adds targets (a sign-up's `user.lifecycle.create` targets the policy rule too), and
    `by_user` makes the user the actor (a self-service registration), else the org is."""
    target = user_target(user)
    return log_event(
        event_type, display_message, targets=(target, *also), client_ip=client_ip, actor=target if by_user else None
    )


def hook_call_events(hook: InlineHook, run: HookRun[Any], client_ip: str) -> list[LogEvent]:
    """`inline_hook.executed` when the call failed (no response or a non-2xx status), and
    `inline_hook.response.processed` for every response Okta read. `debugData` has the keys of Okta's event
    catalog (`inline_hook`, `inline_hook_type`, `error_message`, `request_id`, `request_uri`, `url`, `trace_id`),
    as strings the way Okta's System Log writes debugData; the hook's debugContext is `inline_hook`, as JSON."""
    events = []
    last = run.exchange.attempts[-1]
    context = run.request.get("data", {}).get("context", {}) if isinstance(run.request.get("data"), dict) else {}
    request = context.get("request") if isinstance(context, dict) else None
    url = request.get("url") if isinstance(request, dict) else None
    data = {
        "inline_hook_type": hook.type,
        "request_id": uuid.uuid4().hex[:24],
        "request_uri": str(url.get("value", "")) if isinstance(url, dict) else "",
        "url": hook.channel.uri,
        "trace_id": str(uuid.uuid4()),
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
                debug_data={**data, "error_message": last.detail or str(last.error)},
                client_ip=client_ip,
            )
        )
    if run.exchange.status is not None and not no_answer:
        verdict = run.verdict
        debug_data = {**data, "inline_hook": json.dumps(verdict.debug_context) if verdict.debug_context else ""}
        problems = [v.message for v in verdict.violations if v.fatal]
        if verdict.failure:
            debug_data["error_message"] = "; ".join(problems) or str(verdict.failure)
        events.append(
            log_event(
                "inline_hook.response.processed",
                "Inline hook response processed",
                targets=(hook_target(hook),),
                outcome="FAILURE" if verdict.failure else "SUCCESS",
                reason=verdict.failure,
                debug_data=debug_data,
                client_ip=client_ip,
            )
        )
    return events


@dataclass(frozen=True)
class LogPage:
    events: list[dict[str, Any]]
    # The opaque `after` cursor for the next page: the position of the last event read, or where the log ends.
    cursor: str | None
    # Whether Okta would send a `rel="next"` link: more events are known to match, or the query is open-ended
    # (no `until`), which Okta answers with a next link to poll (System Log API, "Polling requests").
    has_next: bool


def query(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    filter: str | None = None,
    q: str | None = None,
    after: str | None = None,
    limit: int = 100,
    sort_order: str = "ASCENDING",
) -> LogPage:
    """Events as Okta's System Log API returns them (`GET /api/v1/logs`), one page at a time."""
    if sort_order not in ("ASCENDING", "DESCENDING"):
        raise ApiValidationError(["sortOrder: ASCENDING or DESCENDING"])
    terms = parse_filter(filter)
    keywords = _keywords(q)
    start, end = _instant("since", since), _instant("until", until)
    position = _cursor(after)
    wanted = max(1, min(limit, MAX_LIMIT))
    events: list[dict[str, Any]] = []
    last = position
    more = False
    for row_id, event in store.iter_log_events(
        since=event_time(start.astimezone(UTC)) if start else None,
        until=event_time(end.astimezone(UTC)) if end else None,
        descending=sort_order == "DESCENDING",
        after=position,
        # Without a filter the first `limit` + 1 rows are the answer: read no more than those.
        batch=200 if terms or keywords else wanted + 1,
    ):
        rendered = render_log_event(event)
        if matches(rendered, terms) and _has_keywords(rendered, keywords):
            if len(events) == wanted:
                more = True
                break
            events.append(rendered)
            last = row_id
    polling = until is None and sort_order == "ASCENDING"
    return LogPage(events, str(last) if last is not None else None, more or polling)


def _keywords(q: str | None) -> list[str]:
    """`q`: up to 10 space-separated keywords, each matched (case-insensitively) in some field of the event."""
    words = (q or "").split()
    if len(words) > 10 or any(len(w) > 40 for w in words):
        raise ApiValidationError(["q: At most 10 keywords of at most 40 characters each"])
    return [w.lower() for w in words]


def _has_keywords(event: dict[str, Any], keywords: list[str]) -> bool:
    if not keywords:
        return True
    text = json.dumps(event, ensure_ascii=False).lower()
    return all(word in text for word in keywords)


def _cursor(after: str | None) -> int | None:
    if after is None:
        return None
    if not (after.isascii() and after.isdigit()) or len(after) > 18:
        raise ApiValidationError(["after: Not a cursor from a Link header of this System Log"])
    return int(after)


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


# -- the sign-in and sign-up journey ---------------------------------------------------------------------------------
# Event types and their display messages from Okta's event catalog (okta-developer-docs `data/event-types.json`, the
# first sentence of each description; "User login to Okta" as a recorded user.session.start has it, elastic/
# integrations `packages/okta/data_stream/system/_dev/test/pipeline/test-okta-system-events.json`).
JOURNEY_EVENTS = {
    "user.session.start": "User login to Okta",
    "user.authentication.verify": "Verify user identity",
    "user.authentication.auth_via_mfa": "Authentication of user via MFA",
    "system.email.send_factor_verify_message": "An email was sent to a user for verification",
    "system.email.challenge_factor_redeemed": "User completed an email factor challenge",
    "user.mfa.factor.activate": "Activate factor or authenticator enrollment method for user",
}
# The spec's own example of `outcome.reason` (LogOutcome): a wrong password or code.
INVALID_CREDENTIALS = "INVALID_CREDENTIALS"


def journey_event(
    event_type: str,
    user: User,
    client_ip: str,
    *,
    authenticator: tuple[str, str] | None = None,
    failed: bool = False,
) -> LogEvent:
    """An event of the user's own journey: the user is the actor and the first target; `authenticator` (id, name)
    the second, an `AuthenticatorEnrollment` as the catalog's schema names the target of the MFA events; a failure
    has the reason INVALID_CREDENTIALS."""
    targets = [user_target(user)]
    if authenticator is not None:
        targets.append(LogTarget(authenticator[0], "AuthenticatorEnrollment", "unknown", authenticator[1]))
    return log_event(
        event_type,
        JOURNEY_EVENTS[event_type],
        targets=tuple(targets),
        outcome="FAILURE" if failed else "SUCCESS",
        reason=INVALID_CREDENTIALS if failed else None,
        client_ip=client_ip,
        actor=user_target(user),
    )
