"""A cases file: the one statement of what a team's hook must do, read by `verify`, `fire`, the pytest options and
the browser scenarios alike, for any hook type.

```yaml
type: registration          # the hook type's short name or Okta's type string (default: registration)
cases:
  - name: example.com is allowed
    profile: {email: "{uid}@example.com"}   # the type's own keys ({uid}: unique per run)
    expect: allow                          # one of the type's outcomes, or failure
    max_ms: 1500                           # latency budget (default: 80% of the deadline)
```

The shared keys (`name`, `expect`, `max_ms`) are read here; the hook type reads the rest. `judge` says, for one
`HookRun`, every way it differs from its case (an empty list when it matches). A hook that failed (timeout,
refused connection, invalid answer) never counts as any outcome: that takes `expect: failure`.
"""

from __future__ import annotations

import difflib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .jsonsafe import UnrepresentableJson, check
from .outcome import HookRun
from .registry import Case, CaseProblem, FillsUid, HookType, Registry
from .settings import DEFAULT_TIMEOUT

# Every address a run generates carries this tag, so `mock-okta org cleanup` finds the users runs created.
RUN_TAG_PREFIX = "mokta"
LATENCY_SHARE = 0.8  # the default budget: this share of the deadline, the margin Okta's best practices ask for
FAILURE = "failure"
SHARED_KEYS = ("name", "expect", "max_ms")


class CasesError(ValueError):
    """A cases file that cannot be used; the message names the case and the key."""


@dataclass(frozen=True)
class CaseSet:
    """A cases file as read: the hook type its cases are about, and the cases."""

    hook_type: HookType[Any]
    cases: list[Case]


def budget_ms(case: Case, timeout: float = DEFAULT_TIMEOUT) -> float:
    return case.max_ms if case.max_ms is not None else timeout * 1000 * LATENCY_SHARE


def new_uid(run_tag: str, index: int) -> str:
    """`{uid}` for one case of one run: unique, and tagged so cleanup can find what the run created."""
    return f"{run_tag}-{index}-{secrets.token_hex(3)}"


