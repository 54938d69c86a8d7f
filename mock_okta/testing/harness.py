"""`MockOkta`: a blocking, test-friendly handle on the engine, bound to one hook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from ..hook.channel import ChannelConfig
from ..hook.oauth import OAuthClient
from ..hook.outcome import HookRun
from ..hook.registry import HookType, RequestOptions
from ..hook.run import run_hook_sync
from ..hook.settings import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, CallSettings
from ..hooktypes import REGISTRATION


@dataclass
class MockOkta:
    """Fires requests of `hook_type` (registrations by default) at `hook_url` like Okta and keeps every run in
    `runs`, newest last.

    `transport` (e.g. `httpx.ASGITransport(app)`) calls an ASGI hook in-process through the same code path.
    """

    hook_url: str
    auth_header: str | None = None
    headers: tuple[str, ...] = ()
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_MAX_RETRIES
    strict_https: bool = False
    transport: httpx.AsyncBaseTransport | None = None
    engine: str = "ie"  # "classic": generated requests are a Classic Engine org's (no requestType)
    oauth: OAuthClient | None = None  # an OAuth 2.0 channel: a Bearer token from this client instead of auth_header
    hook_type: HookType[Any] = REGISTRATION
    runs: list[HookRun[Any]] = field(default_factory=list)

    @property
    def channel_config(self) -> ChannelConfig:
        settings = CallSettings(self.timeout, self.retries, self.strict_https)
        config = ChannelConfig.from_header_lines(
            self.hook_url, self.auth_header, self.headers, settings, oauth=self.oauth
        )
        return self.hook_type.channel_config(config)  # the type's own call rules (a token hook: no retry)

    def fire(
        self,
        request: dict[str, Any] | None = None,
        *,
        email: str | None = None,
        domain: str | None = None,
        request_type: str | None = None,
        sets: tuple[str, ...] | list[str] = (),
        seed: int | None = None,
    ) -> HookRun[Any]:
        """Send `request`, or a generated one of `request_type`, and return what Okta would do."""
        if request is None:
            options = RequestOptions(seed=seed, email=email, domain=domain, engine=self.engine, sets=tuple(sets))
            request = self.hook_type.build_request(request_type, options)
        run = run_hook_sync(self.channel_config, self.hook_type, request, transport=self.transport)
        self.runs.append(run)
        return run
