"""From one hook exchange to Okta's outcome: ALLOW or DENY, the profile after updates, what the end user sees,
and every contract violation with its JSON path.

The rules are Okta's registration inline hook reference ("Registration hook" reference, "Inline hooks" concept):
- any `error` object denies the registration and no command runs, ALLOW included;
- errorCauses whose `location` is `data.userProfile.<attr>` show under that field; otherwise the default texts;
- DENY without `error` shows "Registration denied."; an `error` without errorCauses shows
  "Registration cannot be completed at this time.";
- timeout or no valid response shows "There was an error creating your account. Please try registering again.";
- 204 allows with no changes; commands run in array order;
- a Classic Engine org (a request without `requestType`) answers the widget 400 E0000135 with the hook's
  errorCauses, and its v1 widget shows one text in the form's banner (`classic_banner`).
Where Okta's docs are silent (a malformed command, an unknown command type) the mock treats the body as an
invalid response, the generic failure that Okta's forum reports for wrong keys.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ...hook.channel import Exchange, Failure
from ...hook.outcome import (
    Message,
    VerdictRules,
    Violation,
    as_object,
    json_type,
    member_path,
    parse_body,
    unknown_keys,
)
from .contract import (
    ACTION_UPDATE,
    BASE_PROFILE_ATTRIBUTES,
    COMMAND_TYPES,
    PROFILE_UPDATE,
    PROGRESSIVE_PROFILE,
    PROGRESSIVE_PROFILE_UPDATE,
    request_kind,
)


class Registration(StrEnum):
    """Okta's outcome: the `registration` value of a `com.okta.action.update` command."""

    ALLOW = "ALLOW"
    DENY = "DENY"


ALLOW, DENY = Registration.ALLOW, Registration.DENY
_FIELD_LOCATION = re.compile(r"^data\.userProfile\.([A-Za-z0-9_$]+)$")
_COURAGE_FIELD = re.compile(r"^(\S+): (.+)$")  # courage's ErrorParser: "field: text" names a field
_CAUSE_KEYS = ("errorSummary", "reason", "locationType", "location", "domain")
RESPONSE_KEYS = ("commands", "error", "debugContext")
# Said of a cause the Identity Engine widget does not show. A Classic Engine org's banner may still show it (see
# `classic_banner`), so the words name the engine instead of saying "Okta" for both.
NOT_SHOWN = "an Identity Engine org does not show this text"


@dataclass(frozen=True)
class EndUserTexts:
    """Okta's default end-user texts. The progressive-profile failure text differs between Okta's pages
    (the concept page: "There was an error updating your profile..."; the old reference: "Your profile couldn't
    be updated at this time..."); the current concept page is the default."""

    registration_denied: str = "Registration denied."
    registration_no_causes: str = "Registration cannot be completed at this time."
    registration_failed: str = "There was an error creating your account. Please try registering again."
    profile_denied: str = "Profile update denied."
    profile_no_causes: str = "We found some errors. Please review the form and make corrections."
    profile_failed: str = "There was an error updating your profile. Please try again later."
    # Classic Engine: the API's E0000135 errorSummary, which the v1 widget shows when no cause applies.
    classic_failed: str = "Registration cannot be completed at this time"
    classic_field_errors: str = "We found some errors. Please review the form and make corrections."


# Okta's defaults, built once (frozen): every decision reads them.
OKTA_TEXTS = EndUserTexts()


@dataclass
class Verdict:
    """What Okta does with a registration hook's answer: the registration's outcome, the profile it creates or
    updates, and what the end user sees."""

    registration: Registration
    messages: list[Message] = field(default_factory=list)
    profile: dict[str, Any] | None = None
    profile_updates: dict[str, Any] = field(default_factory=dict)
    violations: list[Violation] = field(default_factory=list)
    failure: Failure | None = None
    error_summary: str | None = None
    debug_context: Any = None
    # The hook's errorCauses that Okta can pass on (objects with a non-empty errorSummary; string members only):
    # a Classic Engine org returns them to the widget in its E0000135 error.
    error_causes: list[dict[str, str]] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return self.registration == ALLOW

    @property
    def outcome(self) -> str:
        return str(self.registration)

    @property
    def proceeds(self) -> bool:
        return self.allowed

    def to_json(self) -> dict[str, Any]:
        return {
            "registration": self.registration,
            "messages": [message.to_json() for message in self.messages],
            "profile": self.profile,
            "profileUpdates": self.profile_updates,
            "failure": self.failure,
            "violations": [violation.to_json() for violation in self.violations],
            "debugContext": self.debug_context,
        }


