"""The org's inline hooks: validation as Okta's API does it, the lifecycle with its System Log events, attaching
a hook to the profile enrollment policy, and the one way the org calls a stored hook (journal and System Log
included). The API, the admin pages, `serve` and the fixtures all change hooks through here."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from functools import lru_cache
from typing import Any

from ..hook.channel import (
    RESERVED_HEADERS,
    AuthScheme,
    ChannelConfig,
    HookChannel,
    header_problem,
    parse_header,
    uri_problem,
)
from ..hook.oauth import AUTH_TYPES, CLIENT_SECRET_POST, PRIVATE_KEY_JWT, OAuthClient
from ..hook.outcome import HookRun, V
from ..hook.registry import HookType
from ..hook.run import run_hook, unreachable
from ..hook.settings import CallSettings, ConfigError, Engine
from ..hooktypes import REGISTRY
from .errors import ApiValidationError, Forbidden, HookTypeNotEmulated, ResourceNotFound
from .models import (
    HOOK_VERSION,
    REGISTRATION_HOOK,
    ChannelHeader,
    HeaderAuthScheme,
    HookCall,
    HookStatus,
    HttpChannel,
    InlineHook,
    OAuthConfig,
)
from .settings import OrgSettings
from .store import Store
from .system_log import hook_call_events, hook_lifecycle
from .user_schema import UserSchema


def http_hook_body(name: str, uri: str, auth_header: tuple[str, str] | None) -> dict[str, Any]:
    """A create body for an HTTP registration hook, as the Admin Console's Add form builds it."""
    config: dict[str, Any] = {"uri": uri, "method": "POST", "headers": []}
    if auth_header:
        config["authScheme"] = {"type": "HEADER", "key": auth_header[0], "value": auth_header[1]}
    return {
        "name": name,
        "type": REGISTRATION_HOOK,
        "version": HOOK_VERSION,
        "channel": {"type": "HTTP", "version": HOOK_VERSION, "config": config},
    }


MAX_OPEN_CHANNELS = 32


