"""The registration hook's case vocabulary (the cases file's keys beyond `name`, `expect` and `max_ms`):

```yaml
cases:
  - name: example.com is allowed
    profile: {email: "{uid}@example.com"}   # {uid}: unique per run; missing first/last names are generated
    expect: allow                          # allow | deny | failure
    profile_updates: {department: Eng}      # what the created user must carry
  - name: other domains are denied
    profile: {email: "{uid}@gmail.com"}
    expect: deny
    message: "Only example.com emails can register."
    field: email                           # omitted: a form-level message
    classic_message: "..."                 # what a Classic Engine org shows instead (default: message)
  - name: a short employee number is refused
    request_type: profile-update           # progressive profile: a signed-in user submits new attributes
    profile: {email: "{uid}@example.com"}  # the signed-in user's profile
    update: {employeeNumber: "12"}         # what they submit (data.userProfileUpdate)
    expect: deny
```
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ...hook.cases import fill_uid
from ...hook.outcome import HookRun
from ...hook.registry import CaseProblem
from ...hook.settings import Engine
from .payloads import (
    REQUEST_TYPES,
    RequestType,
    classic_registration_request,
    fake_profile,
    fake_profile_update,
    progressive_profile_request,
    registration_request,
)
from .verdict import Verdict, is_classic

CASE_KEYS = ("profile", "request_type", "update", "profile_updates", "message", "field", "classic_message")


class Expect(StrEnum):
    ALLOW = "allow"
    DENY = "deny"
    FAILURE = "failure"


@dataclass(frozen=True)
class RegistrationCase:
    name: str
    expect: Expect | None  # None (only from `fire` options): any outcome, check the rest
    profile: dict[str, str] = field(default_factory=dict)
    request_type: str = RequestType.REGISTRATION
    profile_updates: dict[str, Any] = field(default_factory=dict)
    message: str | None = None
    field: str | None = None
    max_ms: float | None = None
    # Progressive profile: the attributes the signed-in user submits (data.userProfileUpdate); empty: generated.
    update: dict[str, Any] = dataclasses.field(default_factory=dict)  # `field` is a member's name here
    # What a Classic Engine org's banner shows instead of `message` (its widget shows the hook's own text where an
    # Identity Engine org shows Okta's generic one); None: `message` on both.
    classic_message: str | None = None

    def with_uid(self, uid: str) -> RegistrationCase:
        """The case one run judges: `{uid}` in its expectations (the text shown, the profile updates) filled in with
        the value its sign-up's profile gets, so a case can expect its own address back."""
        return dataclasses.replace(
            self,
            profile_updates=fill_uid(dict(self.profile_updates), uid),
            message=fill_uid(self.message, uid),
            classic_message=fill_uid(self.classic_message, uid),
        )

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

    def request(self, uid: str, *, seed: int | None = None, engine: str = Engine.IE) -> dict[str, Any]:
        """The hook request Okta sends for this case, from an Identity Engine (`ie`) or Classic Engine org."""
        form = self.form(uid, seed=seed)
        if engine == Engine.CLASSIC:
            return classic_registration_request(form)
        if self.request_type == RequestType.PROFILE_UPDATE:
            current = {**form, "locale": "en_US", "timeZone": "America/Los_Angeles"}
            update = {k: v.replace("{uid}", uid) if isinstance(v, str) else v for k, v in self.update.items()}
            return progressive_profile_request(current, update or fake_profile_update(seed=seed))
        return registration_request(form)

    def skip_reason(self, engine: str) -> str | None:
        if engine == Engine.CLASSIC and self.request_type != RequestType.REGISTRATION:
            return "a Classic Engine org sends no progressive-profile requests"
        return None

    def judge_details(self, run: HookRun[Any]) -> list[str]:
        """The end user's text and the profile updates, beyond the outcome and the latency."""
        verdict: Verdict = run.verdict
        problems: list[str] = []
        classic = is_classic(run.request)
        message = self.classic_message if classic and self.classic_message is not None else self.message
        if message is not None or self.field is not None:
            shown = [(m.field, m.text) for m in verdict.messages]
            # A Classic Engine widget shows the text in the form's banner, under no field: the field is not checked.
            field = None if classic else self.field
            if not any(
                (message is None or text == message) and (field is None or where == field) for where, text in shown
            ):
                wanted = (f"{message!r}" if message else "a message") + (f" under {field}" if field else "")
                seen = "; ".join(f"{t!r} {'under ' + w if w else 'above the form'}" for w, t in shown) or "nothing"
                problems.append(f"expected the end user to see {wanted}; they see {seen}")
        for key, value in self.profile_updates.items():
            if key not in verdict.profile_updates:
                problems.append(f"expected the hook to set {key}={value!r}, got nothing")
            elif verdict.profile_updates[key] != value:
                problems.append(f"expected the hook to set {key}={value!r}, got {verdict.profile_updates[key]!r}")
        return problems


