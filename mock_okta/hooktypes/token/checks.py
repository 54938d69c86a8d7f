"""`verify`'s checks for a token hook, placed among the shared ones: the other grant types Okta mints with, the
reserved claims, and a patch of the same shape for the same request."""

from __future__ import annotations

import copy
from typing import Any

from ...hook.outcome import HookRun
from ...hook.registry import Check
from ...hook.verify import EXTRA_FIELDS, LATENCY, MISSING_AUTH, PARALLEL, WRONG_AUTH, Result, Verifier
from .contract import CLIENT_CREDENTIALS, REFRESH_TOKEN
from .verdict import Verdict, reserved_claim_paths


async def check_client_credentials(verifier: Verifier, result: Result) -> None:
    # A service's token: no user, no session and no ID token in the request (a hook that reads them must cope).
    await verifier.no_failure(result, verifier.request(11, CLIENT_CREDENTIALS))


async def check_refresh_token(verifier: Verifier, result: Result) -> None:
    await verifier.no_failure(result, verifier.request(12, REFRESH_TOKEN))


async def check_reserved_claims(verifier: Verifier, result: Result) -> None:
    """No answer of the run so far (and two more, one per token) touches a claim Okta reserves: Okta would drop
    the whole patch (token hook reference, "Reserved claims for Token Hooks")."""
    runs = [*verifier.all_runs]
    for seed, kind in ((13, None), (14, CLIENT_CREDENTIALS)):
        run = await verifier.call(verifier.request(seed, kind))
        result.runs.append(run)
        runs.append(run)
    for run in runs:
        paths = reserved_claim_paths(run.response_body())
        if paths:
            result.problems.append(f"the hook patches reserved claims ({', '.join(paths)}): Okta drops the patch")
            result.runs.insert(0, run)
            return


async def check_same_patch(verifier: Verifier, result: Result) -> None:
    # Okta does not retry a token hook (concept page, "Time out and retry"), and a patch may carry "data ... calculated
    # at runtime" (TOKREF, "Token inline hook"): a fresh id or a timestamp differs between two calls. What must not
    # differ is the patch's shape: the same request gets the same outcome, the same operations on the same paths.
    request = verifier.request(6)
    first = await verifier.no_failure(result, copy.deepcopy(request))
    second = await verifier.no_failure(result, copy.deepcopy(request))
    seen = [_shape_of(run) for run in (first, second)]
    if not result.problems and seen[0] != seen[1]:
        result.problems.append(f"first answer {seen[0]}, the same request again {seen[1]}")


def _shape_of(run: HookRun[Any]) -> Any:
    """The outcome and, per token, the operations and their paths (not their values)."""
    verdict = run.verdict
    if not isinstance(verdict, Verdict):
        return run.outcome
    operations = {token: [f"{op.op} {op.path}" for op in ops] for token, ops in verdict.operations.items()}
    return (verdict.outcome, operations)


CHECKS: tuple[tuple[str, Check], ...] = (
    LATENCY,
    MISSING_AUTH,
    WRONG_AUTH,
    ("client credentials requests (no user, no ID token) do not break it", check_client_credentials),
    ("refresh token requests do not break it", check_refresh_token),
    EXTRA_FIELDS,
    ("the same request sent twice gets a patch of the same shape", check_same_patch),
    PARALLEL,
    ("no answer patches a reserved claim", check_reserved_claims),
)