def decide(request: dict[str, Any], exchange: Exchange, *, rules: VerdictRules = VerdictRules()) -> Verdict:
    """Okta's outcome for a finished exchange. Never raises on any response."""
    texts = end_user_texts(rules)
    progressive = request_kind(request) == PROGRESSIVE_PROFILE
    failed_text = texts.profile_failed if progressive else texts.registration_failed

    if is_classic(request):
        failed_text = texts.classic_failed
    if exchange.failed:
        return Verdict(DENY, [Message(failed_text)], failure=exchange.attempts[-1].error)
    if exchange.status == 204:
        return Verdict(ALLOW, profile=_base_profile(request, progressive))

    violations: list[Violation] = []
    body = parse_body(exchange.body, violations)
    if body is None:
        return Verdict(DENY, [Message(failed_text)], violations=violations, failure=Failure.INVALID_RESPONSE)

    violations.extend(unknown_keys(body, RESPONSE_KEYS, rules))
    debug_context = body.get("debugContext")
    if debug_context is not None and not isinstance(debug_context, dict):
        violations.append(Violation("debugContext", "must be an object; Okta logs it in the System Log"))

    if body.get("error") is not None:
        verdict = _denied_by_error(request, body, progressive, texts, violations)
    else:
        verdict = _run_commands(request, body.get("commands"), progressive, rules, texts, violations)
    verdict.debug_context = debug_context
    if any(v.fatal for v in verdict.violations):
        verdict.registration, verdict.messages, verdict.profile = DENY, [Message(failed_text)], None
        verdict.failure = Failure.INVALID_RESPONSE
        verdict.error_causes = []
    if is_classic(request) and not verdict.allowed:
        verdict.messages = [Message(classic_banner(verdict.error_causes, texts))]
    return verdict


def end_user_texts(rules: VerdictRules) -> EndUserTexts:
    """The rules' registration texts, Okta's defaults when they name none."""
    return rules.texts if isinstance(rules.texts, EndUserTexts) else OKTA_TEXTS


def is_classic(request: dict[str, Any]) -> bool:
    """A Classic Engine request: the only kind without `requestType`."""
    return "requestType" not in request


def classic_banner(causes: list[dict[str, str]], texts: EndUserTexts = OKTA_TEXTS) -> str:
    """What the v1 widget's banner shows for Okta's 400 E0000135 carrying these causes (okta-signin-widget
    `src/v1/controllers/RegistrationController.js` over courage's `BaseForm`/`ErrorParser`): the first cause's text
    when its location starts with data.userProfile; else, when any cause reads as a field error (a location, or a
    "field: text" summary), "We found some errors..."; else the first cause's text; with no causes, the API's
    errorSummary."""
    if not causes:
        return texts.classic_failed
    first = causes[0]
    if re.match(r"^data\.userProfile", first.get("location", "")):
        return first["errorSummary"]
    if any(c.get("location") or _COURAGE_FIELD.match(c["errorSummary"]) for c in causes):
        return texts.classic_field_errors
    return first["errorSummary"]


def _denied_by_error(
    request: dict[str, Any],
    body: dict[str, Any],
    progressive: bool,
    texts: EndUserTexts,
    violations: list[Violation],
) -> Verdict:
    no_causes = texts.profile_no_causes if progressive else texts.registration_no_causes
    commands = body.get("commands")
    if isinstance(commands, list):
        for index, command in enumerate(commands):
            if not _is_deny(command):
                violations.append(
                    Violation(f"commands[{index}]", "ignored: an error object vetoes every command (Okta docs)")
                )
    error = body["error"]
    if not isinstance(error, dict):
        violations.append(Violation("error", f"must be an object, got {json_type(error)}; still denies"))
        return Verdict(DENY, [Message(no_causes)], violations=violations)
    summary = error.get("errorSummary")
    if summary is not None and not isinstance(summary, str):
        violations.append(Violation("error.errorSummary", "must be a string"))
    causes = error.get("errorCauses")
    if causes is not None and not isinstance(causes, list):
        violations.append(Violation("error.errorCauses", f"must be an array, got {json_type(causes)}"))
        causes = None
    fields = set(_base_profile(request, progressive))
    messages = [
        message
        for index, cause in enumerate(causes or [])
        if (message := _cause_message(index, cause, fields, violations)) is not None
    ]
    passed_on = [
        {key: cause[key] for key in _CAUSE_KEYS if isinstance(cause.get(key), str)}
        for cause in causes or []
        if isinstance(cause, dict) and isinstance(cause.get("errorSummary"), str) and cause["errorSummary"]
    ]
    return Verdict(
        DENY,
        messages or [Message(no_causes)],
        violations=violations,
        error_summary=summary if isinstance(summary, str) else None,
        error_causes=passed_on,
    )


def _cause_message(index: int, cause: Any, fields: set[str], violations: list[Violation]) -> Message | None:
    path = f"error.errorCauses[{index}]"
    if not isinstance(cause, dict):
        violations.append(Violation(path, f"must be an object, got {json_type(cause)}"))
        return None
    for key in _CAUSE_KEYS:
        if key not in cause:
            violations.append(Violation(f"{path}.{key}", "missing"))
    text = cause.get("errorSummary")
    if not isinstance(text, str) or not text:
        if "errorSummary" in cause:
            violations.append(Violation(f"{path}.errorSummary", "must be a non-empty string"))
        return None
    # Okta shows a cause's errorSummary only under the form field its location names (spec
    # RegistrationResponseError: "only the errorSummary messages of the errorCauses ... appear as inline errors,
    # given ... the location of errorSummary in the errorCauses object specifies the request object's user profile
    # attribute"); any other cause is not shown, and with none shown the user sees Okta's generic text.
    location = cause.get("location")
    match = _FIELD_LOCATION.match(location) if isinstance(location, str) else None
    if match is None:
        where = f"{location!r} is not" if isinstance(location, str) else "no location:"
        violations.append(Violation(f"{path}.location", f"{where} data.userProfile.<attribute>: {NOT_SHOWN}"))
        return None
    attribute = match.group(1)
    if attribute not in fields:
        violations.append(
            Violation(
                f"{path}.location",
                f"{attribute!r} is not a field of the request ({', '.join(sorted(fields)) or 'none'}): {NOT_SHOWN}",
            )
        )
        return None
    return Message(text, attribute)


