"""Okta's JSON for each resource, in one place: the shapes of Okta's Management API spec
(okta-management-openapi-spec: InlineHook, User, ProfileEnrollmentPolicy and its rule, LogEvent), with absolute
`_links` under the org's origin. Secrets never leave: `authScheme.value` is write-only, as in Okta.
"""

from __future__ import annotations

from typing import Any

from .models import (
    Group,
    HookCall,
    HookStatus,
    InlineHook,
    LogEvent,
    ProfileEnrollmentPolicy,
    SchemaAttribute,
    User,
    UserStatus,
)

DEFAULT_RULE_ID = "rul1default0catchall"
DEFAULT_USER_TYPE_ID = "oty1default0usertype"
DEFAULT_SCHEMA_ID = "osc1default0userschm"
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
    if channel.oauth is not None:
        # The spec's OAuth examples: authScheme null, clientId, tokenUrl, authType, scope, hookKeyId for
        # private_key_jwt; the clientSecret is never returned.
        oauth = channel.oauth
        config.update(clientId=oauth.client_id, tokenUrl=oauth.token_url, authType=oauth.auth_type, scope=oauth.scope)
        if oauth.hook_key_id:
            config["hookKeyId"] = oauth.hook_key_id
    # The links a real org returns per status (okta-sdk-python cassette
    # test_inline_hooks_it/TestInlineHooksResource.test_activate_deactivate_inline_hook.yaml).
    href = f"{base_url}/api/v1/inlineHooks/{hook.id}"
    links: dict[str, Any]
    if hook.status == HookStatus.ACTIVE:
        links = {
            "self": {"href": href},
            "execute": _link(f"{href}/execute", "POST"),
            "deactivate": _link(f"{href}/lifecycle/deactivate", "POST"),
        }
    else:
        links = {
            "activate": _link(f"{href}/lifecycle/activate", "POST"),
            "self": {"href": href},
            "delete": _link(href, "DELETE"),
        }
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


# Lifecycle links a real org shows per status (okta-sdk-python cassettes test_users_it/*.yaml).
USER_ACTIONS: dict[UserStatus, tuple[tuple[str, str], ...]] = {
    UserStatus.STAGED: (("activate", "lifecycle/activate"),),
    UserStatus.PROVISIONED: (
        ("activate", "lifecycle/reactivate"),
        ("resetPassword", "lifecycle/reset_password"),
        ("deactivate", "lifecycle/deactivate"),
    ),
    UserStatus.ACTIVE: (
        ("suspend", "lifecycle/suspend"),
        ("resetPassword", "lifecycle/reset_password"),
        ("expirePassword", "lifecycle/expire_password"),
        ("changeRecoveryQuestion", "credentials/change_recovery_question"),
        ("changePassword", "credentials/change_password"),
        ("deactivate", "lifecycle/deactivate"),
    ),
    UserStatus.DEPROVISIONED: (("activate", "lifecycle/activate"),),
}


def render_user(user: User, base_url: str, *, in_collection: bool = False) -> dict[str, Any]:
    """A user; `in_collection` for list answers, whose links hold only `self` (Users API, "Links object")."""
    href = f"{base_url}/api/v1/users/{user.id}"
    links: dict[str, Any] = {"self": {"href": href}}
    if not in_collection:
        links["schema"] = {"href": f"{base_url}/api/v1/meta/schemas/user/{DEFAULT_SCHEMA_ID}"}
        links["type"] = {"href": f"{base_url}/api/v1/meta/types/user/{DEFAULT_USER_TYPE_ID}"}
        for name, path in USER_ACTIONS.get(user.status, ()):
            links[name] = {"href": f"{href}/{path}", "method": "POST"}
    email = user.profile.get("email")
    credentials: dict[str, Any] = {"provider": {"type": "OKTA", "name": "OKTA"}}
    if isinstance(email, str):
        credentials = {"emails": [{"value": email, "status": "VERIFIED", "type": "PRIMARY"}], **credentials}
    return {
        "id": user.id,
        "status": user.status,
        "created": user.created,
        "activated": user.activated,
        "statusChanged": user.status_changed,
        "lastLogin": None,
        "lastUpdated": user.last_updated,
        "passwordChanged": user.password_changed,
        "type": {"id": DEFAULT_USER_TYPE_ID},
        "profile": user.profile,
        "credentials": credentials,
        "_links": links,
    }


def render_group(group: Group, base_url: str) -> dict[str, Any]:
    href = f"{base_url}/api/v1/groups/{group.id}"
    return {
        "id": group.id,
        "created": group.created,
        "lastUpdated": group.last_updated,
        "lastMembershipUpdated": group.last_membership_updated,
        "objectClass": ["okta:user_group"],
        "type": group.type,
        "profile": {"name": group.name, "description": group.description},
        "_links": {"users": {"href": f"{href}/users"}, "apps": {"href": f"{href}/apps"}},
    }


