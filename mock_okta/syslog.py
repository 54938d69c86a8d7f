"""System Log events in Okta's LogEvent shape, for the events a registration hook produces."""

from __future__ import annotations

import uuid
from typing import Any

from .engine import HookRun
from .payloads import event_time

SYSTEM_ACTOR = {
    "id": "0oa1mockokta0system0",
    "type": "PublicClientApp",
    "alternateId": "mock-okta",
    "displayName": "mock-okta",
}


def log_event(
    event_type: str,
    display_message: str,
    *,
    target: list[dict[str, Any]],
    outcome: str = "SUCCESS",
    reason: str | None = None,
    debug_data: dict[str, Any] | None = None,
    client_ip: str = "127.0.0.1",
    actor: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "published": event_time(),
        "eventType": event_type,
        "version": "0",
        "severity": "INFO" if outcome == "SUCCESS" else "WARN",
        "legacyEventType": None,
        "displayMessage": display_message,
        "actor": actor or SYSTEM_ACTOR,
        "client": {"ipAddress": client_ip, "userAgent": None, "zone": "null", "device": None, "id": None},
        "outcome": {"result": outcome, "reason": reason},
        "target": target,
        "transaction": {"type": "WEB", "id": uuid.uuid4().hex[:20], "detail": {}},
        "debugContext": {"debugData": debug_data or {}},
        "authenticationContext": {"authenticationStep": 0, "externalSessionId": None},
        "securityContext": {},
        "request": {"ipChain": [{"ip": client_ip}]},
    }


def hook_target(hook: dict[str, Any]) -> dict[str, Any]:
    return {"id": hook["id"], "type": "InlineHook", "alternateId": hook["name"], "displayName": hook["name"]}


def user_target(user: dict[str, Any]) -> dict[str, Any]:
    profile = user["profile"]
    name = " ".join(str(profile[k]) for k in ("firstName", "lastName") if profile.get(k)) or profile["login"]
    return {"id": user["id"], "type": "User", "alternateId": profile["login"], "displayName": name}


def hook_lifecycle(hook: dict[str, Any], action: str) -> dict[str, Any]:
    """inline_hook.created / updated / activated / deactivated / deleted."""
    return log_event(f"inline_hook.{action}", f"Inline hook {action}", target=[hook_target(hook)])


def hook_call_events(hook: dict[str, Any], run: HookRun, client_ip: str) -> list[dict[str, Any]]:
    """`inline_hook.executed` when the call failed (no response or a non-2xx status), and
    `inline_hook.response.processed` for every response Okta read, with the hook's debugContext and error."""
    events = []
    last = run.exchange.attempts[-1]
    data = {
        "inlineHookType": hook["type"],
        "eventId": run.request.get("eventId"),
        "attempts": len(run.exchange.attempts),
        "latencyMs": round(run.exchange.total_ms, 1),
    }
    if last.error in ("timeout", "connection", "http_status", "redirect"):
        events.append(
            log_event(
                "inline_hook.executed",
                "Inline hook executed",
                target=[hook_target(hook)],
                outcome="FAILURE",
                reason=last.detail or last.error,
                debug_data={**data, "status": last.status},
                client_ip=client_ip,
            )
        )
    if run.exchange.status is not None and last.error not in ("timeout", "connection"):
        body = run.response_body()
        error = body.get("error") if isinstance(body, dict) else None
        verdict = run.verdict
        events.append(
            log_event(
                "inline_hook.response.processed",
                "Inline hook response processed",
                target=[hook_target(hook)],
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
