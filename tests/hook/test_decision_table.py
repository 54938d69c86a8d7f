"""Okta's decision table for registration hook responses (Registration hook reference, §2.3 of our contract
notes), each row against a real server on loopback."""

from __future__ import annotations

import pytest

from mock_okta.hook.channel import ChannelConfig
from mock_okta.hook.outcome import HookRun, VerdictRules
from mock_okta.hook.run import run_hook_sync, run_sync
from mock_okta.hooktypes import REGISTRATION
from mock_okta.hooktypes.registration.payloads import build_request
from mock_okta.hooktypes.registration.verdict import EndUserTexts

TEXTS = EndUserTexts()
GENERIC = "There was an error creating your account. Please try registering again."


def fire(base: str, path: str, request_type: str = "registration", **settings: object) -> HookRun:
    request = build_request(request_type, seed=3, email="pat.doe@example.com")
    return run_hook_sync(ChannelConfig(base + path, **settings), REGISTRATION, request)


def texts(run: HookRun) -> list[tuple[str | None, str]]:
    return [(m.field, m.text) for m in run.verdict.messages]


REGISTRATION_DENIED = "Registration denied."
CANNOT_COMPLETE = "Registration cannot be completed at this time."
EMAIL_CAUSE = "Only example.com emails can register."

# One row per hook answer, grouped as the README's decision table: (hook answer, requestType, Okta's outcome,
# why it failed, what the end user sees as (field or None for above the form, text)).
DECISION_TABLE = [
    # 200 without DENY or `error` (incl. `{}`), or 204: ALLOW, nothing shown
    pytest.param("/respond/allow", "registration", "ALLOW", None, [], id="200 ALLOW command"),
    pytest.param("/respond/empty-object", "registration", "ALLOW", None, [], id="200 {}"),
    pytest.param("/respond/empty-commands", "registration", "ALLOW", None, [], id="200 empty commands"),
    pytest.param("/nocontent", "registration", "ALLOW", None, [], id="204"),
    # DENY command, no `error`
    pytest.param("/respond/deny-without-error", "registration", "DENY", None, [(None, REGISTRATION_DENIED)], id="DENY"),
    pytest.param(
        "/respond/deny-without-error",
        "profile-update",
        "DENY",
        None,
        [(None, TEXTS.profile_denied)],
        id="DENY, progressive profile",
    ),
    # `error` without `errorCauses` (even `{}`)
    pytest.param("/respond/error-without-causes", "registration", "DENY", None, [(None, CANNOT_COMPLETE)], id="error"),
    pytest.param("/respond/error-empty", "registration", "DENY", None, [(None, CANNOT_COMPLETE)], id="error {}"),
    pytest.param(
        "/respond/error-without-causes",
        "profile-update",
        "DENY",
        None,
        [(None, TEXTS.profile_no_causes)],
        id="error, progressive profile",
    ),
    # `error` with causes at data.userProfile.<attr>
    pytest.param("/respond/deny-with-field-error", "registration", "DENY", None, [("email", EMAIL_CAUSE)], id="cause"),
    # timeout, network error, non-2xx, redirect, body >= 256 KB, invalid body
    pytest.param("/hang", "registration", "DENY", "timeout", [(None, GENERIC)], id="timeout"),
    pytest.param("/status/500", "registration", "DENY", "http_status", [(None, GENERIC)], id="500"),
    pytest.param("/status/400", "registration", "DENY", "http_status", [(None, GENERIC)], id="400"),
    pytest.param("/redirect", "registration", "DENY", "redirect", [(None, GENERIC)], id="302"),
    pytest.param("/big", "registration", "DENY", "too_large", [(None, GENERIC)], id="300 KB body"),
    pytest.param("/text", "registration", "DENY", "invalid_response", [(None, GENERIC)], id="text body"),
    pytest.param("/empty200", "registration", "DENY", "invalid_response", [(None, GENERIC)], id="200 empty body"),
    pytest.param("/respond/array", "registration", "DENY", "invalid_response", [(None, GENERIC)], id="JSON array"),
    pytest.param(
        "/hang", "profile-update", "DENY", "timeout", [(None, TEXTS.profile_failed)], id="timeout, progressive"
    ),
]


@pytest.mark.parametrize(("path", "request_type", "registration", "failure", "shown"), DECISION_TABLE)
def test_decision_table(scripted, path, request_type, registration, failure, shown):
    """Rules: Okta's registration hook reference (the table in the README, row by row): ALLOW is the default; a
    DENY without error shows "Registration denied."; any error object denies and shows its causes under their
    fields, or "Registration cannot be completed at this time."; on time-out or failure, registration is denied
    with "There was an error creating your account. Please try registering again."."""
    run = fire(scripted[1], path, request_type, timeout=0.3)
    assert run.outcome == registration
    assert run.verdict.failure == failure
    assert texts(run) == shown
    if registration == "ALLOW":
        assert run.verdict.profile["email"] == "pat.doe@example.com" and run.verdict.profile_updates == {}


def test_error_summary_is_kept(scripted):
    run = fire(scripted[1], "/respond/error-without-causes")
    assert run.verdict.error_summary == "Nope."


def test_well_formed_field_error_breaks_no_rule(scripted):
    run = fire(scripted[1], "/respond/deny-with-field-error")
    assert run.verdict.violations == []