def _schema_property(attribute: SchemaAttribute) -> dict[str, Any]:
    prop: dict[str, Any] = {"title": attribute.title, "type": attribute.type}
    if attribute.description is not None:
        prop["description"] = attribute.description
    if attribute.required:
        prop["required"] = True
    for key, value in (("minLength", attribute.min_length), ("maxLength", attribute.max_length)):
        if value is not None:
            prop[key] = value
    if attribute.type == "array":
        prop["items"] = {"type": "string"}
    return {
        **prop,
        "mutability": "READ_WRITE",
        "scope": "NONE",
        "permissions": [{"principal": "SELF", "action": "READ_WRITE"}],
    }


def render_user_schema(
    attributes: tuple[SchemaAttribute, ...], base_url: str, formats: dict[str, str]
) -> dict[str, Any]:
    """The default user schema in Okta's shape (cassette test_user_schema_it/...test_get_user_schema.yaml)."""
    sections: dict[str, dict[str, Any]] = {}
    for custom, key in ((False, "base"), (True, "custom")):
        chosen = [a for a in attributes if a.custom == custom]
        properties = {}
        for a in chosen:
            prop = _schema_property(a)
            if a.name in formats:
                prop["format"] = formats[a.name]
            properties[a.name] = prop
        sections[key] = {
            "id": f"#{key}",
            "type": "object",
            "properties": properties,
            "required": [a.name for a in chosen if a.required],
        }
    return {
        "id": f"{base_url}/meta/schemas/user/default",
        "$schema": "http://json-schema.org/draft-04/schema#",
        "name": "user",
        "title": "User",
        "description": "Okta user profile template with default permission settings",
        "type": "object",
        "definitions": sections,
        "properties": {"profile": {"allOf": [{"$ref": "#/definitions/custom"}, {"$ref": "#/definitions/base"}]}},
        "_links": {
            "self": {
                "rel": "self",
                "href": f"{base_url}/api/v1/meta/schemas/user/{DEFAULT_SCHEMA_ID}",
                "method": "GET",
            },
            "type": {
                "rel": "type",
                "href": f"{base_url}/api/v1/meta/types/user/{DEFAULT_USER_TYPE_ID}",
                "method": "GET",
            },
        },
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
    # Empty lists are null, as in the spec's example rule (list-all-profile-enrollment-policy-rule-response).
    hooks = [{"inlineHookId": policy.inline_hook_id}] if policy.inline_hook_id else None
    rule = policy.rule
    action: dict[str, Any] = {
        "access": policy.access,
        "preRegistrationInlineHooks": hooks,
        "profileAttributes": [
            {"name": a.name, "label": a.label, "required": a.required} for a in policy.profile_attributes
        ],
        "targetGroupIds": list(rule.target_group_ids) or None,
        "unknownUserAction": rule.unknown_user_action,
        "activationRequirements": {"emailVerification": rule.email_verification},
        "uiSchemaId": rule.ui_schema_id,
        "progressiveProfilingAction": rule.progressive_profiling,
        "allowedIdentifiers": list(rule.allowed_identifiers),
    }
    if rule.enroll_authenticator_types:
        action["enrollAuthenticatorTypes"] = list(rule.enroll_authenticator_types)
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
        "actions": {"profileEnrollment": action},
        "_links": {"self": _link(f"{base_url}/api/v1/policies/{policy.id}/rules/{DEFAULT_RULE_ID}", "GET", "PUT")},
    }


def render_log_event(event: LogEvent) -> dict[str, Any]:
    """A LogEvent; fields the mock has no value for are left out rather than null (the spec types them as
    strings and objects, not nullable)."""
    outcome: dict[str, Any] = {"result": event.outcome}
    if event.reason is not None:
        outcome["reason"] = event.reason
    return {
        "uuid": event.uuid,
        "published": event.published,
        "eventType": event.event_type,
        "version": "0",
        "severity": event.severity,
        "displayMessage": event.display_message,
        "actor": (
            {
                "id": event.actor.id,
                "type": event.actor.type,
                "alternateId": event.actor.alternate_id,
                "displayName": event.actor.display_name,
            }
            if event.actor
            else SYSTEM_ACTOR
        ),
        "client": {"ipAddress": event.client_ip, "zone": "null"},
        "outcome": outcome,
        "target": [
            {"id": t.id, "type": t.type, "alternateId": t.alternate_id, "displayName": t.display_name}
            for t in event.targets
        ],
        "transaction": {"type": "WEB", "id": event.transaction_id, "detail": {}},
        "debugContext": {"debugData": event.debug_data},
        "authenticationContext": {"authenticationStep": 0},
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