def guide_cases() -> list[RegistrationCase]:
    """Okta's guide: example.com addresses are allowed, other domains are denied under the email field."""
    return [
        RegistrationCase("example.com is allowed", Expect.ALLOW, {"email": "{uid}@example.com"}),
        RegistrationCase(
            "other domains are denied",
            Expect.DENY,
            {"email": "{uid}@gmail.com"},
            message="Only example.com emails can register.",
            field="email",
        ),
    ]


def parse_case(name: str, expect: str, max_ms: float | None, entry: dict[str, Any]) -> RegistrationCase:
    """A registration case from a cases-file entry whose shared keys are read; CaseProblem otherwise."""
    profile = entry.get("profile", {})
    if not isinstance(profile, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in profile.items()):
        raise CaseProblem("profile", 'a mapping of attribute names to texts, e.g. {email: "{uid}@example.com"}')
    if "email" not in profile:
        raise CaseProblem("profile", "needs an email (use {uid} to keep it unique per run)")
    request_type = entry.get("request_type", RequestType.REGISTRATION)
    if request_type not in REQUEST_TYPES:
        raise CaseProblem("request_type", f"one of {', '.join(REQUEST_TYPES)}")
    updates = entry.get("profile_updates", {})
    if not isinstance(updates, dict) or not all(isinstance(k, str) for k in updates):
        raise CaseProblem("profile_updates", "a mapping of attribute names to the values the hook must set")
    update = entry.get("update", {})
    if not isinstance(update, dict) or not all(isinstance(k, str) for k in update):
        raise CaseProblem("update", 'a mapping of the attributes the user submits, e.g. {employeeNumber: "1234"}')
    if update and request_type != RequestType.PROFILE_UPDATE:
        raise CaseProblem("update", "only a profile-update case submits attributes (request_type: profile-update)")
    message, field_name = entry.get("message"), entry.get("field")
    if message is not None and not isinstance(message, str):
        raise CaseProblem("message", "a text")
    classic_message = entry.get("classic_message")
    if classic_message is not None and not isinstance(classic_message, str):
        raise CaseProblem("classic_message", "a text")
    if classic_message is not None and expect != Expect.DENY:
        raise CaseProblem("classic_message", "only a denied case shows a message")
    if field_name is not None and not (isinstance(field_name, str) and re.fullmatch(r"[A-Za-z0-9_$]+", field_name)):
        raise CaseProblem("field", "an attribute name such as email")
    if (message is not None or field_name is not None) and expect != Expect.DENY:
        raise CaseProblem("message" if message is not None else "field", "only a denied case shows a message")
    if updates and expect != Expect.ALLOW:
        raise CaseProblem("profile_updates", "only an allowed case updates the profile")
    return RegistrationCase(
        name=name,
        expect=Expect(expect),
        profile=dict(profile),
        request_type=request_type,
        profile_updates=dict(updates),
        message=message,
        field=field_name,
        max_ms=max_ms,
        update=dict(update),
        classic_message=classic_message,
    )
