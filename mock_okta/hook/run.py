"""Call a registration inline hook and decide: the one code path every front door uses (the CLI, the pytest
plugin, the org's sign-up flow, `execute` and Preview)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from .channel import Attempt, ChannelConfig, Exchange, Failure, HookChannel
from .jsonsafe import loads_strict
from .verdict import Registration, Verdict, VerdictRules, decide

T = TypeVar("T")


@dataclass
class HookRun:
    """One registration as Okta processed it: the exchange on the wire and the verdict."""

    exchange: Exchange
    verdict: Verdict

    @property
    def request(self) -> dict[str, Any]:
        return self.exchange.request

    @property
    def registration(self) -> Registration:
        return self.verdict.registration

    def response_body(self) -> Any:
        """The hook's body as JSON when it parses, else as text (None when there was none)."""
        raw = self.exchange.body
        if not raw:
            return None
        try:
            return loads_strict(raw)
        except ValueError:  # not JSON, or JSON nothing could send on (NaN, a lone surrogate...): the text
            return raw.decode("utf-8", "replace")

    def to_json(self) -> dict[str, Any]:
        verdict, exchange = self.verdict, self.exchange
        return {
            "registration": verdict.registration,
            "messages": [message.to_json() for message in verdict.messages],
            "profile": verdict.profile,
            "profileUpdates": verdict.profile_updates,
            "failure": verdict.failure,
            "violations": [violation.to_json() for violation in verdict.violations],
            "debugContext": verdict.debug_context,
            "attempts": [attempt.to_json() for attempt in exchange.attempts],
            "request": {"uri": exchange.uri, "headers": exchange.request_headers, "body": exchange.request},
            "response": {
                "status": exchange.status,
                "headers": exchange.response_headers,
                "body": self.response_body(),
            },
        }


async def run_hook(channel: HookChannel, request: dict[str, Any], *, rules: VerdictRules = VerdictRules()) -> HookRun:
    exchange = await channel.send(request)
    return HookRun(exchange, decide(request, exchange, rules=rules))


def run_hook_sync(
    config: ChannelConfig,
    request: dict[str, Any],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    rules: VerdictRules = VerdictRules(),
) -> HookRun:
    """Blocking form for scripts and tests; one fresh connection pool per call."""

    async def once() -> HookRun:
        async with HookChannel(config, transport=transport) as channel:
            return await run_hook(channel, request, rules=rules)

    return run_sync(once())


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run`, also from a thread whose event loop is already running (Playwright's sync API keeps one
    running in the test's thread): then the coroutine runs on a helper thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mock-okta-sync") as pool:
        return pool.submit(asyncio.run, coroutine).result()


def unreachable(uri: str, request: dict[str, Any], detail: str, *, rules: VerdictRules = VerdictRules()) -> HookRun:
    """The run for a hook that cannot be called at all (e.g. a URI the current HTTPS policy refuses)."""
    exchange = Exchange(uri, request, {}, [Attempt(1, None, 0.0, 0, Failure.CONNECTION, detail)])
    return HookRun(exchange, decide(request, exchange, rules=rules))