class InlineHooks:
    def __init__(self, store: Store, settings: OrgSettings, schema: UserSchema) -> None:
        self.store = store
        self.settings = settings
        self.schema = schema
        # One open channel (and its keep-alive connections) per hook configuration and event loop, as Okta keeps
        # connections to a hook: a new client and TCP connection per sign-up cost the mock a fifth of its time.
        self._channels: dict[ChannelConfig, tuple[asyncio.AbstractEventLoop, HookChannel]] = {}

    def get(self, hook_id: str) -> InlineHook:
        hook = self.store.inline_hook(hook_id)
        if hook is None:
            raise ResourceNotFound(hook_id, "InlineHook")
        return hook

    def all(self, hook_type: str | None = None) -> list[InlineHook]:
        return self.store.inline_hooks(hook_type)

    def create(self, body: Any) -> InlineHook:
        """Validate and store a new hook; it starts ACTIVE, as in Okta."""
        name, hook_type, channel = self._validated(body, None, partial=False)
        with self.store.transaction():  # each change here is kept with its System Log event, or not at all
            hook = self.store.create_inline_hook(name, hook_type, channel)
            self.store.log_event(hook_lifecycle(hook, "created"))
        return hook

    def update(self, hook: InlineHook, body: Any, *, partial: bool) -> InlineHook:
        """Replace (or, `partial`, update) a stored hook's name and channel; the type never changes."""
        name, _, channel = self._validated(body, hook, partial=partial)
        with self.store.transaction():
            updated = self.store.save_inline_hook(replace(hook, name=name, channel=channel))
            self.store.log_event(hook_lifecycle(updated, "updated"))
        return updated

    def set_status(self, hook: InlineHook, status: HookStatus) -> InlineHook:
        """ACTIVE or INACTIVE; an INACTIVE hook is neither called by sign-ups nor executable."""
        with self.store.transaction():
            updated = self.store.save_inline_hook(replace(hook, status=status))
            self.store.log_event(hook_lifecycle(updated, "activated" if status == HookStatus.ACTIVE else "deactivated"))
        return updated

    def delete(self, hook: InlineHook) -> None:
        """Only an INACTIVE hook can be deleted, as in Okta."""
        if hook.status != HookStatus.INACTIVE:
            raise Forbidden(["Only an INACTIVE inline hook can be deleted: deactivate it first"])
        with self.store.transaction():
            self.store.delete_inline_hook(hook.id)
            self.store.log_event(hook_lifecycle(hook, "deleted"))

    def attach(self, hook: InlineHook) -> None:
        """Make this the org's registration hook: the profile enrollment policy's (Enrollment > Inline hook) in an
        Identity Engine org, self-service registration's Extension in a Classic one."""
        self._set_attached(hook.id)

    def detach(self) -> None:
        self._set_attached(None)

    def attached(self) -> InlineHook | None:
        if self.settings.engine == Engine.CLASSIC:
            hook_id = self.store.self_service_registration().inline_hook_id
        else:
            hook_id = self.store.policy().inline_hook_id
        return self.store.inline_hook(hook_id) if hook_id else None

    def _set_attached(self, hook_id: str | None) -> None:
        if self.settings.engine == Engine.CLASSIC:
            setting = self.store.self_service_registration()
            self.store.save_self_service_registration(replace(setting, inline_hook_id=hook_id))
        else:
            self.store.update_policy(inline_hook_id=hook_id)

    def create_and_attach(self, name: str, uri: str, auth_header: str | None) -> InlineHook:
        """An ACTIVE registration hook attached to the policy; one of the same name is deactivated and deleted
        first, through the same lifecycle (and System Log events) as the API."""
        header = parse_header(auth_header) if auth_header else None
        for old in self.store.inline_hooks():
            if old.name.lower() == name.lower():
                if old.active:
                    old = self.set_status(old, HookStatus.INACTIVE)
                self.delete(old)
        try:
            hook = self.create(http_hook_body(name, uri, header))
        except ApiValidationError as exc:
            raise ConfigError("; ".join(exc.cause_texts)) from None
        self.attach(hook)
        return hook

    def journal(
        self, *, inline_hook_id: str | None = None, outcome: str | None = None, limit: int = -1
    ) -> list[HookCall]:
        """The calls of stored hooks, newest first, as the journal keeps them (secrets redacted)."""
        return self.store.hook_calls(inline_hook_id=inline_hook_id, registration=outcome, limit=limit)

    def hook_type(self, hook: InlineHook) -> HookType[Any]:
        """The emulated type of a stored hook; NotEmulated (501) for a type Okta knows and the mock does not call."""
        found = REGISTRY.find(hook.type)
        if found is None:
            raise HookTypeNotEmulated(hook.type)
        return found

    async def call(self, hook: InlineHook, request: dict[str, Any], client_ip: str) -> HookRun[Any]:
        """Call a stored hook as its type (`execute`, Preview): see `call_as`."""
        return await self.call_as(self.hook_type(hook), hook, request, client_ip)

    async def call_as(
        self, hook_type: HookType[V], hook: InlineHook, request: dict[str, Any], client_ip: str
    ) -> HookRun[V]:
        """Call a stored hook through the engine and decide as `hook_type` does; the call lands in the journal
        and the System Log. Answers naming profile attributes are judged against the org's user schema."""
        rules = replace(self.settings.verdict_rules, schema_attributes=self.schema.names())
        try:
            # The type's own call rules (a token hook is never retried).
            config = hook_type.channel_config(self.channel_config(hook))
        except ConfigError as exc:
            # e.g. an http:// hook after strict HTTPS was switched on: it fails like an unreachable hook.
            run = unreachable(hook.channel.uri, hook_type, request, str(exc), rules=rules)
        else:
            run = await run_hook(await self._open_channel(config), hook_type, request, rules=rules)
        with self.store.transaction():  # the journal's record and the System Log's events of the call, together
            # The hook's name is kept with the call: the journal still says which hook it was after a delete.
            self.store.record_hook_call(hook.id, {**run.to_json(), "inlineHookName": hook.name})
            for event in hook_call_events(hook, run, client_ip):
                self.store.log_event(event)
        return run

    async def _open_channel(self, config: ChannelConfig) -> HookChannel:
        loop = asyncio.get_running_loop()
        found = self._channels.get(config)
        if found is not None and found[0] is loop:
            return found[1]
        for stale, (other_loop, channel) in list(self._channels.items()):
            if other_loop is loop and len(self._channels) >= MAX_OPEN_CHANNELS:
                del self._channels[stale]
                await channel.__aexit__(None, None, None)
            elif other_loop.is_closed():
                del self._channels[stale]  # its loop is gone, and its sockets with it
        channel = await HookChannel(config).__aenter__()
        self._channels[config] = (loop, channel)
        return channel

    def channel_config(self, hook: InlineHook) -> ChannelConfig:
        """The engine's channel for a stored hook, under the org's current call settings."""
        channel, call = hook.channel, self.settings.call
        if channel.oauth is None:
            return _http_channel_config(channel, call, self.settings.token_in_budget)
        # An OAuth 2.0 channel also depends on its hook key's row, which can change or go without the hook's.
        return _channel_config(channel, call, self.settings.token_in_budget, self._oauth_client(channel.oauth))

    def _oauth_client(self, oauth: OAuthConfig) -> OAuthClient:
        key = self.store.hook_key(oauth.hook_key_id) if oauth.hook_key_id else None
        if oauth.auth_type == PRIVATE_KEY_JWT and key is None:
            raise ConfigError(f"the hook key {oauth.hook_key_id} no longer exists")
        return OAuthClient(
            token_url=oauth.token_url,
            client_id=oauth.client_id,
            auth_type=oauth.auth_type,
            client_secret=oauth.client_secret,
            private_key=key.private_pem if key else None,
            key_id=key.key_id if key else None,
            scope=oauth.scope,
        )

    # -- validation as Okta's API does it ----------------------------------------------------------------------
    def _validated(self, body: Any, existing: InlineHook | None, *, partial: bool) -> tuple[str, str, HttpChannel]:
        """Name, type and channel after this body is applied, or ApiValidationError naming every problem.

        `existing` is the stored hook for replace/update; `partial` lets fields be left out (POST update)."""
        if not isinstance(body, dict):
            raise ApiValidationError(["The request body must be a JSON object"])
        causes: list[str] = []
        name = body.get("name", existing.name if partial and existing else None)
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 255:
            causes.append("name: The field cannot be left blank and must be at most 255 characters")
        elif any(
            h.name.lower() == name.strip().lower() and (existing is None or h.id != existing.id)
            for h in self.store.inline_hooks()
        ):
            causes.append("name: An inline hook with this name already exists")

        hook_type = body.get("type", existing.type if existing else None)
        if existing and "type" in body and body["type"] != existing.type:
            causes.append("type: The type of an inline hook cannot be changed")
        elif hook_type not in REGISTRY.type_strings():
            causes.append(f"type: Must be one of {', '.join(REGISTRY.type_strings())}")

        version = body.get("version", HOOK_VERSION if partial or existing else None)
        if version != HOOK_VERSION:
            causes.append(f'version: Must be "{HOOK_VERSION}"')

        channel: HttpChannel | None = existing.channel if existing else None
        if "channel" in body or not partial:
            # Only a partial update may leave the write-only secret out; a replace (PUT) must send it again.
            keep = existing.channel if existing and partial else None
            channel = self._channel(body.get("channel"), keep, causes)
        if not existing and len(self.store.inline_hooks()) >= self.settings.max_inline_hooks:
            causes.append(f"An org can have at most {self.settings.max_inline_hooks} inline hooks")
        if causes or channel is None or not isinstance(name, str) or not isinstance(hook_type, str):
            raise ApiValidationError(causes)
        return name.strip(), hook_type, channel

    def _channel(self, channel: Any, previous: HttpChannel | None, causes: list[str]) -> HttpChannel | None:
        if not isinstance(channel, dict):
            causes.append("channel: Required, an object with type, version and config")
            return None
        kind = channel.get("type")
        if kind not in ("HTTP", "OAUTH"):
            causes.append('channel.type: Must be "HTTP" or "OAUTH"')
        if channel.get("version", HOOK_VERSION) != HOOK_VERSION:
            causes.append(f'channel.version: Must be "{HOOK_VERSION}"')
        config = channel.get("config")
        if not isinstance(config, dict):
            causes.append("channel.config: Required, an object with uri, method, headers and authScheme")
            return None
        uri = config.get("uri")
        strict = self.settings.call.strict_https
        problem = uri_problem(uri, strict_https=strict) if isinstance(uri, str) else "uri is required"
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
            problem = header_problem(header["key"], header["value"])
            if problem:
                causes.append(f"channel.config.headers: {problem}")
            elif header["key"].lower() in RESERVED_HEADERS:
                causes.append(f"channel.config.headers: {header['key']!r} cannot be set")
        scheme = config.get("authScheme")
        auth_scheme, oauth = None, None
        if kind == "OAUTH":
            if scheme is not None:
                causes.append("channel.config.authScheme: Must be null for an OAUTH channel")
            oauth = self._oauth(config, previous, causes)
        elif scheme is not None:
            auth_scheme = _auth_scheme(scheme, previous, causes)
        if not isinstance(uri, str):
            return None
        return HttpChannel(
            uri=uri,
            headers=tuple(ChannelHeader(h["key"], h["value"]) for h in headers),
            auth_scheme=auth_scheme,
            type="OAUTH" if kind == "OAUTH" else "HTTP",
            oauth=oauth,
        )

    def _oauth(self, config: dict[str, Any], previous: HttpChannel | None, causes: list[str]) -> OAuthConfig | None:
        """The OAUTH channel's config (spec InlineHookOAuthClientSecretConfigCreate / ...PrivateKeyJwtConfig)."""
        before = len(causes)
        auth_type, client_id = config.get("authType"), config.get("clientId")
        token_url, scope = config.get("tokenUrl"), config.get("scope")
        if auth_type not in AUTH_TYPES:
            causes.append(f"channel.config.authType: Must be {' or '.join(AUTH_TYPES)}")
        if not isinstance(client_id, str) or not client_id.strip() or len(client_id) > 255:
            causes.append("channel.config.clientId: Required, the client id of the app the tokens are issued to")
        strict = self.settings.call.strict_https
        problem = uri_problem(token_url, strict_https=strict) if isinstance(token_url, str) else "tokenUrl is required"
        if problem:
            causes.append(f"channel.config.tokenUrl: {problem.replace('hook URI', 'tokenUrl')}")
        if scope is not None and (not isinstance(scope, str) or len(scope) > 1024 or not scope.isascii()):
            causes.append("channel.config.scope: Space-separated scopes (text)")
        secret, hook_key_id = None, None
        if auth_type == CLIENT_SECRET_POST:
            secret = config.get("clientSecret")
            old = previous.oauth if previous else None
            if secret is None and old and old.client_secret and old.client_id == client_id:
                secret = old.client_secret  # write-only: a partial update that leaves it out keeps it
            if not isinstance(secret, str) or not secret or not secret.isascii() or len(secret) > 1024:
                causes.append("channel.config.clientSecret: Required for client_secret_post (it is never returned)")
        elif auth_type == PRIVATE_KEY_JWT:
            hook_key_id = config.get("hookKeyId")
            key = self.store.hook_key(hook_key_id) if isinstance(hook_key_id, str) else None
            if key is None or key.id != hook_key_id:
                causes.append("channel.config.hookKeyId: Required for private_key_jwt, the id of a hook key")
        if len(causes) > before:
            return None
        assert isinstance(auth_type, str) and isinstance(client_id, str) and isinstance(token_url, str)
        return OAuthConfig(
            auth_type=auth_type,
            client_id=client_id.strip(),
            token_url=token_url,
            client_secret=secret if isinstance(secret, str) else None,
            hook_key_id=hook_key_id if isinstance(hook_key_id, str) else None,
            scope=scope.strip() or None if isinstance(scope, str) else None,
        )


