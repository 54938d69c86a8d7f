"""Contract verification of any hook, in any language: named conformance checks of Okta's rules, then the team's
cases. The same results feed `mock-okta verify` (table, JUnit XML, JSON) and the pytest items of `--okta-hook-url`.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from .cases import LATENCY_SHARE, Case, judge, new_uid
from .channel import AuthScheme, ChannelConfig, Failure, HookChannel
from .contract import RegistrationHookResponse
from .oauth import TOKENS, TokenError
from .payloads import build_request
from .run import HookRun, run_hook
from .verdict import VerdictRules

PARALLEL_CALLS = 32
# Long names, as some people have them; the check is that the hook copes, not a limit of Okta's.
MAX_NAME = 50


@dataclass
class Result:
    """One named check or case: passed or not, why, and the runs that show it."""

    kind: str  # "check" or "case"
    name: str
    problems: list[str] = field(default_factory=list)
    runs: list[HookRun] = field(default_factory=list)
    seconds: float = 0.0
    skipped: str | None = None

    @property
    def passed(self) -> bool:
        return not self.problems and self.skipped is None


class Verifier:
    """Runs the checks and cases against one hook; every call goes through the same channel code as Okta's."""

    def __init__(
        self,
        config: ChannelConfig,
        *,
        rules: VerdictRules = VerdictRules(),
        run_tag: str = "verify",
        engine: str = "ie",
    ) -> None:
        self.config = config
        self.rules = rules
        self.run_tag = run_tag
        self.engine = engine
        self.all_runs: list[HookRun] = []

    def request(self, seed: int, request_type: str = "registration") -> dict[str, Any]:
        """A request of this org's engine, for an example.com user (which the cases' hooks let in)."""
        return build_request(request_type, seed=seed, domain="example.com", engine=self.engine)

    async def call(self, request: dict[str, object], config: ChannelConfig | None = None) -> HookRun:
        async with HookChannel(config or self.config) as channel:
            run = await run_hook(channel, request, rules=self.rules)
        self.all_runs.append(run)
        return run

    # -- the named conformance checks: (name, method), run before the cases; FINAL_CHECKS look at every answer ---
    CHECKS = (
        ("answers within the deadline with margin", "check_latency"),
        ("a missing auth header is refused", "check_missing_auth"),
        ("a wrong auth header is refused", "check_wrong_auth"),
        ("progressive-profile requests do not break it", "check_progressive"),
        ("unknown extra request fields are tolerated", "check_extra_fields"),
        ("unicode and maximum-length names are handled", "check_long_unicode_names"),
        ("the same event sent twice gets the same decision", "check_retry_consistency"),
        (f"{PARALLEL_CALLS} parallel calls all answer within the deadline", "check_parallel"),
    )
    FINAL_CHECKS = (
        ("every answer matches the response schema", "check_schema"),
        ("no answer is a redirect", "check_no_redirects"),
    )

    @property
    def budget_ms(self) -> float:
        return self.config.timeout * 1000 * LATENCY_SHARE

    async def check_latency(self, result: Result) -> None:
        for seed in range(3):
            run = await self.call(self.request(seed))
            result.runs.append(run)
            if run.verdict.failure:
                result.problems.append(f"the call failed ({run.verdict.failure})")
            elif run.exchange.total_ms > self.budget_ms:
                result.problems.append(
                    f"answered in {run.exchange.total_ms:.0f} ms; keep under {self.budget_ms:.0f} ms "
                    f"({LATENCY_SHARE:.0%} of Okta's {self.config.timeout:g} s deadline)"
                )

    async def _refused(self, result: Result, scheme: AuthScheme | None, what: str) -> None:
        if self.config.auth_scheme is None and self.config.oauth is None:
            result.skipped = "no --auth-header or --oauth-* given"
            return
        run = await self.call(self.request(7), replace(self.config, auth_scheme=scheme, oauth=None))
        result.runs.append(run)
        status = run.exchange.status
        if status is None:
            result.problems.append(f"the call with {what} got no answer ({run.verdict.failure})")
        elif 200 <= status < 300:
            result.problems.append(f"the hook answered {status} to a request with {what}: anyone could call it")

    async def check_missing_auth(self, result: Result) -> None:
        await self._refused(result, None, "no auth header")

    async def check_wrong_auth(self, result: Result) -> None:
        scheme = self.config.auth_scheme
        wrong = AuthScheme(scheme.key, scheme.value[::-1] + "x") if scheme else None
        if self.config.oauth is not None:
            # A token from the right server with its signature broken: a hook must check the signature.
            wrong = AuthScheme("Authorization", f"Bearer {await self._forged_token()}")
        await self._refused(result, wrong, "a wrong secret" if scheme else "a forged access token")

    async def _forged_token(self) -> str:
        assert self.config.oauth is not None
        try:
            async with HookChannel(self.config) as channel:
                token = await TOKENS.token(self.config.oauth, channel.transport, self.config.timeout)
        except (TokenError, TimeoutError):
            return "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJmb3JnZWQifQ.Zm9yZ2Vk"
        head, _, signature = token.rpartition(".")
        return f"{head}.{signature[::-1]}"

    async def _no_failure(self, result: Result, request: dict[str, object]) -> HookRun:
        run = await self.call(request)
        result.runs.append(run)
        if run.verdict.failure:
            detail = run.exchange.attempts[-1].detail or run.verdict.failure
            result.problems.append(f"Okta would show its generic error: {run.verdict.failure} ({detail})")
        return run

    async def check_progressive(self, result: Result) -> None:
        if self.engine == "classic":
            result.skipped = "a Classic Engine org sends no progressive-profile requests"
            return
        await self._no_failure(result, self.request(3, "profile-update"))

    async def check_extra_fields(self, result: Result) -> None:
        # Okta adds request fields over time; a hook must ignore what it does not know.
        request = self.request(4)
        request["newTopLevelField"] = {"added": "by Okta later"}
        request["data"]["context"]["newContextField"] = "x"
        request["data"]["context"]["request"]["newRequestField"] = 1
        await self._no_failure(result, request)

    async def check_long_unicode_names(self, result: Result) -> None:
        request = self.request(5)
        profile = request["data"]["userProfile"]
        profile["firstName"] = ("Zoë Ñandú 山田 " * 5)[:MAX_NAME]
        profile["lastName"] = ("Ødegård-Łukasiewicz 🙂 " * 3)[:MAX_NAME]
        await self._no_failure(result, request)

    async def check_retry_consistency(self, result: Result) -> None:
        # Okta's retry resends the same event (same eventId): the hook must decide the same way.
        request = self.request(6)
        first = await self._no_failure(result, copy.deepcopy(request))
        second = await self._no_failure(result, copy.deepcopy(request))
        seen = [(r.registration, [(m.field, m.text) for m in r.verdict.messages]) for r in (first, second)]
        if not result.problems and seen[0] != seen[1]:
            result.problems.append(f"first answer {seen[0]}, the same event again {seen[1]}")

    async def check_parallel(self, result: Result) -> None:
        requests = [self.request(100 + i) for i in range(PARALLEL_CALLS)]
        async with HookChannel(self.config) as channel:
            runs = await asyncio.gather(*(run_hook(channel, r, rules=self.rules) for r in requests))
        self.all_runs.extend(runs)
        failed = [r for r in runs if r.verdict.failure]
        if failed:
            reasons = sorted({str(r.verdict.failure) for r in failed})
            result.problems.append(f"{len(failed)} of {PARALLEL_CALLS} calls failed ({', '.join(reasons)})")
            result.runs.append(failed[0])
        slowest = max(runs, key=lambda r: r.exchange.total_ms)
        if slowest.exchange.total_ms > self.config.timeout * 1000:
            result.problems.append(f"the slowest answer took {slowest.exchange.total_ms:.0f} ms")

    async def check_schema(self, result: Result) -> None:
        for run in self.all_runs:
            if run.exchange.status != 200 or run.verdict.failure in (Failure.TIMEOUT, Failure.CONNECTION):
                continue
            try:
                RegistrationHookResponse.model_validate_json(run.exchange.body)
            except ValidationError as exc:
                first = exc.errors(include_url=False)[0]
                where = ".".join(str(p) for p in first["loc"]) or "$"
                result.problems.append(f"{where}: {first['msg']}")
                result.runs.append(run)
                return
        if not self.all_runs:
            result.skipped = "no answers to check"

    async def check_no_redirects(self, result: Result) -> None:
        for run in self.all_runs:
            if any(a.error == Failure.REDIRECT for a in run.exchange.attempts):
                result.problems.append(f"the hook answered {run.exchange.status}: Okta does not follow redirects")
                result.runs.append(run)
                return

    # -- the team's cases --------------------------------------------------------------------------------------------
    async def case(self, index: int, case: Case, result: Result) -> None:
        if self.engine == "classic" and case.request_type != "registration":
            result.skipped = "a Classic Engine org sends no progressive-profile requests"
            return
        run = await self.call(case.request(new_uid(self.run_tag, index), seed=index, engine=self.engine))
        result.runs.append(run)
        result.problems.extend(judge(case, run, timeout=self.config.timeout))


