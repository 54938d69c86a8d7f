"""Inline hook objects: validation as Okta's API does it, Okta's JSON shape (never the secret), the channel for
the engine, and the one function the server uses to call a stored hook (journal and System Log included)."""

from __future__ import annotations

from typing import Any

from .channel import RESERVED_HEADERS, AuthScheme, ChannelConfig, ChannelConfigError, HookChannel, uri_problem
from .engine import HookRun, run_hook, unreachable
from .errors import OktaError, not_found
from .settings import MockOktaSettings
from .store import Store
from .syslog import hook_call_events, hook_lifecycle

REGISTRATION_HOOK = "com.okta.user.pre-registration"
HOOK_TYPES = (
    "com.okta.import.transform",
    "com.okta.oauth2.tokens.transform",
    "com.okta.saml.tokens.transform",
    "com.okta.telephony.provider",
    "com.okta.user.credential.password.import",
    REGISTRATION_HOOK,
)
VERSION = "1.0.0"


def validate_hook(
    body: Any,
    store: Store,
    settings: MockOktaSettings,
    *,
    existing: dict[str, Any] | None = None,
    partial: bool = False,
) -> tuple[dict[str, Any], list[str]]:
    """The hook's fields after this body is applied, and every problem found (empty when valid).

    `existing` is the stored hook for replace/update; `partial` lets fields be left out (POST update)."""
    if not isinstance(body, dict):
        return {}, ["The request body must be a JSON object"]
    causes: list[str] = []
    current = existing or {}
    name = body.get("name", current.get("name") if partial else None)
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 255:
        causes.append("name: The field cannot be left blank and must be at most 255 characters")
    elif any(h["name"].lower() == name.strip().lower() and h["id"] != current.get("id") for h in store.inline_hooks()):
        causes.append("name: An inline hook with this name already exists")

    hook_type = body.get("type", current.get("type"))
    if existing and "type" in body and body["type"] != existing["type"]:
        causes.append("type: The type of an inline hook cannot be changed")
    elif hook_type not in HOOK_TYPES:
        causes.append(f"type: Must be one of {', '.join(HOOK_TYPES)}")

    version = body.get("version", VERSION if partial or existing else None)
    if version != VERSION:
        causes.append(f'version: Must be "{VERSION}"')

    if "channel" in body or not partial:
        channel = _channel(body.get("channel"), current.get("channel"), settings, causes)
    else:
        channel = current.get("channel")
    if not existing and len(store.inline_hooks()) >= settings.max_inline_hooks:
        causes.append(f"An org can have at most {settings.max_inline_hooks} inline hooks")
    fields = {"name": name.strip() if isinstance(name, str) else name, "type": hook_type, "channel": channel}
    return fields, causes


def _channel(
    channel: Any, previous: dict[str, Any] | None, settings: MockOktaSettings, causes: list[str]
) -> dict[str, Any] | None:
    if not isinstance(channel, dict):
        causes.append("channel: Required, an object with type, version and config")
        return None
    if channel.get("type") == "OAUTH":
        causes.append("channel.type: OAUTH channels are not emulated by mock-okta; use HTTP with an authScheme")
    elif channel.get("type") != "HTTP":
        causes.append('channel.type: Must be "HTTP"')
    if channel.get("version", VERSION) != VERSION:
        causes.append(f'channel.version: Must be "{VERSION}"')
    config = channel.get("config")
    if not isinstance(config, dict):
        causes.append("channel.config: Required, an object with uri, method, headers and authScheme")
        return None
    uri = config.get("uri")
    problem = uri_problem(uri, strict_https=settings.strict_https) if isinstance(uri, str) else "uri is required"
    if problem:
        causes.append(f"channel.config.uri: {problem}")
    if config.get("method", "POST") != "POST":
        causes.append('channel.config.method: Must be "POST"')
    headers = config.get("headers") or []
    if not isinstance(headers, list) or not all(
        isinstance(h, dict) and isinstance(h.get("key"), str) and h["key"] and isinstance(h.get("value"), str)
        for h in headers
    ):
        causes.append("channel.config.headers: Must be a list of {key, value} strings")
        headers = []
    for header in headers:
        if header["key"].lower() in RESERVED_HEADERS or any(ch.isspace() for ch in header["key"]):
            causes.append(f"channel.config.headers: {header['key']!r} cannot be set")
    scheme = config.get("authScheme")
    if scheme is not None:
        scheme = _auth_scheme(scheme, previous, causes)
    return {
        "type": "HTTP",
        "version": VERSION,
        "config": {
            "uri": uri,
            "method": "POST",
            "headers": [{"key": h["key"], "value": h["value"]} for h in headers],
            "authScheme": scheme,
        },
    }


def _auth_scheme(scheme: Any, previous: dict[str, Any] | None, causes: list[str]) -> dict[str, Any] | None:
    if not isinstance(scheme, dict) or str(scheme.get("type", "")).upper() != "HEADER":
        causes.append('channel.config.authScheme: Must be {"type": "HEADER", "key": ..., "value": ...}')
        return None
    key, value = scheme.get("key"), scheme.get("value")
    if not isinstance(key, str) or not key.strip() or any(ch.isspace() for ch in key.strip()):
        causes.append("channel.config.authScheme.key: Required, a header name")
        return None
    if value is None:
        # Okta never returns the secret, so an edit that leaves it out keeps the stored one.
        old = ((previous or {}).get("config") or {}).get("authScheme") or {}
        value = old.get("value") if old.get("key", "").lower() == key.strip().lower() else None
    if not isinstance(value, str) or not value:
        causes.append("channel.config.authScheme.value: Required, the secret Okta sends in that header")
        return None
    return {"type": "HEADER", "key": key.strip(), "value": value}


