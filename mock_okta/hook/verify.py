"""Contract verification of any hook, in any language, for any hook type: named conformance checks of Okta's rules,
then the team's cases. The same results feed `mock-okta verify` (table, JUnit XML, JSON) and the pytest items of
`--okta-hook-url`.

The checks here hold for every type (deadline, auth, tolerance of new request fields, the same answer to a retry,
parallel calls, the response schema, no redirects); a type adds its own through `HookType.checks`.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import copy
import string
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from .cases import LATENCY_SHARE, for_run, judge, new_uid
from .channel import AuthScheme, ChannelConfig, Failure, HookChannel
from .oauth import TOKENS, TokenError
from .outcome import HookRun, VerdictRules
from .registry import Case, Check, HookType
from .run import run_hook
from .settings import DEFAULT_TIMEOUT

PARALLEL_CALLS = 32


@dataclass
class Result:
    """One named check or case: passed or not, why, and the runs that show it."""

    kind: str  # "check" or "case"
    name: str
    problems: list[str] = field(default_factory=list)
    runs: list[HookRun[Any]] = field(default_factory=list)
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
        hook_type: HookType[Any],
        *,
        rules: VerdictRules = VerdictRules(),
        run_tag: str = "verify",
        engine: str = "ie",
    ) -> None:
        self.config = config
        self.hook_type = hook_type
        self.rules = rules
        self.run_tag = run_tag
        self.engine = engine
        self.all_runs: list[HookRun[Any]] = []

    def request(self, seed: int, kind: str | None = None) -> dict[str, Any]:
        """A request of this org's engine that a well-behaved hook answers without failing."""
        return self.hook_type.sample_request(seed, kind, engine=self.engine)

    async def call(self, request: dict[str, Any], config: ChannelConfig | None = None) -> HookRun[Any]:
        async with HookChannel(config or self.config) as channel:
            run = await run_hook(channel, self.hook_type, request, rules=self.rules)
        self.all_runs.append(run)
        return run

    @property
    def budget_ms(self) -> float:
        return self.config.timeout * 1000 * LATENCY_SHARE

    async def no_failure(self, result: Result, request: dict[str, Any]) -> HookRun[Any]:
        """Call, and note a problem when Okta would count the call as failed, or, for a type whose sample requests
        a well-behaved hook lets through (`HookType.samples_proceed`), when the answer stops Okta's flow."""
        run = await self.call(request)
        result.runs.append(run)
        if run.verdict.failure:
            detail = run.exchange.attempts[-1].detail or run.verdict.failure
            result.problems.append(f"Okta would show its generic error: {run.verdict.failure} ({detail})")
        elif self.hook_type.samples_proceed and not run.verdict.proceeds:
            result.problems.append(f"the hook answered {run.outcome}: Okta would stop the flow there")
        return run

    async def refused(self, result: Result, scheme: AuthScheme | None, what: str) -> None:
        """The hook must not answer 2xx to a call with this auth header instead of Okta's."""
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

    async def forged_token(self) -> str:
        """A token from the right server with its signature broken: a hook must check the signature."""
        assert self.config.oauth is not None
        try:
            async with HookChannel(self.config) as channel:
                token = await TOKENS.token(self.config.oauth, channel.transport, self.config.timeout)
        except (TokenError, TimeoutError):
            return "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJmb3JnZWQifQ.Zm9yZ2Vk"
        head, _, signature = token.rpartition(".")
        return f"{head}.{signature[::-1]}"

    async def case(self, index: int, case: Case, result: Result) -> None:
        result.skipped = case.skip_reason(self.engine)
        if result.skipped:
            return
        uid = new_uid(self.run_tag, index)
        case = for_run(case, uid)
        run = await self.call(case.request(uid, seed=index, engine=self.engine))
        result.runs.append(run)
        result.problems.extend(judge(case, run, timeout=self.config.timeout))


# -- the checks every hook type shares ------------------------------------------------------------------------------
# Calls that ended without an answer: the only failures that are a latency problem. An answer Okta cannot use (its
# schema, status, size, a redirect, a patch Okta drops) is the problem of the check that names it, and its time
# is judged here like any other answer's: reported twice, it read as two problems.
NO_ANSWER = frozenset({Failure.TIMEOUT, Failure.CONNECTION, Failure.TOKEN})


