"""Okta's decision table for registration hook responses (Registration hook reference, §2.3 of our contract
notes), each row against a real server on loopback."""

from __future__ import annotations

import pytest

from mock_okta.hook.channel import ChannelConfig
from mock_okta.hook.payloads import build_request
from mock_okta.hook.run import HookRun, run_hook_sync, run_sync
from mock_okta.hook.verdict import EndUserTexts, VerdictRules

TEXTS = EndUserTexts()
GENERIC = "There was an error creating your account. Please try registering again."


def fire(base: str, path: str, request_type: str = "registration", **settings: object) -> HookRun:
    request = build_request(request_type, seed=3, email="pat.doe@example.com")
    return run_hook_sync(ChannelConfig(base + path, **settings), request)


def texts(run: HookRun) -> list[tuple[str | None, str]]:
    return [(m.field, m.text) for m in run.verdict.messages]


@pytest.mark.parametrize("name", ["allow", "empty-object", "empty-commands"])
def test_200_without_deny_or_error_allows(scripted, name):
    """Rule: ALLOW is the default; a 200 with no DENY and no error lets the registration through."""
    run = fire(scripted[1], f"/respond/{name}")
    assert run.registration == "ALLOW"
    assert run.verdict.messages == []
    assert run.verdict.profile["email"] == "pat.doe@example.com"


def test_204_allows_without_changes(scripted):
    """Rule: 204 No Content = allow registration to proceed without any update."""
    run = fire(scripted[1], "/nocontent")
    assert run.registration == "ALLOW" and run.verdict.profile_updates == {}


def test_deny_without_error_shows_registration_denied(scripted):
    """Rule: DENY with no error object → "Registration denied."."""
    run = fire(scripted[1], "/respond/deny-without-error")
    assert run.registration == "DENY"
    assert texts(run) == [(None, "Registration denied.")]


def test_deny_without_error_in_progressive_profile(scripted):
    """Rule: in progressive profile the text is "Profile update denied."."""
    run = fire(scripted[1], "/respond/deny-without-error", "profile-update")
    assert texts(run) == [(None, "Profile update denied.")]


def test_error_without_causes_shows_cannot_be_completed(scripted):
    """Rule: an error object without errorCauses → "Registration cannot be completed at this time."."""
    run = fire(scripted[1], "/respond/error-without-causes")
    assert run.registration == "DENY"
    assert texts(run) == [(None, "Registration cannot be completed at this time.")]
    assert run.verdict.error_summary == "Nope."


def test_error_without_causes_in_progressive_profile(scripted):
    run = fire(scripted[1], "/respond/error-without-causes", "profile-update")
    assert texts(run) == [(None, "We found some errors. Please review the form and make corrections.")]


def test_empty_error_object_still_denies(scripted):
    """Rule: any error object at all, even {}, denies the registration."""
    run = fire(scripted[1], "/respond/error-empty")
    assert run.registration == "DENY"
    assert texts(run) == [(None, "Registration cannot be completed at this time.")]


def test_error_cause_shows_under_its_field(scripted):
    """Rule: an errorCause whose location is data.userProfile.<attr> shows next to that field."""
    run = fire(scripted[1], "/respond/deny-with-field-error")
    assert run.registration == "DENY"
    assert texts(run) == [("email", "Only example.com emails can register.")]
    assert run.verdict.violations == []


def test_error_with_allow_denies_and_ignores_every_command(scripted):
    """Rule: the error wins over every command, ALLOW and profile updates included."""
    run = fire(scripted[1], "/respond/error-with-allow")
    assert run.registration == "DENY"
    assert run.verdict.profile is None and run.verdict.profile_updates == {}
    paths = [v.path for v in run.verdict.violations]
    assert paths == ["commands[0]", "commands[1]"]
    assert all("vetoes" in v.message for v in run.verdict.violations)


def test_profile_updates_apply_in_order(scripted):
    """Rule: commands run in array order; later values win."""
    run = fire(scripted[1], "/respond/profile-update")
    assert run.registration == "ALLOW"
    assert run.verdict.profile["nickName"] == "Danger"
    assert run.verdict.profile["lastName"] == "Second"


