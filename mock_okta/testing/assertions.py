"""Assertions on hook runs whose failure messages show the whole exchange."""

from __future__ import annotations

import re
from typing import Any

from ..hook.channel import Failure
from ..hook.describe import describe
from ..hook.outcome import HookRun
from ..hooktypes.registration.verdict import Registration, Verdict

RegistrationRun = HookRun[Verdict]


def assert_allowed(run: RegistrationRun, *, profile: dict[str, Any] | None = None) -> None:
    """Okta lets the registration through; with `profile`, those attributes have these values afterwards."""
    if run.verdict.registration != Registration.ALLOW:
        raise AssertionError("expected Okta to ALLOW the registration\n" + describe(run))
    if profile:
        actual = run.verdict.profile or {}
        wrong = {key: actual.get(key) for key, value in profile.items() if actual.get(key) != value}
        if wrong:
            raise AssertionError(f"profile after the hook differs: expected {profile}, got {wrong}\n" + describe(run))


def assert_denied(
    run: RegistrationRun, *, field: str | None = None, message: str | re.Pattern[str] | None = None
) -> None:
    """Okta denies the registration because the hook said so; with `field`/`message`, the end user sees that text
    (under that field). A hook that failed (timeout, refused, invalid answer) is not a denial: use `assert_failed`."""
    if run.verdict.failure is not None:
        raise AssertionError(
            f"expected the hook to DENY the registration, but the call failed ({run.verdict.failure}); "
            "use assert_failed if that is what you test\n" + describe(run)
        )
    if run.verdict.registration != Registration.DENY:
        raise AssertionError("expected Okta to DENY the registration\n" + describe(run))
    if field is None and message is None:
        return
    for shown in run.verdict.messages:
        if field is not None and shown.field != field:
            continue
        if message is None or (
            message.search(shown.text) if isinstance(message, re.Pattern) else shown.text == message
        ):
            return
    wanted = " ".join(
        p for p in (f"message {message!r}" if message else "", f"under field {field!r}" if field else "") if p
    )
    raise AssertionError(f"expected the end user to see {wanted}\n" + describe(run))


def assert_failed(run: HookRun[Any], failure: Failure | str | None = None) -> None:
    """The hook call failed as Okta sees it (Okta then shows its generic error); with `failure`, for that reason
    (`timeout`, `connection`, `redirect`, `http_status`, `too_large`, `invalid_response`)."""
    if run.verdict.failure is None:
        raise AssertionError(f"expected the hook call to fail, but Okta's outcome is {run.outcome}\n" + describe(run))
    if failure is not None and run.verdict.failure != failure:
        raise AssertionError(f"expected failure {failure!s}, got {run.verdict.failure}\n" + describe(run))


def assert_no_violations(run: HookRun[Any]) -> None:
    """The hook's answer breaks no rule of Okta's contract, not even one Okta would tolerate."""
    if run.verdict.violations:
        raise AssertionError("the hook's response breaks Okta's contract\n" + describe(run))