async def check_latency(verifier: Verifier, result: Result) -> None:
    for seed in range(3):
        run = await verifier.call(verifier.request(seed))
        result.runs.append(run)
        if run.verdict.failure in NO_ANSWER:
            result.problems.append(f"the call failed ({run.verdict.failure})")
        elif run.exchange.total_ms > verifier.budget_ms:
            result.problems.append(
                f"answered in {run.exchange.total_ms:.0f} ms; keep under {verifier.budget_ms:.0f} ms "
                f"({LATENCY_SHARE:.0%} of {deadline_words(verifier.config.timeout)})"
            )


def deadline_words(timeout: float) -> str:
    """The deadline a budget is a share of, named truly: Okta's is 3 s; another one is the run's own (`--timeout`),
    which a real org does not give."""
    if timeout == DEFAULT_TIMEOUT:
        return f"Okta's {DEFAULT_TIMEOUT:g} s deadline"
    return f"this run's {timeout:g} s deadline; Okta's is {DEFAULT_TIMEOUT:g} s"


async def check_missing_auth(verifier: Verifier, result: Result) -> None:
    await verifier.refused(result, None, "no auth header")


async def check_wrong_auth(verifier: Verifier, result: Result) -> None:
    """Wrong credentials of the right shape, each where a lenient check would not look: a hook that only checks
    the scheme, a prefix, the length or the user name lets one of them in, and the problem names which."""
    scheme = verifier.config.auth_scheme
    if verifier.config.oauth is not None:
        forged = await verifier.forged_token()
        variants = [("a forged access token", f"Bearer {forged}"), ("the Bearer scheme with no token", "Bearer")]
        key = "Authorization"
    elif scheme is not None:
        variants, key = wrong_credentials(scheme.value), scheme.key
    else:
        variants, key = [], ""
    if not variants:
        await verifier.refused(result, None, "no auth header")  # skipped: nothing to vary
        return
    for what, value in variants:
        await verifier.refused(result, AuthScheme(key, value), what)