def test_action_key_instead_of_registration_is_an_invalid_response(scripted):
    """Rule: the value key is `registration` (every Okta example); a wrong key reaches the user as the generic
    error (Okta developer forum)."""
    run = fire(scripted[1], "/respond/action-key")
    assert run.registration == "DENY" and run.verdict.failure == "invalid_response"
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
    """Rule: point `location` at a field that is on the form, or the text cannot show under a field."""
    run = fire(scripted[1], "/respond/cause-unknown-field")
    assert texts(run) == [(None, "Only example.com emails can register.")]
    assert run.verdict.violations[0].path == "error.errorCauses[0].location"


def test_cause_missing_fields_is_reported_but_still_denies(scripted):
    run = fire(scripted[1], "/respond/cause-missing-fields")
    assert run.registration == "DENY"
    assert texts(run) == [(None, "Bad address.")]
    assert {v.path for v in run.verdict.violations} == {
        f"error.errorCauses[0].{k}" for k in ("reason", "locationType", "location", "domain")
    }


def test_debug_context_is_captured(scripted):
    """Rule: debugContext is copied into the System Log event inline_hook.response.processed."""
    run = fire(scripted[1], "/respond/with-debug-context")
    assert run.registration == "ALLOW" and run.verdict.debug_context == {"checkedBy": "rules-v2"}


def test_wrong_shape_body_is_an_invalid_response(scripted):
    """Okta forum: a body with other keys (statusCode, reason) reached the user as the generic error."""
    run = fire(scripted[1], "/respond/status-code-key")
    assert run.registration == "DENY" and run.verdict.failure == "invalid_response"
    assert texts(run) == [(None, GENERIC)]
    assert [v.path for v in run.verdict.violations] == ["statusCode", "reason"]


def test_unknown_keys_policy_is_a_setting(scripted):
    request = build_request(seed=3)
    run = run_hook_sync(
        ChannelConfig(scripted[1] + "/respond/status-code-key"),
        request,
        rules=VerdictRules(unknown_keys_fail=False),
    )
    assert run.registration == "ALLOW"
    assert not any(v.fatal for v in run.verdict.violations)


@pytest.mark.parametrize(
    ("path", "failure"),
    [
        ("/text", "invalid_response"),
        ("/empty200", "invalid_response"),
        ("/respond/array", "invalid_response"),
        ("/status/500", "http_status"),
        ("/status/400", "http_status"),
        ("/redirect", "redirect"),
        ("/big", "too_large"),
    ],
)
def test_no_valid_response_denies_with_the_generic_error(scripted, path, failure):
    """Rule: on time-out or failure, registration is denied with "There was an error creating your account.
    Please try registering again."."""
    run = fire(scripted[1], path)
    assert run.registration == "DENY" and run.verdict.failure == failure
    assert texts(run) == [(None, GENERIC)]


def test_timeout_denies_with_the_generic_error(scripted):
    run = fire(scripted[1], "/hang", timeout=0.3)
    assert run.verdict.failure == "timeout" and texts(run) == [(None, GENERIC)]
    assert len(run.exchange.attempts) == 2


def test_progressive_profile_failure_text(scripted):
    run = fire(scripted[1], "/hang", "profile-update", timeout=0.2, max_retries=0)
    assert texts(run) == [(None, "There was an error updating your profile. Please try again later.")]


def test_end_user_texts_are_a_setting(scripted):
    custom = EndUserTexts(profile_failed="Your profile couldn't be updated at this time. Please try again later.")
    request = build_request("profile-update", seed=1)

    async def go():
        from mock_okta.hook.channel import HookChannel
        from mock_okta.hook.run import run_hook

        async with HookChannel(ChannelConfig(scripted[1] + "/status/502", max_retries=0)) as channel:
            return await run_hook(channel, request, rules=VerdictRules(texts=custom))

    run = run_sync(go())
    assert texts(run) == [(None, custom.profile_failed)]
