"""Is a real org ready for pre-release verification? One finding at a time, for `mock-okta org check` (which prints
them all) and for the browser scenarios' preflight (which stops at the first problem, before any browser opens)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import requests

from ..hook.channel import Attempt, Exchange
from ..hooktypes.registration.payloads import build_request
from ..hooktypes.registration.verdict import decide
from .client import OrgClient, OrgError

Finding = tuple[bool, str]  # (fine, what was found)


def enrollment(rule: dict[str, Any]) -> dict[str, Any]:
    """The rule's `actions.profileEnrollment`, created empty when the org left it out."""
    found: dict[str, Any] = rule.setdefault("actions", {}).setdefault("profileEnrollment", {})
    return found


def findings(client: OrgClient, *, call_hook: bool = True) -> Iterator[Finding]:
    """Reachable with the token, self-service registration on, a registration hook attached and ACTIVE, and
    (`call_hook`) Okta able to call it. Stops after a problem the later findings depend on."""
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
    try:
        hook = client.inline_hook(str(attached[0]))
    except OrgError as exc:
        yield False, str(exc)
        return
    if hook is None:
        yield False, f"the attached inline hook {attached[0]} does not exist"
        return
    if hook["status"] != "ACTIVE":
        yield False, f"the attached hook {hook['name']!r} is {hook['status']}: activate it"
        return
    yield True, f"hook {hook['name']!r} ({hook['channel']['config']['uri']}) is attached and ACTIVE"
    if call_hook:
        yield reaches(client, hook)


def reaches(client: OrgClient, hook: dict[str, Any]) -> Finding:
    """Okta calls the hook (`execute`) with a generated sign-up; the answer is judged like every other."""
    request = build_request(domain="example.com")
    try:
        response = client.execute_inline_hook(hook["id"], request)
    except OrgError as exc:
        return False, str(exc)
    if response.status_code != 200:
        return False, f"Okta could not call the hook: {okta_error_text(response)}"
    content = response.content
    attempts = [Attempt(1, 200, 0.0, len(content))]
    verdict = decide(request, Exchange(hook["channel"]["config"]["uri"], request, {}, attempts, 200, body=content))
    if verdict.failure:
        return False, f"Okta reached the hook but cannot use its answer ({verdict.failure})"
    return True, f"Okta reaches the hook: a generated example.com sign-up gets {verdict.registration}"


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