async def verify(
    config: ChannelConfig, cases: list[Case], *, run_tag: str = "verify", engine: str = "ie"
) -> list[Result]:
    """The named checks, then the cases, then the checks over every answer; results in that order. `engine`:
    the requests an Identity Engine (`ie`) or a Classic Engine (`classic`) org sends."""
    verifier = Verifier(config, run_tag=run_tag, engine=engine)
    results = []
    for name, method in Verifier.CHECKS:
        results.append(await _timed(Result("check", name), getattr(verifier, method)))
    for index, case in enumerate(cases):
        results.append(await _timed(Result("case", case.name), _case_step(verifier, index, case)))
    for name, method in Verifier.FINAL_CHECKS:
        results.append(await _timed(Result("check", name), getattr(verifier, method)))
    return results


def result_names(cases: list[Case]) -> list[tuple[str, str]]:
    """(kind, name) of every result `verify` returns for these cases, in order."""
    return [
        *(("check", name) for name, _ in Verifier.CHECKS),
        *(("case", case.name) for case in cases),
        *(("check", name) for name, _ in Verifier.FINAL_CHECKS),
    ]


def _case_step(verifier: Verifier, index: int, case: Case) -> Callable[[Result], Awaitable[None]]:
    async def step(result: Result) -> None:
        await verifier.case(index, case, result)

    return step


async def _timed(result: Result, step: Callable[[Result], Awaitable[None]]) -> Result:
    started = time.perf_counter()
    await step(result)
    result.seconds = time.perf_counter() - started
    return result
