"""Readable terminal rendering of hook runs and load summaries (rich)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from ..hook.describe import describe
from ..hook.outcome import HookRun
from ..hook.verify import Result

if TYPE_CHECKING:
    from ..load.firing import LoadSummary


def _json(value: Any) -> Syntax:
    return Syntax(json.dumps(value, indent=2, ensure_ascii=False), "json", word_wrap=True, theme="ansi_dark")


def render_run(console: Console, run: HookRun[Any], *, title: str = "", show_request: bool = True) -> None:
    exchange, verdict = run.exchange, run.verdict
    if show_request:
        console.print(Panel(_json(exchange.request), title=f"Request → POST {exchange.uri}", title_align="left"))

    attempts = Table("#", "status", "ms", "bytes", "result", box=None, pad_edge=False)
    for attempt in exchange.attempts:
        result = Text(attempt.detail or attempt.error or "ok", style="red" if attempt.error else "green")
        attempts.add_row(
            str(attempt.number), str(attempt.status or "-"), f"{attempt.ms:.1f}", str(attempt.bytes), result
        )
    body = run.response_body()
    response: Any = (
        _json(body) if isinstance(body, dict | list) else Text(str(body) if body is not None else "(no body)")
    )
    console.print(Panel(Group(attempts, Text(""), response), title="Response", title_align="left"))

    colour = "red" if verdict.failure or verdict.outcome in BAD_OUTCOMES else "green"
    outcome = Table.grid(padding=(0, 2))
    outcome.add_row(_outcome_label(run), Text(verdict.outcome, style=f"bold {colour}"))
    if verdict.failure:
        outcome.add_row("failure", Text(verdict.failure, style="red"))
    for message in verdict.messages:
        where = f"under {message.field}" if message.field else "above the form"
        outcome.add_row("end user sees", Text(f"{message.text}  ({where})"))
    # The type's own results (the registration's profile; the token hook's issued tokens, patch, OAuth error...),
    # as its verdict reports them to the journal and --json.
    for key, value in verdict.to_json().items():
        if key not in SHOWN and value not in (None, {}, []):
            outcome.add_row(key, _json(value) if isinstance(value, dict | list) else Text(str(value)))
    for violation in verdict.violations:
        style = "bold red" if violation.fatal else "yellow"
        outcome.add_row(Text("violation", style=style), Text(f"{violation.path}: {violation.message}"))
    console.print(Panel(outcome, title=title or "What Okta does", title_align="left", border_style=colour))


# Outcomes in which Okta refuses what the flow asked for (a registration denied; no token issued).
BAD_OUTCOMES = frozenset({"DENY", "ERROR"})
# Members of a verdict's JSON that the panel shows in its own rows, or that repeat the outcome.
SHOWN = frozenset({"failure", "violations", "messages", "debugContext", "registration", "tokens", "profileUpdates"})


def _outcome_label(run: HookRun[Any]) -> str:
    """The word before the outcome: the type's own (`registration`, `tokens`), found by the request's eventType."""
    from ..hooktypes import REGISTRY

    hook_type = REGISTRY.find(run.request.get("eventType"))
    return hook_type.outcome_label.lower() if hook_type is not None else "outcome"


def render_summary(console: Console, summary: LoadSummary) -> None:
    table = Table.grid(padding=(0, 2))
    table.add_row("registrations", f"{summary.count} in {summary.seconds:.2f} s ({summary.per_second:.0f}/s)")
    table.add_row("outcomes", ", ".join(f"{key} {value}" for key, value in sorted(summary.outcomes.items())))
    if summary.failures:
        table.add_row("failures", ", ".join(f"{key} {value}" for key, value in sorted(summary.failures.items())))
    pct = summary.percentiles()
    table.add_row("latency", "  ".join(f"{key} {value:.1f} ms" for key, value in pct.items()))
    if summary.mismatches:
        table.add_row(Text("--expect", style="red"), Text(f"{summary.mismatches} did not match", style="red"))
    console.print(Panel(table, title="Summary", title_align="left"))


def render_results(console: Console, hook_url: str, results: list[Result]) -> None:
    """`verify`'s table: one row per check and case, then the exchange behind each failure."""
    table = Table("", "check or case", "result", "ms", "why", title=f"Verifying {hook_url}", title_justify="left")
    for result in results:
        if result.skipped:
            verdict = Text("SKIP", style="yellow")
        else:
            verdict = Text("PASS", style="green") if result.passed else Text("FAIL", style="bold red")
        why = result.skipped or "; ".join(result.problems)
        table.add_row(result.kind, result.name, verdict, f"{result.seconds * 1000:.0f}", why)
    console.print(table)
    for result in results:
        if result.problems and result.runs:
            console.print(
                Panel(Text(describe(result.runs[0])), title=f"{result.kind}: {result.name}", title_align="left")
            )
    failed = sum(1 for r in results if r.problems)
    passed = sum(1 for r in results if r.passed)
    style = "bold red" if failed else "bold green"
    console.print(Text(f"{passed} passed, {failed} failed", style=style))
