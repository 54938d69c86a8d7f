"""The IDX (ion) document pieces every step of the Identity Engine flows shares: replies, messages, remediations,
the cancel form and Okta's answer to an unknown state handle. Shapes follow the widget's own IDX fixtures
(okta-signin-widget `playground/mocks/data/idp/idx/`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import IdxFlow

ION_CONTENT_TYPE = "application/ion+json; okta-version=1.0.0"
SESSION_EXPIRED_TEXT = "The session has expired."
# The app the sign-in is for. The mock's hosted page is the org's own sign-in page, whose app is the Okta End-User
# Dashboard: Okta's `okta_enduser`, "Okta Dashboard" (okta-signin-widget fixtures, e.g. `playground/mocks/data/idp/
# idx/authenticator-enroll-email-first.json`, `error-enroll-regisration-unavailable.json`). The id is the mock's own,
# stable across runs (a real org's is its dashboard app instance's id).
MOCK_APP = {"name": "okta_enduser", "label": "Okta Dashboard", "id": "0oa1mokta0dashboard0"}


@dataclass
class IdxReply:
    status: int
    body: dict[str, Any]


def transaction(flow: IdxFlow) -> dict[str, Any]:
    """What every document of a live transaction starts with; the `app` object is in every capture of one (the
    widget's fixtures), only the answer to an unknown or expired state handle has none."""
    return {
        "version": "1.0.0",
        "stateHandle": flow.state_handle,
        "expiresAt": flow.expires_at,
        "intent": "LOGIN",
        "app": {"type": "object", "value": dict(MOCK_APP)},
    }


def message(text: str, cls: str = "ERROR", key: str | None = None, params: list[str] | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"message": text, "class": cls}
    if key:
        entry["i18n"] = {"key": key, **({"params": params} if params else {})}
    return entry


def messages(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "value": list(entries)}


def remediation(name: str, origin: str, path: str, value: list[dict[str, Any]], handle: str) -> dict[str, Any]:
    return {
        "rel": ["create-form"],
        "name": name,
        "href": origin + path,
        "method": "POST",
        "produces": ION_CONTENT_TYPE,
        "accepts": "application/json; okta-version=1.0.0",
        "value": [*value, state_handle_field(handle)],
    }


def cancel(origin: str, handle: str) -> dict[str, Any]:
    return remediation("cancel", origin, "/idp/idx/cancel", [], handle)


def state_handle_field(handle: str) -> dict[str, Any]:
    return {"name": "stateHandle", "required": True, "value": handle, "visible": False, "mutable": False}


def expired() -> IdxReply:
    """Okta's answer to an unknown or expired state handle."""
    return IdxReply(
        401, {"version": "1.0.0", "messages": messages(message(SESSION_EXPIRED_TEXT, key="idx.session.expired"))}
    )