def render_hook(hook: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The hook as Okta's API returns it: `authScheme.value` is write-only and never leaves the server."""
    channel = hook["channel"]
    config = dict(channel["config"])
    if config.get("authScheme"):
        config["authScheme"] = {"type": config["authScheme"]["type"], "key": config["authScheme"]["key"]}
    href = f"{base_url}/api/v1/inlineHooks/{hook['id']}"
    links: dict[str, Any] = {"self": {"href": href, "hints": {"allow": ["GET", "PUT", "DELETE"]}}}
    if hook["status"] == "ACTIVE":
        links["deactivate"] = {"href": f"{href}/lifecycle/deactivate", "hints": {"allow": ["POST"]}}
    else:
        links["activate"] = {"href": f"{href}/lifecycle/activate", "hints": {"allow": ["POST"]}}
        links["delete"] = {"href": href, "hints": {"allow": ["DELETE"]}}
    links["execute"] = {"href": f"{href}/execute", "hints": {"allow": ["POST"]}}
    return {
        "id": hook["id"],
        "status": hook["status"],
        "name": hook["name"],
        "type": hook["type"],
        "version": VERSION,
        "channel": {"type": channel["type"], "version": channel.get("version", VERSION), "config": config},
        "created": hook["created"],
        "lastUpdated": hook["lastUpdated"],
        "_links": links,
    }


def channel_config(hook: dict[str, Any], settings: MockOktaSettings) -> ChannelConfig:
    """The engine's channel for a stored hook."""
    config = hook["channel"]["config"]
    scheme = config.get("authScheme") or None
    return ChannelConfig(
        config["uri"],
        auth_scheme=AuthScheme(scheme["key"], scheme["value"]) if scheme else None,
        headers=tuple((h["key"], h["value"]) for h in config.get("headers") or []),
        timeout=settings.timeout,
        max_retries=settings.max_retries,
        strict_https=settings.strict_https,
    )


async def call_inline_hook(
    store: Store, settings: MockOktaSettings, hook: dict[str, Any], request: dict[str, Any], client_ip: str
) -> HookRun:
    """Call a stored hook through the engine; the call lands in the journal and the System Log."""
    try:
        config = channel_config(hook, settings)
    except ChannelConfigError as exc:
        # e.g. an http:// hook after strict HTTPS was switched on: it fails like an unreachable hook.
        run = unreachable(hook["channel"]["config"]["uri"], request, str(exc), rules=settings.verdict_rules)
    else:
        async with HookChannel(config) as channel:
            run = await run_hook(channel, request, rules=settings.verdict_rules)
    store.record_hook_call(hook["id"], run.to_json())
    for event in hook_call_events(hook, run, client_ip):
        store.log_event(event)
    return run


class HookValidationError(OktaError):
    """A hook body Okta's API would refuse: 400 E0000001 with one errorCause per problem."""

    def __init__(self, causes: list[str]) -> None:
        super().__init__(400, "E0000001", "; ".join(causes), causes)


def create_hook(store: Store, settings: MockOktaSettings, body: Any) -> dict[str, Any]:
    """Validate and store a new hook; it starts ACTIVE, as in Okta."""
    fields, causes = validate_hook(body, store, settings)
    if causes:
        raise HookValidationError(causes)
    hook = store.create_inline_hook(fields["name"], fields["channel"], fields["type"])
    store.log_event(hook_lifecycle(hook, "created"))
    return hook


def http_hook_body(name: str, uri: str, auth_header: tuple[str, str] | None) -> dict[str, Any]:
    """A create body for an HTTP registration hook, as the Admin Console's Add form builds it."""
    config: dict[str, Any] = {"uri": uri, "method": "POST", "headers": []}
    if auth_header:
        config["authScheme"] = {"type": "HEADER", "key": auth_header[0], "value": auth_header[1]}
    return {
        "name": name,
        "type": REGISTRATION_HOOK,
        "version": VERSION,
        "channel": {"type": "HTTP", "version": VERSION, "config": config},
    }


def find_hook(store: Store, hook_id: str) -> dict[str, Any]:
    hook = store.inline_hook(hook_id)
    if hook is None:
        raise not_found(hook_id, "InlineHook")
    return hook


def update_hook(
    store: Store, settings: MockOktaSettings, hook: dict[str, Any], body: Any, *, partial: bool
) -> dict[str, Any]:
    """Replace (or, `partial`, update) a stored hook's name and channel; the type never changes."""
    fields, causes = validate_hook(body, store, settings, existing=hook, partial=partial)
    if causes:
        raise HookValidationError(causes)
    updated = store.update_inline_hook(hook["id"], name=fields["name"], channel=fields["channel"])
    assert updated is not None
    store.log_event(hook_lifecycle(updated, "updated"))
    return updated


def set_hook_status(store: Store, hook: dict[str, Any], status: str) -> dict[str, Any]:
    """ACTIVE or INACTIVE; an INACTIVE hook is neither called by sign-ups nor executable."""
    updated = store.update_inline_hook(hook["id"], status=status)
    assert updated is not None
    store.log_event(hook_lifecycle(updated, "activated" if status == "ACTIVE" else "deactivated"))
    return updated


def delete_hook(store: Store, hook: dict[str, Any]) -> None:
    """Only an INACTIVE hook can be deleted, as in Okta."""
    if hook["status"] != "INACTIVE":
        raise OktaError(403, "E0000006", causes=["Only an INACTIVE inline hook can be deleted: deactivate it first"])
    store.delete_inline_hook(hook["id"])
    store.log_event(hook_lifecycle(hook, "deleted"))