def fill_uid(value: Any, uid: str) -> Any:
    """`value` with `{uid}` replaced by `uid` in every text it holds (mappings, lists and tuples walked through)."""
    if isinstance(value, str):
        return value.replace("{uid}", uid)
    if isinstance(value, dict):
        return {fill_uid(key, uid): fill_uid(item, uid) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(fill_uid(item, uid) for item in value)
    return value


def for_run(case: Case, uid: str) -> Case:
    """The case one run judges: `{uid}` filled in its expectations too, where its type lets them say `{uid}`."""
    return case.with_uid(uid) if isinstance(case, FillsUid) else case


def new_run_tag() -> str:
    return f"{RUN_TAG_PREFIX}{secrets.token_hex(4)}"


def judge(case: Case, run: HookRun[Any], *, timeout: float = DEFAULT_TIMEOUT) -> list[str]:
    """Every way this run differs from the case; empty when it matches."""
    verdict = run.verdict
    problems: list[str] = []
    outcome = f"fail ({verdict.failure})" if verdict.failure else str(verdict.outcome)
    if case.expect == FAILURE:
        if verdict.failure is None:
            problems.append(f"expected the hook call to fail, but Okta's outcome is {outcome}")
    elif case.expect is None:
        pass  # `fire` without --expect: only the other expectations are checked
    elif verdict.failure is not None:
        problems.append(f"expected {case.expect.upper()}, but the hook call failed ({verdict.failure})")
    elif verdict.outcome != case.expect.upper():
        problems.append(f"expected {case.expect.upper()}, but Okta's outcome is {outcome}")
    problems.extend(case.judge_details(run))
    budget = budget_ms(case, timeout)
    # A case that expects the call to fail (a hook that hangs: Okta waits out its deadline) is not judged on the
    # default budget, which such a call always breaks; a `max_ms` the case states still holds.
    judged_on_time = case.expect != FAILURE or case.max_ms is not None
    if judged_on_time and run.exchange.total_ms > budget:
        problems.append(f"answered in {run.exchange.total_ms:.0f} ms, over the {budget:.0f} ms budget")
    return problems


def load_cases(path: str | Path | None, registry: Registry, *, hook_type: HookType[Any] | None = None) -> CaseSet:
    """The cases of a YAML file, or the type's example cases when `path` is None. `hook_type` (from `--type`):
    the type the cases must be about; otherwise the file's `type:` or the registry's default."""
    if path is None:
        chosen = hook_type or registry.default()
        return CaseSet(chosen, chosen.example_cases())
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CasesError(f"cannot read the cases file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CasesError(f"{path}: not UTF-8 text") from None
    return parse_cases(text, registry, str(path), hook_type=hook_type)


def parse_cases(
    text: str, registry: Registry, source: str = "cases", *, hook_type: HookType[Any] | None = None
) -> CaseSet:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise CasesError(f"{source}: not valid YAML{where}") from None
    try:
        check(document)  # texts are shown in terminals, JUnit XML and JSON: they must be valid Unicode
    except UnrepresentableJson as exc:
        raise CasesError(f"{source}: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("cases"), list) or not document["cases"]:
        raise CasesError(f"{source}: expected a top-level 'cases:' list with at least one case")
    unknown = [key for key in document if key not in ("type", "cases")]
    if unknown:
        raise CasesError(f"{source}: {unknown[0]}: unknown top-level key (known: type, cases)")
    chosen = _file_type(document.get("type"), registry, hook_type, source)
    cases = [_case(chosen, source, index, entry) for index, entry in enumerate(document["cases"], start=1)]
    names = [case.name for case in cases]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise CasesError(f"{source}: case names must be unique: {', '.join(duplicates)}")
    return CaseSet(chosen, cases)


def _file_type(declared: Any, registry: Registry, wanted: HookType[Any] | None, source: str) -> HookType[Any]:
    if declared is None:
        return wanted or registry.default()
    found = registry.find(declared)
    if found is None:
        raise CasesError(f"{source}: type: unknown hook type {declared!r} (known: {', '.join(registry.names())})")
    if wanted is not None and found is not wanted:
        raise CasesError(f"{source}: type: the file's cases are for {found.name} hooks, not {wanted.name}")
    return found


def _case(hook_type: HookType[Any], source: str, index: int, entry: Any) -> Case:
    label = f"{source}: case {index}"
    if not isinstance(entry, dict):
        raise CasesError(f"{label}: expected a mapping with name and expect")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CasesError(f"{label}: name: required, a text")
    label = f"{source}: case {name!r}"
    known = (*SHARED_KEYS, *hook_type.case_keys)
    unknown = [key for key in entry if key not in known]
    if unknown:
        raise CasesError(f"{label}: {unknown[0]}: unknown key (known: {', '.join(known)})")
    expects = (*(outcome.lower() for outcome in hook_type.outcomes), FAILURE)
    expect = entry.get("expect")
    if expect not in expects:
        close = difflib.get_close_matches(str(expect), expects, n=1) if isinstance(expect, str) else []
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise CasesError(f"{label}: expect: required, one of {', '.join(expects)}{hint}")
    max_ms = entry.get("max_ms")
    if max_ms is not None and (isinstance(max_ms, bool) or not isinstance(max_ms, int | float) or max_ms <= 0):
        raise CasesError(f"{label}: max_ms: a positive number of milliseconds")
    try:
        return hook_type.parse_case(name.strip(), expect, float(max_ms) if max_ms is not None else None, entry)
    except CaseProblem as exc:
        raise CasesError(f"{label}: {exc.key}: {exc.problem}") from None


@dataclass(frozen=True)
class OutcomeCase:
    """An expectation of the outcome and latency only (`fire --expect` for a type with no richer vocabulary);
    it judges a request it is handed, so it builds none."""

    name: str
    expect: str | None
    max_ms: float | None = None

    def request(self, uid: str, *, seed: int | None = None, engine: str = "ie") -> dict[str, Any]:
        raise NotImplementedError("an OutcomeCase judges requests built elsewhere")

    def judge_details(self, run: HookRun[Any]) -> list[str]:
        return []

    def skip_reason(self, engine: str) -> str | None:
        return None
