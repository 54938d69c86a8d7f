"""Sign Up on a Classic Engine org, through the genuine widget's Classic (v1) bundle: the guide's two cases, what
the end user sees when the hook fails, a duplicate login, and the activation email's link.

The rules come from the widget itself (okta-signin-widget `src/v1/controllers/RegistrationController.js`,
`test/unit/spec/v1/Registration_spec.js`: a cause whose location starts with data.userProfile is shown in the
banner; E0000001 UNIQUE_CONSTRAINT reads "An account with that {0} already exists"; with no activation token the
widget shows "Verification email sent"). On `--okta-target org` they run against the org when `--okta-engine
classic` says it is a Classic one."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mock_okta.testing.pages import SignInPage
from mock_okta.testing.targets import MockTarget, Target

CLASSIC_GENERIC = "Registration cannot be completed at this time"


@pytest.fixture
def classic_sign_in(page: Page, okta_target: Target) -> SignInPage:
    if okta_target.name == "org" and okta_target.engine != "classic":
        pytest.skip("the org is an Identity Engine org: pass --okta-engine classic for a Classic one")
    return SignInPage(page, okta_target.sign_in_url("classic"), engine="classic").open()


@pytest.fixture
def mock_only(okta_target: Target) -> MockTarget:
    if not isinstance(okta_target, MockTarget):
        pytest.skip("reads the mock's mailbox or controls its hook: runs against the mock only")
    return okta_target


@pytest.mark.usefixtures("sample_only")
def test_example_com_address_gets_the_activation_email(classic_sign_in: SignInPage, okta_target: Target):
    """Guide case 1 on Classic: "Verification email sent", a PROVISIONED user, then ACTIVE through the link."""
    email = okta_target.email("example.com")
    classic_sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email).submit().expect_allowed()
    expect(classic_sign_in.page.get_by_text("Verification email sent")).to_be_visible()
    user = okta_target.users.find_user_by_email(email)
    assert user is not None and user["status"] == "PROVISIONED"
    assert {k: user["profile"][k] for k in ("firstName", "lastName", "login")} == {
        "firstName": "Pat",
        "lastName": "Doe",
        "login": email,
    }
    if not isinstance(okta_target, MockTarget):
        return  # a real org's mail cannot be read from here
    (message,) = okta_target.users.mailbox(email)
    assert message["subject"] == "Activate Account" and message["link"] in message["text"]
    classic_sign_in.page.goto(message["link"])
    expect(classic_sign_in.page.get_by_text(f"You are signed in as {email}")).to_be_visible()
    assert okta_target.users.find_user_by_email(email)["status"] == "ACTIVE"


@pytest.mark.usefixtures("sample_only")
def test_other_domain_is_denied_with_the_hooks_text_in_the_banner(classic_sign_in: SignInPage, okta_target: Target):
    """Guide case 2 on Classic: the cause's location starts with data.userProfile, so the banner shows its text."""
    email = okta_target.email("gmail.com")
    outcome = classic_sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email).submit()
    outcome.expect_form_error("Only example.com emails can register.")
    outcome.expect_denied()
    assert okta_target.users.find_user_by_email(email) is None
    if isinstance(okta_target, MockTarget):
        assert okta_target.users.mailbox(email) == []


@pytest.mark.parametrize("hook", ["hang", "http://127.0.0.1:9/registrationHook"], ids=["hook-hangs", "hook-down"])
def test_hook_failure_shows_the_registration_error(
    classic_sign_in: SignInPage, mock_only: MockTarget, hook: str
) -> None:
    """No answer after the retry: Okta answers 400 E0000135 with no causes, and the widget shows its summary."""
    if hook.startswith("http"):
        mock_only.use_hook(hook)
    else:
        mock_only.use_scripted_hook(hook)
        # The rule is what a timeout shows, not how long the deadline is (tests/hook/test_channel.py proves the
        # 3 s): 0.25 s per attempt makes the hang 0.5 s, not 2 s (`restore_hook_under_test` puts Okta's back).
        mock_only.use_deadline(0.25)
    email = mock_only.email("example.com")
    outcome = classic_sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email).submit()
    outcome.expect_form_error(CLASSIC_GENERIC)
    assert mock_only.users.find_user_by_email(email) is None


def test_second_registration_with_the_same_email_is_a_duplicate(
    classic_sign_in: SignInPage, mock_only: MockTarget, page: Page
) -> None:
    """Okta checks the login before the hook: E0000001 UNIQUE_CONSTRAINT, "An account with that Email already
    exists" in the banner (the cause's `location` "Email", okta-signin-widget `test/unit/helpers/xhr/
    ERROR_notUnique.js`, put into `registration.error.userName.notUniqueWithinOrg` by
    `src/v1/controllers/RegistrationController.js`), and the hook is not called again."""
    email = mock_only.email("example.com")
    classic_sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email).submit().expect_allowed()
    calls = mock_only.hook_calls()
    again = SignInPage(page, classic_sign_in.url, engine="classic").open().go_to_sign_up()
    outcome = again.fill(firstName="Pat", lastName="Doe", email=email).submit()
    outcome.expect_form_error("An account with that Email already exists")
    assert mock_only.hook_calls() == calls


@pytest.mark.usefixtures("sample_only")
def test_without_email_verification_the_user_is_signed_in_at_once(
    classic_sign_in: SignInPage, mock_only: MockTarget
) -> None:
    """Activation "active at once": the API returns an activationToken, the widget signs in with it (Authn API),
    and the session lands on the post-registration page."""
    mock_only.org.classic.update({"activation": "NONE"})
    try:
        email = mock_only.email("example.com")
        form = classic_sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email)
        form.submit().expect_allowed()
        expect(classic_sign_in.page.get_by_text(f"You are signed in as {email}")).to_be_visible()
        assert mock_only.users.find_user_by_email(email)["status"] == "ACTIVE"
        assert mock_only.users.mailbox(email) == []
    finally:
        mock_only.org.classic.update({"activation": "EMAIL"})