def test_timeout_is_retried_once(scripted):
    """Rule: Okta retries once after a timeout."""
    run = fire(scripted[1], "/hang", timeout=0.3)
    assert len(run.exchange.attempts) == 2


def test_error_with_allow_denies_and_ignores_every_command(scripted):
    """Rule: the error wins over every command, ALLOW and profile updates included."""
    run = fire(scripted[1], "/respond/error-with-allow")
    assert run.outcome == "DENY"
    assert run.verdict.profile is None and run.verdict.profile_updates == {}
    paths = [v.path for v in run.verdict.violations]
    assert paths == ["commands[0]", "commands[1]"]
    assert all("vetoes" in v.message for v in run.verdict.violations)


def test_profile_updates_apply_in_order(scripted):
    """Rule: commands run in array order; later values win."""
    run = fire(scripted[1], "/respond/profile-update")
    assert run.outcome == "ALLOW"
    assert run.verdict.profile["nickName"] == "Danger"
    assert run.verdict.profile["lastName"] == "Second"


def test_action_key_instead_of_registration_is_an_invalid_response(scripted):
    """Rule: the value key is `registration` (every Okta example); a wrong key reaches the user as the generic
    error (Okta developer forum)."""
    run = fire(scripted[1], "/respond/action-key")
    assert run.outcome == "DENY" and run.verdict.failure == "invalid_response"
    assert texts(run) == [(None, GENERIC)]
    assert run.verdict.violations[0].path == "commands[0].value.action"


def test_registration_value_must_be_allow_or_deny(scripted):
    run = fire(scripted[1], "/respond/lowercase-deny")
    assert run.verdict.failure == "invalid_response"
    assert run.verdict.violations[0].path == "commands[0].value.registration"


def test_unknown_command_type_is_an_invalid_response(scripted):
    run = fire(scripted[1], "/respond/unknown-command")
    assert run.verdict.failure == "invalid_response"
    assert "unknown command type" in run.verdict.violations[0].message


def test_profile_update_is_invalid_in_a_progressive_profile_response(scripted):
    """Rule: com.okta.user.profile.update is "invalid if used with a Progressive Profile response"."""
    run = fire(scripted[1], "/respond/profile-update", "profile-update")
    assert run.verdict.failure == "invalid_response"
    assert texts(run) == [(None, TEXTS.profile_failed)]


def test_progressive_update_is_invalid_in_a_registration_response(scripted):
    run = fire(scripted[1], "/respond/progressive-in-ssr")
    assert run.verdict.failure == "invalid_response"
    assert run.verdict.violations[0].path == "commands[0].type"


def test_cause_pointing_at_a_field_not_in_the_request(scripted):
    """Rule: Okta shows a cause only under the field its location names (spec RegistrationResponseError); a cause
    at a field the request does not have is not shown, and with none shown the user sees the generic text."""
    run = fire(scripted[1], "/respond/cause-unknown-field")
    assert texts(run) == [(None, "Registration cannot be completed at this time.")]
    assert run.verdict.violations[0].path == "error.errorCauses[0].location"


def test_cause_missing_fields_is_reported_but_still_denies(scripted):
    """A cause without a location is not shown either (spec RegistrationResponseError)."""
    run = fire(scripted[1], "/respond/cause-missing-fields")
    assert run.outcome == "DENY"
    assert texts(run) == [(None, "Registration cannot be completed at this time.")]
    assert {v.path for v in run.verdict.violations} == {
        f"error.errorCauses[0].{k}" for k in ("reason", "locationType", "location", "domain")
    }


def test_debug_context_is_captured(scripted):
    """Rule: debugContext is copied into the System Log event inline_hook.response.processed."""
    run = fire(scripted[1], "/respond/with-debug-context")
    assert run.outcome == "ALLOW" and run.verdict.debug_context == {"checkedBy": "rules-v2"}


def test_wrong_shape_body_is_an_invalid_response(scripted):
    """Okta forum: a body with other keys (statusCode, reason) reached the user as the generic error."""
    run = fire(scripted[1], "/respond/status-code-key")
    assert run.outcome == "DENY" and run.verdict.failure == "invalid_response"
    assert texts(run) == [(None, GENERIC)]
    assert [v.path for v in run.verdict.violations] == ["statusCode", "reason"]


def test_unknown_keys_policy_is_a_setting(scripted):
    request = build_request(seed=3)
    run = run_hook_sync(
        ChannelConfig(scripted[1] + "/respond/status-code-key"),
        REGISTRATION,
        request,
        rules=VerdictRules(unknown_keys_fail=False),
    )
    assert run.outcome == "ALLOW"
    assert not any(v.fatal for v in run.verdict.violations)


def test_end_user_texts_are_a_setting(scripted):
    custom = EndUserTexts(profile_failed="Your profile couldn't be updated at this time. Please try again later.")
    request = build_request("profile-update", seed=1)

    async def go():
        from mock_okta.hook.channel import HookChannel
        from mock_okta.hook.run import run_hook

        async with HookChannel(ChannelConfig(scripted[1] + "/status/502", max_retries=0)) as channel:
            return await run_hook(channel, REGISTRATION, request, rules=VerdictRules(texts=custom))

    run = run_sync(go())
    assert texts(run) == [(None, custom.profile_failed)]
