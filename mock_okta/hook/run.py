"""Call a hook and decide: the one code path every front door uses (the CLI, the pytest plugin, the org's flows,
`execute` and Preview), for every hook type."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx

from .channel import Attempt, ChannelConfig, Exchange, Failure, HookChannel
from .outcome import HookRun, V, VerdictRules
from .registry import HookType

T = TypeVar("T")


async def run_hook(
    channel: HookChannel, hook_type: HookType[V], request: dict[str, Any], *, rules: VerdictRules = VerdictRules()
) -> HookRun[V]:
    exchange = await channel.send(request)
    return HookRun(exchange, hook_type.decide(request, exchange, rules))


def run_hook_sync(
    config: ChannelConfig,
    hook_type: HookType[V],
    request: dict[str, Any],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    rules: VerdictRules = VerdictRules(),
) -> HookRun[V]:
    """Blocking form for scripts and tests; one fresh connection pool per call."""

    async def once() -> HookRun[V]:
        async with HookChannel(config, transport=transport) as channel:
            return await run_hook(channel, hook_type, request, rules=rules)

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


def unreachable(
    uri: str, hook_type: HookType[V], request: dict[str, Any], detail: str, *, rules: VerdictRules = VerdictRules()
) -> HookRun[V]:
    """The run for a hook that cannot be called at all (e.g. a URI the current HTTPS policy refuses)."""
    exchange = Exchange(uri, request, {}, [Attempt(1, None, 0.0, 0, Failure.CONNECTION, detail)])
    return HookRun(exchange, hook_type.decide(request, exchange, rules))
