"""A hook call in words, as a reader needs it to see why an expectation failed: what was sent, every attempt, the
answer, and what Okta does with it. Assertions, `verify`'s table and JUnit XML, and the pytest items print it."""

from __future__ import annotations

import json
from typing import Any

from .outcome import HookRun


def describe(run: HookRun[Any]) -> str:
    """The exchange as a reader needs it to see why an assertion failed."""
    verdict, exchange = run.verdict, run.exchange
    lines = [f"POST {exchange.uri}", "request: " + json.dumps(exchange.request.get("data", exchange.request))]
    for attempt in exchange.attempts:
        lines.append(
            f"attempt {attempt.number}: status={attempt.status} {attempt.ms:.1f} ms {attempt.bytes} bytes"
            + (f" {attempt.error}: {attempt.detail}" if attempt.error else "")
        )
    body = run.response_body()
    lines.append("response body: " + (json.dumps(body) if isinstance(body, dict | list) else repr(body)))
    lines.append(f"Okta's outcome: {verdict.outcome}" + (f" (failure: {verdict.failure})" if verdict.failure else ""))
    lines += [
        f"  end user sees: {m.text!r} " + (f"under {m.field}" if m.field else "above the form")
        for m in verdict.messages
    ]
    lines += [f"  violation {v.path}: {v.message}" for v in verdict.violations]
    return "\n".join(lines)