def wrong_credentials(value: str) -> list[tuple[str, str]]:
    """(what, header value) pairs shaped like `value` but wrong."""
    word, _, credential = value.partition(" ")
    credential = credential.strip()
    if word.lower() == "basic" and credential:
        try:
            user, colon, password = base64.b64decode(credential, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            colon = ""
        if colon and user and password:
            basic = "Basic " + "{}"
            return [
                ("the right user with a wrong password", basic.format(_b64(f"{user}:{_altered(password)}"))),
                ("a wrong user with the right password", basic.format(_b64(f"{_altered(user)}:{password}"))),
                ("the Basic scheme with no credentials", "Basic"),
            ]
    if credential:
        return [
            (f"the {word} scheme with a wrong token of the same length", f"{word} {_altered(credential)}"),
            (f"the {word} scheme with the token and more after it", f"{word} {credential}x"),
            (f"the {word} scheme with no token", word),
        ]
    variants = [("a wrong value of the same length", _altered(value)), ("the value and more after it", value + "x")]
    if len(value) > 1:
        variants.append(("the first half of the value", value[: len(value) // 2]))
    return variants


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _altered(text: str) -> str:
    """`text` with its middle character replaced by another of the same kind (the length stays)."""
    middle = len(text) // 2
    old = text[middle]
    for pool in (string.ascii_lowercase, string.ascii_uppercase, string.digits):
        if old in pool:
            new = pool[(pool.index(old) + 1) % len(pool)]
            break
    else:
        new = "a"
    return text[:middle] + new + text[middle + 1 :]


async def check_extra_fields(verifier: Verifier, result: Result) -> None:
    # Okta adds request fields over time; a hook must ignore what it does not know.
    request = verifier.request(4)
    request["newTopLevelField"] = {"added": "by Okta later"}
    context = request.get("data", {}).get("context")
    if isinstance(context, dict):
        context["newContextField"] = "x"
        if isinstance(context.get("request"), dict):
            context["request"]["newRequestField"] = 1
    await verifier.no_failure(result, request)


async def check_retry_consistency(verifier: Verifier, result: Result) -> None:
    # Okta's retry resends the same event (same eventId): the hook must decide the same way.
    request = verifier.request(6)
    first = await verifier.no_failure(result, copy.deepcopy(request))
    second = await verifier.no_failure(result, copy.deepcopy(request))
    seen = [(r.outcome, [(m.field, m.text) for m in r.verdict.messages]) for r in (first, second)]
    if not result.problems and seen[0] != seen[1]:
        result.problems.append(f"first answer {seen[0]}, the same event again {seen[1]}")


async def check_parallel(verifier: Verifier, result: Result) -> None:
    requests = [verifier.request(100 + i) for i in range(PARALLEL_CALLS)]
    async with HookChannel(verifier.config) as channel:
        runs = await asyncio.gather(*(run_hook(channel, verifier.hook_type, r, rules=verifier.rules) for r in requests))
    verifier.all_runs.extend(runs)
    failed = [r for r in runs if r.verdict.failure]
    if failed:
        reasons = sorted({str(r.verdict.failure) for r in failed})
        result.problems.append(f"{len(failed)} of {PARALLEL_CALLS} calls failed ({', '.join(reasons)})")
        result.runs.append(failed[0])
    slowest = max(runs, key=lambda r: r.exchange.total_ms)
    if slowest.exchange.total_ms > verifier.config.timeout * 1000:
        result.problems.append(f"the slowest answer took {slowest.exchange.total_ms:.0f} ms")


async def check_schema(verifier: Verifier, result: Result) -> None:
    for run in verifier.all_runs:
        if run.exchange.status != 200 or run.verdict.failure in (Failure.TIMEOUT, Failure.CONNECTION):
            continue
        problems = verifier.hook_type.response_problems(run.exchange.body)
        if problems:
            result.problems.extend(problems)
            result.runs.append(run)
            return
    if not verifier.all_runs:
        result.skipped = "no answers to check"


async def check_no_redirects(verifier: Verifier, result: Result) -> None:
    for run in verifier.all_runs:
        if any(a.error == Failure.REDIRECT for a in run.exchange.attempts):
            result.problems.append(f"the hook answered {run.exchange.status}: Okta does not follow redirects")
            result.runs.append(run)
            return


LATENCY = ("answers within the deadline with margin", check_latency)
MISSING_AUTH = ("a missing auth header is refused", check_missing_auth)
WRONG_AUTH = ("a wrong auth header is refused", check_wrong_auth)
EXTRA_FIELDS = ("unknown extra request fields are tolerated", check_extra_fields)
RETRY_CONSISTENCY = ("the same event sent twice gets the same decision", check_retry_consistency)
PARALLEL = (f"{PARALLEL_CALLS} parallel calls all answer within the deadline", check_parallel)
SHARED_CHECKS: tuple[tuple[str, Check], ...] = (
    LATENCY,
    MISSING_AUTH,
    WRONG_AUTH,
    EXTRA_FIELDS,
    RETRY_CONSISTENCY,
    PARALLEL,
)
# Run after the cases: they look at every answer of the run.
FINAL_CHECKS: tuple[tuple[str, Check], ...] = (
    ("every answer matches the response schema", check_schema),
    ("no answer is a redirect", check_no_redirects),
)


async def verify(
    config: ChannelConfig,
    hook_type: HookType[Any],
    cases: list[Case],
    *,
    run_tag: str = "verify",
    engine: str = "ie",
    rules: VerdictRules = VerdictRules(),
) -> list[Result]:
    """The named checks, then the cases, then the checks over every answer; results in that order. `engine`:
    the requests an Identity Engine (`ie`) or a Classic Engine (`classic`) org sends, where the type has both."""
    verifier = Verifier(config, hook_type, run_tag=run_tag, engine=engine, rules=rules)
    results = []
    for name, check in checks_of(hook_type):
        results.append(await _timed(Result("check", name), _bound(check, verifier)))
    for index, case in enumerate(cases):
        results.append(await _timed(Result("case", case.name), _case_step(verifier, index, case)))
    for name, check in FINAL_CHECKS:
        results.append(await _timed(Result("check", name), _bound(check, verifier)))
    return results


def result_names(hook_type: HookType[Any], cases: list[Case]) -> list[tuple[str, str]]:
    """(kind, name) of every result `verify` returns for these cases, in order."""
    return [
        *(("check", name) for name, _ in checks_of(hook_type)),
        *(("case", case.name) for case in cases),
        *(("check", name) for name, _ in FINAL_CHECKS),
    ]


def checks_of(hook_type: HookType[Any]) -> tuple[tuple[str, Check], ...]:
    """The type's named checks, or the shared ones when it names none."""
    checks = hook_type.checks()
    return SHARED_CHECKS if checks is None else checks


def _bound(check: Check, verifier: Verifier) -> Callable[[Result], Awaitable[None]]:
    async def step(result: Result) -> None:
        await check(verifier, result)

    return step


def _case_step(verifier: Verifier, index: int, case: Case) -> Callable[[Result], Awaitable[None]]:
    async def step(result: Result) -> None:
        await verifier.case(index, case, result)

    return step


async def _timed(result: Result, step: Callable[[Result], Awaitable[None]]) -> Result:
    started = time.perf_counter()
    await step(result)
    result.seconds = time.perf_counter() - started
    return result
