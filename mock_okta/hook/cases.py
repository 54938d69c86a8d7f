"""A cases file: the one statement of what a team's hook must do, read by `verify`, the pytest options and the
browser scenarios alike.

```yaml
cases:
  - name: example.com is allowed
    profile: {email: "{uid}@example.com"}   # {uid}: unique per run; missing first/last names are generated
    expect: allow                          # allow | deny | failure
    profile_updates: {department: Eng}      # what the created user must carry
    max_ms: 1500                           # latency budget (default: 80% of the deadline)
  - name: other domains are denied
    profile: {email: "{uid}@gmail.com"}
    expect: deny
    message: "Only example.com emails can register."
    field: email                           # omitted: a form-level message
```

`judge` says, for one `HookRun`, every way it differs from its case (an empty list when it matches). A hook that
failed (timeout, refused connection, invalid answer) never counts as a deny: that takes `expect: failure`.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from .jsonsafe import UnrepresentableJson, check
from .payloads import (
    REQUEST_TYPES,
    classic_registration_request,
    fake_profile,
    fake_profile_update,
    progressive_profile_request,
    registration_request,
)
from .run import HookRun
from .settings import DEFAULT_TIMEOUT
from .verdict import is_classic

# Every address a run generates carries this tag, so `mock-okta org cleanup` finds the users runs created.
RUN_TAG_PREFIX = "mokta"
LATENCY_SHARE = 0.8  # the default budget: this share of the deadline, the margin Okta's best practices ask for
CASE_KEYS = ("name", "profile", "expect", "request_type", "profile_updates", "message", "field", "max_ms")


class Expect(StrEnum):
    ALLOW = "allow"
    DENY = "deny"
    FAILURE = "failure"


class CasesError(ValueError):
    """A cases file that cannot be used; the message names the case and the key."""


@dataclass(frozen=True)
class Case:
    name: str
    expect: Expect | None  # None (only from `fire` options): any outcome, check the rest
    profile: dict[str, str] = field(default_factory=dict)
    request_type: str = "registration"
    profile_updates: dict[str, Any] = field(default_factory=dict)
    message: str | None = None
    field: str | None = None
    max_ms: float | None = None

    def budget_ms(self, timeout: float = DEFAULT_TIMEOUT) -> float:
        return self.max_ms if self.max_ms is not None else timeout * 1000 * LATENCY_SHARE

    def form(self, uid: str, *, seed: int | None = None) -> dict[str, str]:
        """The sign-up form's values: the case's profile with `{uid}` filled in; a missing first or last name is
        generated, and `login` follows `email` as on Okta's default form."""
        values = {key: value.replace("{uid}", uid) for key, value in self.profile.items()}
        generated = fake_profile(seed=seed)
        values.setdefault("firstName", generated["firstName"])
        values.setdefault("lastName", generated["lastName"])
        if "email" in values:
            values.setdefault("login", values["email"])
        return values

    def request(self, uid: str, *, seed: int | None = None, engine: str = "ie") -> dict[str, Any]:
        """The hook request Okta sends for this case, from an Identity Engine (`ie`) or Classic Engine org."""
        form = self.form(uid, seed=seed)
        if engine == "classic":
            return classic_registration_request(form)
        if self.request_type == "profile-update":
            current = {**form, "locale": "en_US", "timeZone": "America/Los_Angeles"}
            return progressive_profile_request(current, fake_profile_update(seed=seed))
        return registration_request(form)


def new_uid(run_tag: str, index: int) -> str:
    """`{uid}` for one case of one run: unique, and tagged so cleanup can find what the run created."""
    return f"{run_tag}-{index}-{secrets.token_hex(3)}"


def new_run_tag() -> str:
    return f"{RUN_TAG_PREFIX}{secrets.token_hex(4)}"


