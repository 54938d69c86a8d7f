"""Is a real org ready for pre-release verification? One finding at a time, for `mock-okta org check` (which prints
them all) and for the browser scenarios' preflight (which stops at the first problem, before any browser opens)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from ..hook.channel import Attempt, Exchange
from ..hook.registry import HookType
from ..hooktypes import REGISTRATION
from ..hooktypes.registration.payloads import build_request
from .client import OrgClient, OrgError

Finding = tuple[bool, str]  # (fine, what was found)
CALLS = "the org calls the hook "  # how the finding that names the org's hook starts


def enrollment(rule: dict[str, Any]) -> dict[str, Any]:
    """The rule's `actions.profileEnrollment`, created empty when the org left it out."""
    found: dict[str, Any] = rule.setdefault("actions", {}).setdefault("profileEnrollment", {})
    return found


@dataclass(frozen=True)
class HookUnderTest:
    """What the run tests, to compare with the hook the org will call: the hook's URL (`--hook-url`,
    `--okta-hook-url`) and/or the id of the inline hook `mock-okta org attach` created (its state file)."""

    url: str | None = None
    hook_id: str | None = None

    def differs(self, hook: dict[str, Any]) -> str | None:
        """Why the org's hook is not this one, or None."""
        uri = str(hook["channel"]["config"].get("uri", ""))
        if self.url is not None and _same_url(uri) != _same_url(self.url):
            return f"not the hook under test {self.url}"
        if self.hook_id is not None and hook["id"] != self.hook_id:
            return f"not the hook `mock-okta org attach` created ({self.hook_id})"
        return None


def _same_url(url: str) -> str:
    """A URL as compared: scheme and host are case-insensitive (RFC 3986 6.2.2.1), a trailing slash is kept apart."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, parts.fragment))


def called_hook(hook: dict[str, Any]) -> str:
    """The hook the org calls, in words: its name and its channel URI."""
    return f"{hook['name']!r} ({hook['channel']['config'].get('uri')})"


def findings(
    client: OrgClient, *, call_hook: bool = True, under_test: HookUnderTest | None = None
) -> Iterator[Finding]:
    """Reachable with the token, self-service registration on, a registration hook attached and ACTIVE, (with
    `under_test`) that hook the one under test, and (`call_hook`) Okta able to call it. Stops after a problem the
    later findings depend on."""
    try:
        client.json("GET", "/api/v1/users", params={"limit": "1"})
        yield True, f"{client.base_url} answers and accepts the token"
        _, rule = client.profile_enrollment_rule()
    except OrgError as exc:
        yield False, str(exc)
        return
    settings = enrollment(rule)
    if settings.get("access") == "DENY" or settings.get("unknownUserAction") == "DENY":
        yield False, "self-service registration is off: set the profile enrollment rule's sign-up to allowed"
    else:
        yield True, "self-service registration is on (the sign-in page offers Sign up)"
    attached = [h.get("inlineHookId") for h in settings.get("preRegistrationInlineHooks") or [] if isinstance(h, dict)]
    if not attached:
        yield False, "no registration inline hook is attached to the profile enrollment policy (mock-okta org attach)"
        return
    yield from attached_hook(
        client,
        str(attached[0]),
        gone=f"the attached inline hook {attached[0]} does not exist",
        place="the profile enrollment policy",
        attach="mock-okta org attach --hook-url URL",
        under_test=under_test,
        call=(lambda hook: reaches(client, hook)) if call_hook else None,
    )


def attached_hook(
    client: OrgClient,
    hook_id: str,
    *,
    gone: str,
    place: str,
    attach: str,
    under_test: HookUnderTest | None,
    call: Callable[[dict[str, Any]], Finding] | None,
) -> Iterator[Finding]:
    """The findings on the hook an org object names, for any hook type: it exists, it is ACTIVE (which one: name and
    URI), (with `under_test`) it is the one under test, and (`call`) Okta can call it. Stops at the first problem."""
    try:
        hook = client.inline_hook(hook_id)
    except OrgError as exc:
        yield False, str(exc)
        return
    if hook is None:
        yield False, gone
        return
    if hook["status"] != "ACTIVE":
        yield False, f"the attached hook {hook['name']!r} is {hook['status']}: activate it"
        return
    yield True, f"{CALLS}{called_hook(hook)}: attached to {place}, ACTIVE"
    if under_test is not None:
        other = under_test.differs(hook)
        if other:
            yield False, f"the org calls {called_hook(hook)}, {other}: {attach}"
            return
        yield True, "that is the hook under test"
    if call is not None:
        yield call(hook)


def reaches(client: OrgClient, hook: dict[str, Any]) -> Finding:
    """Okta calls the hook (`execute`) with a generated sign-up; the answer is judged like every other."""
    return executed(client, hook, REGISTRATION, build_request(domain="example.com"), "a generated example.com sign-up")


def executed(
    client: OrgClient,
    hook: dict[str, Any],
    hook_type: HookType[Any],
    request: dict[str, Any],
    asked: str,
    reason: Callable[[Any], str] = lambda verdict: str(verdict.failure),
) -> Finding:
    """Okta calls the hook (`execute`) with `request` (described as `asked`); its answer is judged by the type's
    verdict, as the org's own flow would judge it; `reason`: a failed verdict in words."""
    try:
        response = client.execute_inline_hook(hook["id"], request)
    except OrgError as exc:
        return False, str(exc)
    if response.status_code != 200:
        return False, f"Okta could not call the hook: {okta_error_text(response)}"
    content = response.content
    attempts = [Attempt(1, 200, 0.0, len(content))]
    verdict = hook_type.decide(
        request, Exchange(hook["channel"]["config"]["uri"], request, {}, attempts, 200, body=content)
    )
    if verdict.failure:
        return False, f"Okta reached the hook but cannot use its answer ({reason(verdict)})"
    return True, f"Okta reaches the hook: {asked} gets {verdict.outcome}"


def okta_error_text(response: requests.Response) -> str:
    """`E0000137 Okta did not receive...: cause; cause` from Okta's error JSON, whatever shape came back."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return f"HTTP {response.status_code}"
    causes = "; ".join(str(c.get("errorSummary", "")) for c in body.get("errorCauses") or [] if isinstance(c, dict))
    return f"{body.get('errorCode')} {body.get('errorSummary')}{': ' + causes if causes else ''}"


def created_by_attach(state_file: str | Path, base_url: str) -> str | None:
    """The id of the registration inline hook `mock-okta org attach` created in this org, from its state file; None
    without one (or one of another org or hook type, or unreadable: then nothing says which hook is under test)."""
    try:
        state = json.loads(Path(state_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("orgUrl") != base_url.rstrip("/"):
        return None
    if state.get("type", "registration") != "registration":  # a token hook's attach names no registration hook
        return None
    hook_id = state.get("createdHookId")
    return hook_id if isinstance(hook_id, str) else None