def _run_commands(
    request: dict[str, Any],
    commands: Any,
    progressive: bool,
    rules: VerdictRules,
    texts: EndUserTexts,
    violations: list[Violation],
) -> Verdict:
    if commands is None:
        commands = []
    if not isinstance(commands, list):
        violations.append(Violation("commands", f"must be an array, got {json_type(commands)}", True))
        return Verdict(DENY, violations=violations)
    registration: Registration = ALLOW
    updates: dict[str, Any] = {}
    allowed_update = PROGRESSIVE_PROFILE_UPDATE if progressive else PROFILE_UPDATE
    for index, command in enumerate(commands):
        path = f"commands[{index}]"
        if not isinstance(command, dict):
            violations.append(Violation(path, f"must be an object, got {json_type(command)}", True))
            continue
        kind, value = command.get("type"), command.get("value")
        if kind not in COMMAND_TYPES:
            violations.append(
                Violation(
                    f"{path}.type",
                    f"unknown command type {kind!r}; Okta knows {', '.join(COMMAND_TYPES)}",
                    True,
                )
            )
        elif kind == ACTION_UPDATE:
            registration = _action(path, value, violations) or registration
        elif kind != allowed_update:
            flow = "progressive profile" if progressive else "self-service registration"
            violations.append(Violation(f"{path}.type", f"{kind} is invalid in a {flow} response", True))
        elif not isinstance(value, dict):
            violations.append(Violation(f"{path}.value", f"must be an object, got {json_type(value)}", True))
        else:
            for attribute, attribute_value in value.items():
                problem = _attribute_problem(attribute, attribute_value)
                known = rules.schema_attributes if rules.schema_attributes is not None else BASE_PROFILE_ATTRIBUTES
                if problem is None and known is not None and attribute not in known and attribute != "password":
                    problem = f"{attribute!r} is not in the org's user schema: a hook cannot add attributes"
                if attribute == "password":
                    violations.append(Violation(f"{path}.value.password", "ignored: Okta never lets a hook set it"))
                elif problem:
                    violations.append(Violation(f"{path}.value{member_path(attribute, '.')}", problem, True))
                else:
                    updates[attribute] = attribute_value
    if registration == DENY:
        denied = texts.profile_denied if progressive else texts.registration_denied
        return Verdict(DENY, [Message(denied)], violations=violations)
    profile = {**_base_profile(request, progressive), **updates}
    return Verdict(ALLOW, profile=profile, profile_updates=updates, violations=violations)


def _action(path: str, value: Any, violations: list[Violation]) -> Registration | None:
    if not isinstance(value, dict):
        violations.append(Violation(f"{path}.value", f"must be an object, got {json_type(value)}", True))
        return None
    if "registration" not in value:
        if "action" in value:
            message = "uses key 'action'; Okta reads 'registration' ({\"registration\": \"DENY\"})"
            violations.append(Violation(f"{path}.value.action", message, True))
        else:
            violations.append(Violation(f"{path}.value.registration", "missing", True))
        return None
    decision = value["registration"]
    if decision not in (ALLOW, DENY):
        violations.append(
            Violation(f"{path}.value.registration", f'must be "ALLOW" or "DENY", got {json.dumps(decision)}', True)
        )
        return None
    return Registration(decision)


def _is_deny(command: Any) -> bool:
    return (
        isinstance(command, dict)
        and command.get("type") == ACTION_UPDATE
        and isinstance(command.get("value"), dict)
        and command["value"].get("registration") == DENY
    )


def _base_profile(request: dict[str, Any], progressive: bool) -> dict[str, Any]:
    # `execute` and Preview send whatever they are given: any member may have the wrong shape.
    data = as_object(request.get("data"))
    if progressive:
        user = as_object(as_object(data.get("context")).get("user"))
        return {**as_object(user.get("profile")), **as_object(data.get("userProfileUpdate"))}
    return dict(as_object(data.get("userProfile")))


def _attribute_problem(attribute: str, value: Any) -> str | None:
    """Why Okta could not store this profile value (user profile attributes are scalars or arrays of them)."""
    if attribute in ("login", "email") and (not isinstance(value, str) or not value.strip()):
        return f"{attribute} must be a non-empty string: the user could not be created"
    scalars = (str, int, float, bool, type(None))
    if isinstance(value, dict) or (isinstance(value, list) and not all(isinstance(v, scalars) for v in value)):
        return "a profile attribute is a string, number, boolean, null or an array of those"
    return None
