"""`MockOkta`: a blocking, test-friendly handle on the engine, bound to one hook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from .channel import ChannelConfig
from .engine import HookRun, run_hook_sync
from .payloads import build_request


@dataclass
class MockOkta:
    """Fires registrations at `hook_url` like Okta and keeps every run in `runs`, newest last.

    `transport` (e.g. `httpx.ASGITransport(app)`) calls an ASGI hook in-process through the same code path.
    """

    hook_url: str
    auth_header: str | None = None
    headers: tuple[str, ...] = ()
    timeout: float = 3.0
    retries: int = 1
    strict_https: bool = False
    transport: httpx.AsyncBaseTransport | None = None
    runs: list[HookRun] = field(default_factory=list)

    @property
    def channel_config(self) -> ChannelConfig:
        return ChannelConfig.from_header_lines(
            self.hook_url,
            self.auth_header,
            self.headers,
            timeout=self.timeout,
            max_retries=self.retries,
            strict_https=self.strict_https,
        )

    def fire(
        self,
        request: dict[str, Any] | None = None,
        *,
        email: str | None = None,
        domain: str | None = None,
        request_type: str = "registration",
        sets: tuple[str, ...] | list[str] = (),
        seed: int | None = None,
    ) -> HookRun:
        """Send `request`, or a generated one of `request_type`, and return what Okta would do."""
        if request is None:
            request = build_request(request_type, email=email, domain=domain, sets=sets, seed=seed)
        run = run_hook_sync(self.channel_config, request, transport=self.transport)
        self.runs.append(run)
        return run
