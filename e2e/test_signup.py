"""Sign Up through the genuine Okta Sign-In Widget: what the end user sees for each hook outcome.

Each scenario runs on the widget's Gen2 and Gen3; `--okta-target org` runs those that need no control over the
hook against a real org."""

from __future__ import annotations

import pytest

from mock_okta.testing.pages import SignInPage
from mock_okta.testing.targets import Target

GENERIC = "There was an error creating your account. Please try registering again."
# The per-attempt deadline while the scripted hook hangs (the autouse `restore_hook_under_test` puts Okta's back).
HANG_DEADLINE = 0.25


@pytest.mark.usefixtures("sample_only")
def test_example_com_address_is_allowed(sign_in: SignInPage, okta_target: Target):
    """Guide case 1: an example.com address signs up; the user exists with the submitted profile."""
    email = okta_target.email("example.com")
    sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email).submit().expect_allowed()
    user = okta_target.users.find_user_by_email(email)
    assert user is not None
    assert {k: user["profile"][k] for k in ("firstName", "lastName", "email", "login")} == {
        "firstName": "Pat",
        "lastName": "Doe",
        "email": email,
        "login": email,
    }


@pytest.mark.usefixtures("sample_only")
def test_other_domain_is_denied_under_email(sign_in: SignInPage, okta_target: Target):
    """Guide case 2, and Okta's rule: an errorCause at data.userProfile.email shows under the Email field."""
    email = okta_target.email("gmail.com")
    outcome = sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email).submit()
    outcome.expect_field_error("email", "Only example.com emails can register.")
    assert okta_target.users.find_user_by_email(email) is None


@pytest.mark.parametrize(
    ("hook", "shown"),
    [
        # Rule: on timeout, or with no valid response after the retry, Okta shows the generic error.
        pytest.param("hang", GENERIC, id="hook-hangs"),
        pytest.param("http://127.0.0.1:9/registrationHook", GENERIC, id="hook-down"),
        # Rule: DENY without an error object → "Registration denied.".
        pytest.param("respond/deny-without-error", "Registration denied.", id="deny-without-error"),
        # Rule: an error without errorCauses → "Registration cannot be completed at this time.".
        pytest.param("respond/error-without-causes", "Registration cannot be completed at this time.", id="no-causes"),
    ],
)
def test_hook_outcome_shown_above_the_form(sign_in: SignInPage, okta_target: Target, hook: str, shown: str):
    if hook.startswith("http"):
        okta_target.use_hook(hook)
    else:
        okta_target.use_scripted_hook(hook)
    if hook == "hang":
        # The rule is what a timeout shows, not how long the deadline is (tests/hook/test_channel.py proves the
        # 3 s): a deadline of HANG_DEADLINE makes the two attempts 0.5 s, not 2 s.
        okta_target.use_deadline(HANG_DEADLINE)
    email = okta_target.email("example.com")
    sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email).submit().expect_form_error(shown)
    assert okta_target.users.find_user_by_email(email) is None


def test_hook_profile_update_is_applied_to_the_new_user(sign_in: SignInPage, okta_target: Target):
    """Rule: com.okta.user.profile.update commands run in order before the user is created."""
    okta_target.use_scripted_hook("respond/profile-update")
    email = okta_target.email("example.com")
    sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email).submit().expect_allowed()
    user = okta_target.users.find_user_by_email(email)
    assert user is not None
    assert user["profile"]["lastName"] == "Second" and user["profile"]["nickName"] == "Danger"


def test_empty_required_field_never_reaches_the_hook(sign_in: SignInPage, okta_target: Target):
    """Okta validates the form before it calls the hook: a blank required field is a field error."""
    before = okta_target.hook_calls()
    email = okta_target.email("example.com")
    form = sign_in.go_to_sign_up().fill(firstName="Pat", email=email)
    outcome = form.submit()
    outcome.expect_field_error("lastName", "This field cannot be left blank")
    assert okta_target.hook_calls() == before
    assert okta_target.users.find_user_by_email(email) is None


@pytest.mark.usefixtures("sample_only")
@pytest.mark.parametrize("widget", ["gen2"], indirect=True)
def test_second_sign_up_with_the_same_email_is_a_duplicate(sign_in: SignInPage, okta_target: Target, page):
    email = okta_target.email("example.com")
    sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email).submit().expect_allowed()
    again = SignInPage(page, sign_in.url).open().go_to_sign_up()
    again.fill(firstName="Pat", lastName="Doe", email=email).submit().expect_field_error(
        "email", "A user with this Email already exists"
    )