def judge(case: Case, run: HookRun, *, timeout: float = DEFAULT_TIMEOUT) -> list[str]:
    """Every way this run differs from the case; empty when it matches."""
    verdict = run.verdict
    problems: list[str] = []
    outcome = f"fail ({verdict.failure})" if verdict.failure else str(verdict.registration)
    if case.expect == Expect.FAILURE:
        if verdict.failure is None:
            problems.append(f"expected the hook call to fail, Okta would {outcome}")
    elif case.expect is None:
        pass  # `fire` without --expect: only the other expectations are checked
    elif verdict.failure is not None:
        problems.append(f"expected {case.expect.upper()}, but the hook call failed ({verdict.failure})")
    elif verdict.registration != case.expect.upper():
        problems.append(f"expected {case.expect.upper()}, Okta would {outcome}")
    if case.message is not None or case.field is not None:
        shown = [(m.field, m.text) for m in verdict.messages]
        # A Classic Engine widget shows the text in the form's banner, under no field: the field is not checked.
        field = None if is_classic(run.request) else case.field
        if not any(
            (case.message is None or text == case.message) and (field is None or where == field)
            for where, text in shown
        ):
            wanted = (f"{case.message!r}" if case.message else "a message") + (f" under {field}" if field else "")
            seen = "; ".join(f"{t!r} {'under ' + w if w else 'above the form'}" for w, t in shown) or "nothing"
            problems.append(f"expected the end user to see {wanted}; they see {seen}")
    for key, value in case.profile_updates.items():
        if key not in verdict.profile_updates:
            problems.append(f"expected the hook to set {key}={value!r}, got nothing")
        elif verdict.profile_updates[key] != value:
            problems.append(f"expected the hook to set {key}={value!r}, got {verdict.profile_updates[key]!r}")
    budget = case.budget_ms(timeout)
    if run.exchange.total_ms > budget:
        problems.append(f"answered in {run.exchange.total_ms:.0f} ms, over the {budget:.0f} ms budget")
    return problems


def guide_cases() -> list[Case]:
    """Okta's guide: example.com addresses are allowed, other domains are denied under the email field."""
    return [
        Case("example.com is allowed", Expect.ALLOW, {"email": "{uid}@example.com"}),
        Case(
            "other domains are denied",
            Expect.DENY,
            {"email": "{uid}@gmail.com"},
            message="Only example.com emails can register.",
            field="email",
        ),
    ]


def load_cases(path: str | Path | None) -> list[Case]:
    """The cases of a YAML file, or the guide's two when `path` is None."""
    if path is None:
        return guide_cases()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CasesError(f"cannot read the cases file {path}: {exc.strerror or exc}") from None
    return parse_cases(text, str(path))


def parse_cases(text: str, source: str = "cases") -> list[Case]:
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
    cases = [_case(source, index, entry) for index, entry in enumerate(document["cases"], start=1)]
    names = [case.name for case in cases]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise CasesError(f"{source}: case names must be unique: {', '.join(duplicates)}")
    return cases


def _case(source: str, index: int, entry: Any) -> Case:
    label = f"{source}: case {index}"
    if not isinstance(entry, dict):
        raise CasesError(f"{label}: expected a mapping with name, profile and expect")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CasesError(f"{label}: name: required, a text")
    label = f"{source}: case {name!r}"

    def bad(key: str, problem: str) -> CasesError:
        return CasesError(f"{label}: {key}: {problem}")

    unknown = [key for key in entry if key not in CASE_KEYS]
    if unknown:
        raise bad(str(unknown[0]), f"unknown key (known: {', '.join(CASE_KEYS)})")
    expect = entry.get("expect")
    if expect not in tuple(Expect):
        raise bad("expect", "required, one of allow, deny, failure")
    profile = entry.get("profile", {})
    if not isinstance(profile, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in profile.items()):
        raise bad("profile", 'a mapping of attribute names to texts, e.g. {email: "{uid}@example.com"}')
    if "email" not in profile:
        raise bad("profile", "needs an email (use {uid} to keep it unique per run)")
    request_type = entry.get("request_type", "registration")
    if request_type not in REQUEST_TYPES:
        raise bad("request_type", f"one of {', '.join(REQUEST_TYPES)}")
    updates = entry.get("profile_updates", {})
    if not isinstance(updates, dict) or not all(isinstance(k, str) for k in updates):
        raise bad("profile_updates", "a mapping of attribute names to the values the hook must set")
    message, field_name = entry.get("message"), entry.get("field")
    if message is not None and not isinstance(message, str):
        raise bad("message", "a text")
    if field_name is not None and not (isinstance(field_name, str) and re.fullmatch(r"[A-Za-z0-9_$]+", field_name)):
        raise bad("field", "an attribute name such as email")
    if (message is not None or field_name is not None) and expect != Expect.DENY:
        raise bad("message" if message is not None else "field", "only a denied case shows a message")
    if updates and expect != Expect.ALLOW:
        raise bad("profile_updates", "only an allowed case updates the profile")
    max_ms = entry.get("max_ms")
    if max_ms is not None and (isinstance(max_ms, bool) or not isinstance(max_ms, int | float) or max_ms <= 0):
        raise bad("max_ms", "a positive number of milliseconds")
    return Case(
        name=name.strip(),
        expect=Expect(expect),
        profile=dict(profile),
        request_type=request_type,
        profile_updates=dict(updates),
        message=message,
        field=field_name,
        max_ms=float(max_ms) if max_ms is not None else None,
    )
