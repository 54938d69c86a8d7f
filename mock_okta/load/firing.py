"""`mock-okta fire --count`: many requests at a hook the way Okta sends them, `concurrency` at a time on one event
loop or shared by forked worker processes, summed up as what Okta would have done and how fast the hook answered.
The CLI renders the summary and the progress; nothing here prints."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from statistics import quantiles
from typing import Any, TypeVar

from ..hook.cases import judge
from ..hook.channel import ChannelConfig, HookChannel
from ..hook.outcome import VerdictRules
from ..hook.registry import Case, HookType
from ..hook.run import run_hook, run_sync

T = TypeVar("T")


@dataclass
class LoadSummary:
    count: int
    seconds: float
    outcomes: dict[str, int]
    failures: dict[str, int]
    latencies_ms: list[float]
    mismatches: int = 0

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentiles(self) -> dict[str, float]:
        data = sorted(self.latencies_ms)
        if len(data) < 2:
            value = data[0] if data else 0.0
            return {"p50": value, "p95": value, "p99": value}
        cuts = quantiles(data, n=100, method="inclusive")
        return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}

    def to_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "seconds": round(self.seconds, 3),
            "registrationsPerSecond": round(self.per_second, 1),
            "outcomes": self.outcomes,
            "failures": self.failures,
            "latencyMs": {key: round(value, 2) for key, value in self.percentiles().items()},
            "expectMismatches": self.mismatches,
        }


def event_loop_run(coroutine: Coroutine[Any, Any, T]) -> T:
    """uvloop when available (it comes with uvicorn[standard]): about 10% more registrations per second here."""
    try:
        import uvloop
    except ImportError:
        return run_sync(coroutine)
    return uvloop.run(coroutine)


async def fire_many(
    config: ChannelConfig,
    hook_type: HookType[Any],
    requests: list[dict[str, Any]],
    concurrency: int,
    case: Case | None,
    *,
    rules: VerdictRules = VerdictRules(),
    done: Callable[[], None] = lambda: None,
) -> LoadSummary:
    """Every request, `concurrency` at a time; `done` is called after each (the CLI's progress bar)."""
    outcomes: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    latencies: list[float] = []
    mismatches = 0
    queue = iter(requests)

    async def worker() -> None:
        # One channel (one keep-alive connection) per worker: httpcore's shared pool costs O(connections) per
        # request, which made a 32-wide run CPU-bound in the pool itself.
        async with HookChannel(config) as channel:
            for request in queue:
                await one(channel, request)

    async def one(channel: HookChannel, request: dict[str, Any]) -> None:
        nonlocal mismatches
        run = await run_hook(channel, hook_type, request, rules=rules)
        outcomes[run.outcome] += 1
        if run.verdict.failure:
            failures[run.verdict.failure] += 1
        latencies.append(run.exchange.total_ms)
        if case is not None and judge(case, run, timeout=config.timeout):
            mismatches += 1
        done()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(min(concurrency, len(requests)))))
    seconds = time.perf_counter() - started
    return LoadSummary(len(requests), seconds, dict(outcomes), dict(failures), latencies, mismatches)


# What the forked `fire --workers` processes read: set before the fork, so nothing large is pickled.
_SHARED: dict[str, Any] = {}


def _fire_share(index: int) -> LoadSummary:
    config, hook_type, requests, concurrency, case, workers, rules = (
        _SHARED[key] for key in ("config", "hook_type", "requests", "concurrency", "case", "workers", "rules")
    )
    share = requests[index::workers]
    width = max(1, concurrency // workers + (1 if index < concurrency % workers else 0))
    return event_loop_run(fire_many(config, hook_type, share, width, case, rules=rules))


def fire_in_processes(
    config: ChannelConfig,
    hook_type: HookType[Any],
    requests: list[dict[str, Any]],
    concurrency: int,
    case: Case | None,
    workers: int,
    rules: VerdictRules = VerdictRules(),
) -> LoadSummary:
    """The requests split over `workers` forked processes; rates over the wall time of them all."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = min(workers, len(requests))
    _SHARED.update(
        config=config,
        hook_type=hook_type,
        requests=requests,
        concurrency=concurrency,
        case=case,
        workers=workers,
        rules=rules,
    )
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = list(pool.map(_fire_share, range(workers)))
    seconds = time.perf_counter() - started
    outcomes: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    for part in parts:
        outcomes.update(part.outcomes)
        failures.update(part.failures)
    latencies = [ms for part in parts for ms in part.latencies_ms]
    mismatches = sum(part.mismatches for part in parts)
    return LoadSummary(len(requests), seconds, dict(outcomes), dict(failures), latencies, mismatches)