def _channel_config(
    channel: HttpChannel, call: CallSettings, token_in_budget: bool, oauth: OAuthClient | None
) -> ChannelConfig:
    scheme = channel.auth_scheme
    return ChannelConfig(
        channel.uri,
        auth_scheme=AuthScheme(scheme.key, scheme.value) if scheme else None,
        headers=tuple((h.key, h.value) for h in channel.headers),
        timeout=call.timeout,
        max_retries=call.max_retries,
        strict_https=call.strict_https,
        oauth=oauth,
        token_in_budget=token_in_budget,
    )


# Building and checking a channel (its URI, headers and numbers) took a tenth of a millisecond of every hook call.
# Its inputs are frozen values, so the config is built once per stored channel and call settings: a hook written
# through the API, a reset or new settings are new keys (nothing to invalidate); a config that cannot be built
# raises every time (exceptions are not cached).
@lru_cache(maxsize=256)
def _http_channel_config(channel: HttpChannel, call: CallSettings, token_in_budget: bool) -> ChannelConfig:
    return _channel_config(channel, call, token_in_budget, None)


def _auth_scheme(scheme: Any, previous: HttpChannel | None, causes: list[str]) -> HeaderAuthScheme | None:
    if not isinstance(scheme, dict) or str(scheme.get("type", "")).upper() != "HEADER":
        causes.append('channel.config.authScheme: Must be {"type": "HEADER", "key": ..., "value": ...}')
        return None
    key, value = scheme.get("key"), scheme.get("value")
    if not isinstance(key, str) or not key.strip() or any(ch.isspace() for ch in key.strip()):
        causes.append("channel.config.authScheme.key: Required, a header name")
        return None
    if value is None:
        # Okta never returns the secret, so a partial update that leaves it out keeps the stored one.
        old = previous.auth_scheme if previous else None
        value = old.value if old and old.key.lower() == key.strip().lower() else None
    if not isinstance(value, str) or not value:
        causes.append("channel.config.authScheme.value: Required, the secret Okta sends in that header")
        return None
    problem = header_problem(key.strip(), value)
    if problem:
        causes.append(f"channel.config.authScheme: {problem}")
        return None
    return HeaderAuthScheme(key.strip(), value)
