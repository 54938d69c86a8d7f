"""Okta's JSON for each resource, in one place: the shapes of Okta's Management API spec
(okta-management-openapi-spec: InlineHook, User, ProfileEnrollmentPolicy and its rule, LogEvent), with absolute
`_links` under the org's origin. Secrets never leave: `authScheme.value` is write-only, as in Okta.
"""

from __future__ import annotations

from typing import Any

from .models import HookCall, HookStatus, InlineHook, LogEvent, ProfileEnrollmentPolicy, User

DEFAULT_RULE_ID = "rul1default0catchall"
DEFAULT_USER_TYPE_ID = "oty1default0usertype"
SYSTEM_ACTOR = {
    "id": "0oa1mockokta0system0",
    "type": "PublicClientApp",
    "alternateId": "mock-okta",
    "displayName": "mock-okta",
}


def _link(href: str, *methods: str) -> dict[str, Any]:
    return {"href": href, "hints": {"allow": list(methods)}}


def render_hook(hook: InlineHook, base_url: str) -> dict[str, Any]:
    channel = hook.channel
    config: dict[str, Any] = {
        "uri": channel.uri,
        "method": channel.method,
        "headers": [{"key": h.key, "value": h.value} for h in channel.headers],
        "authScheme": (
            {"type": channel.auth_scheme.type, "key": channel.auth_scheme.key} if channel.auth_scheme else None
        ),
    }
    href = f"{base_url}/api/v1/inlineHooks/{hook.id}"
    links: dict[str, Any] = {"self": _link(href, "GET", "PUT", "DELETE")}
    if hook.status == HookStatus.ACTIVE:
        links["deactivate"] = _link(f"{href}/lifecycle/deactivate", "POST")
    else:
        links["activate"] = _link(f"{href}/lifecycle/activate", "POST")
        links["delete"] = _link(href, "DELETE")
    links["execute"] = _link(f"{href}/execute", "POST")
    return {
        "id": hook.id,
        "status": hook.status,
        "name": hook.name,
        "type": hook.type,
        "version": hook.version,
        "channel": {"type": channel.type, "version": channel.version, "config": config},
        "created": hook.created,
        "lastUpdated": hook.last_updated,
        "_links": links,
    }


def render_user(user: User, base_url: str) -> dict[str, Any]:
    return {
        "id": user.id,
        "status": user.status,
        "created": user.created,
        "activated": user.activated,
        "statusChanged": user.status_changed,
        "lastLogin": None,
        "lastUpdated": user.last_updated,
        "passwordChanged": None,
        "type": {"id": DEFAULT_USER_TYPE_ID},
        "profile": user.profile,
        "credentials": {"provider": {"type": "OKTA", "name": "OKTA"}},
        "_links": {"self": {"href": f"{base_url}/api/v1/users/{user.id}"}},
    }


def render_policy(policy: ProfileEnrollmentPolicy, base_url: str) -> dict[str, Any]:
    href = f"{base_url}/api/v1/policies/{policy.id}"
    return {
        "id": policy.id,
        "status": "ACTIVE",
        "name": policy.name,
        "description": policy.description,
        "priority": 1,
        "system": True,
        "conditions": None,
        "created": policy.created,
        "lastUpdated": policy.last_updated,
        "type": "PROFILE_ENROLLMENT",
        "_links": {"self": _link(href, "GET", "PUT"), "rules": _link(f"{href}/rules", "GET")},
    }


def render_rule(policy: ProfileEnrollmentPolicy, base_url: str) -> dict[str, Any]:
    hooks = [{"inlineHookId": policy.inline_hook_id}] if policy.inline_hook_id else []
    return {
        "id": DEFAULT_RULE_ID,
        "status": "ACTIVE",
        "name": "Catch-all Rule",
        "priority": 99,
        "system": True,
        "created": policy.created,
        "lastUpdated": policy.last_updated,
        "type": "PROFILE_ENROLLMENT",
        "conditions": None,
        "actions": {
            "profileEnrollment": {
                "access": policy.access,
                "preRegistrationInlineHooks": hooks,
                "profileAttributes": [
                    {"name": a.name, "label": a.label, "required": a.required} for a in policy.profile_attributes
                ],
                "targetGroupIds": [],
                "unknownUserAction": "REGISTER",
                "activationRequirements": {"emailVerification": True},
            }
        },
        "_links": {"self": _link(f"{base_url}/api/v1/policies/{policy.id}/rules/{DEFAULT_RULE_ID}", "GET", "PUT")},
    }


def render_log_event(event: LogEvent) -> dict[str, Any]:
    return {
        "uuid": event.uuid,
        "published": event.published,
        "eventType": event.event_type,
        "version": "0",
        "severity": event.severity,
        "legacyEventType": None,
        "displayMessage": event.display_message,
        "actor": SYSTEM_ACTOR,
        "client": {"ipAddress": event.client_ip, "userAgent": None, "zone": "null", "device": None, "id": None},
        "outcome": {"result": event.outcome, "reason": event.reason},
        "target": [
            {"id": t.id, "type": t.type, "alternateId": t.alternate_id, "displayName": t.display_name}
            for t in event.targets
        ],
        "transaction": {"type": "WEB", "id": event.transaction_id, "detail": {}},
        "debugContext": {"debugData": event.debug_data},
        "authenticationContext": {"authenticationStep": 0, "externalSessionId": None},
        "securityContext": {},
        "request": {"ipChain": [{"ip": event.client_ip}]},
    }


def render_hook_call(call: HookCall) -> dict[str, Any]:
    """A journal entry for `/_mock/journal` (the mock's own shape: Okta has no such API)."""
    return {
        "id": call.id,
        "created": call.created,
        "inlineHookId": call.inline_hook_id,
        "totalMs": call.total_ms,
        **call.record,
    }
