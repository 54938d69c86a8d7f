"""`verify`'s checks that only a registration hook needs, placed among the shared ones."""

from __future__ import annotations

from ...hook.registry import Check
from ...hook.settings import Engine
from ...hook.verify import (
    EXTRA_FIELDS,
    LATENCY,
    MISSING_AUTH,
    PARALLEL,
    RETRY_CONSISTENCY,
    WRONG_AUTH,
    Result,
    Verifier,
)
from .payloads import RequestType

# Long names, as some people have them; the check is that the hook copes, not a limit of Okta's.
MAX_NAME = 50


async def check_progressive(verifier: Verifier, result: Result) -> None:
    if verifier.engine == Engine.CLASSIC:
        result.skipped = "a Classic Engine org sends no progressive-profile requests"
        return
    await verifier.no_failure(result, verifier.request(3, RequestType.PROFILE_UPDATE))


async def check_long_unicode_names(verifier: Verifier, result: Result) -> None:
    request = verifier.request(5)
    profile = request["data"]["userProfile"]
    profile["firstName"] = ("Zoë Ñandú 山田 " * 5)[:MAX_NAME]
    profile["lastName"] = ("Ødegård-Łukasiewicz 🙂 " * 3)[:MAX_NAME]
    await verifier.no_failure(result, request)


CHECKS: tuple[tuple[str, Check], ...] = (
    LATENCY,
    MISSING_AUTH,
    WRONG_AUTH,
    ("progressive-profile requests do not break it", check_progressive),
    EXTRA_FIELDS,
    ("unicode and maximum-length names are handled", check_long_unicode_names),
    RETRY_CONSISTENCY,
    PARALLEL,
)
