"""The whole Identity Engine journey through the genuine widget, Gen2 and Gen3: sign up, verify the email with the
code from the mailbox (or its magic link), set a password, land signed in; sign in again; and progressive profile,
where a newly required attribute is asked at sign-in and the registration hook judges it.

Needs the mock's mailbox and control over its policy: runs against the mock only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from playwright.sync_api import Page, expect

from mock_okta.org.models import ProfileAttribute, ProgressiveProfiling
from mock_okta.org.store import DEFAULT_ATTRIBUTES
from mock_okta.testing.pages import EmailVerification, PasswordEnrollment, SignInPage
from mock_okta.testing.targets import MockTarget, Target

PASSWORD = "Sunny-Day-2026"


@pytest.fixture
def mock(okta_target: Target) -> MockTarget:
    if not isinstance(okta_target, MockTarget):
        pytest.skip("reads the mock's mailbox and changes its policy: runs against the mock only")
    return okta_target


def the_code(target: MockTarget, email: str) -> str:
    code = target.users.mailbox(email)[-1]["code"]
    assert code, f"no code in the email to {email}"
    return str(code)


@pytest.mark.usefixtures("sample_only")
def test_sign_up_verify_the_email_set_a_password_and_land_signed_in(sign_in: SignInPage, mock: MockTarget):
    email = mock.email("example.com")
    outcome = sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email).submit()
    verification = outcome.email_verification()
    assert mock.users.find_user_by_email(email)["status"] == "PROVISIONED"
    verification.enter_code(the_code(mock, email)).set_password(PASSWORD).expect_home(email)
    assert mock.users.find_user_by_email(email)["status"] == "ACTIVE"


@pytest.mark.usefixtures("sample_only")
def test_the_magic_link_in_the_same_browser_sends_back_to_the_first_tab(
    sign_in: SignInPage, mock: MockTarget, page: Page
):
    """Issue 20 row 3: the link, opened in another tab of the same browser while the first one waits, verifies the
    address and says to return to the original tab (okta-signin-widget `playground/mocks/data/idp/idx/
    terminal-return-email.json`, "Success! Return to the original tab or window" in its testcafe
    ChallengeAuthenticatorEmail_spec.js); the first tab moves on. This test used to open the link in the first tab
    and continue the sign-up there."""
    email = mock.email("example.com")
    sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email).submit().email_verification()
    tab = page.context.new_page()
    try:
        tab.goto(mock.users.mailbox(email)[-1]["link"])
        expect(tab.get_by_text("Return to the original tab or window").first).to_be_visible(timeout=10_000)
    finally:
        tab.close()
    PasswordEnrollment(page).set_password(PASSWORD).expect_home(email)


@pytest.mark.usefixtures("sample_only")
@pytest.mark.parametrize("widget", ["gen2"], indirect=True)
def test_the_magic_link_in_another_browser_shows_the_code(sign_in: SignInPage, mock: MockTarget, page: Page):
    """Row 3: another browser does not verify; it shows the code to enter in the original one (okta-signin-widget
    `playground/mocks/data/idp/idx/terminal-return-otp-only-full-location-mobile-icon-enrollment.json`, the widget's
    "Enter this code on the sign up page."; okta-developer-docs `guides/email-magic-links-overview`)."""
    email = mock.email("example.com")
    sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email).submit().email_verification()
    code = the_code(mock, email)
    browser = page.context.browser
    assert browser is not None
    elsewhere = browser.new_context()
    try:
        other = elsewhere.new_page()
        other.goto(mock.users.mailbox(email)[-1]["link"])
        expect(other.get_by_text("Enter this code on the sign up page.").first).to_be_visible(timeout=10_000)
        expect(other.get_by_text(code).first).to_be_visible()
    finally:
        elsewhere.close()
    assert mock.users.find_user_by_email(email)["status"] == "PROVISIONED"
    EmailVerification(page).enter_code(code).set_password(PASSWORD).expect_home(email)


@pytest.mark.usefixtures("sample_only")
@pytest.mark.parametrize("widget", ["gen2"], indirect=True)
def test_a_wrong_code_is_refused_and_past_five_tries_even_the_right_one(sign_in: SignInPage, mock: MockTarget):
    """Issue 21 row 5: five wrong codes, then the right one is refused too: the mock's 429 (the widget's fixture
    error-429-too-many-request-operation-ratelimit.json) shows as the widget's own "Too many attempts. Try again
    later." (its login.properties `oie.tooManyRequests`; its testcafe ChallengeAuthenticatorEmail_spec.js "challenge
    email authenticator with too many invalid OTP")."""
    email = mock.email("example.com")
    sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email).submit().email_verification()
    code = the_code(mock, email)
    wrong = [c for c in ("000000", "000001", "000002", "000003", "000004", "000005") if c != code][:5]
    verification = EmailVerification(sign_in.page)
    verification.enter_code(wrong[0])
    verification.expect_code_error()
    for another in wrong[1:]:
        verification.enter_code_again(another)
        verification.expect_code_error()
    verification.enter_code_again(code)
    verification.expect_too_many_attempts()
    assert mock.users.find_user_by_email(email)["status"] == "PROVISIONED"


@pytest.mark.usefixtures("sample_only")
def test_a_denied_sign_up_sends_nothing_and_creates_no_one(sign_in: SignInPage, mock: MockTarget):
    email = mock.email("gmail.com")
    outcome = sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email).submit()
    outcome.expect_field_error("email", "Only example.com emails can register.")
    assert mock.users.find_user_by_email(email) is None
    assert mock.users.mailbox(email) == []


def api_user(target: MockTarget, email: str) -> None:
    profile = {"firstName": "Bo", "lastName": "Ng", "email": email, "login": email}
    target.users.json(
        "POST", "/api/v1/users", json={"profile": profile, "credentials": {"password": {"value": PASSWORD}}}
    )


def test_sign_in_with_the_password_and_okta_texts(sign_in: SignInPage, mock: MockTarget, page: Page):
    email = mock.email("example.com")
    api_user(mock, email)
    unknown = mock.email("example.com")
    page.locator('input[name="identifier"]').fill(unknown)
    page.locator('[data-type="save"], [data-se="save"]').first.click()
    sign_in.expect_message(f"There is no account with the Username {unknown}.")
    again = SignInPage(page, sign_in.url, engine=sign_in.engine).open()
    # The form's message, not the field's (okta-signin-widget playground/mocks/data/idp/idx/
    # error-authenticator-verify-password.json).
    again.sign_in(email, "Wrong-Pass-1")
    again.expect_message("Password is incorrect")
    SignInPage(page, sign_in.url, engine=sign_in.engine).open().sign_in(email, PASSWORD).expect_home(email)


@pytest.fixture
def employee_number_required(mock: MockTarget) -> Iterator[None]:
    """The guide's progressive profile case: the policy now requires employeeNumber, progressive profiling on."""
    store = mock.org.store
    before = store.policy()
    attributes = (*DEFAULT_ATTRIBUTES, ProfileAttribute("employeeNumber", "Employee number", True))
    store.update_policy(
        profile_attributes=attributes, rule=replace(before.rule, progressive_profiling=ProgressiveProfiling.ENABLED)
    )
    yield
    store.update_policy(profile_attributes=before.profile_attributes, rule=before.rule)


@pytest.mark.usefixtures("sample_only", "employee_number_required")
def test_progressive_profile_asks_for_the_employee_number_and_the_hook_judges_it(sign_in: SignInPage, mock: MockTarget):
    email = mock.email("example.com")
    api_user(mock, email)
    update = sign_in.sign_in(email, PASSWORD).profile_update()
    update.submit(employeeNumber="12")
    update.expect_field_error("employeeNumber", "Employee numbers must have 4 digits.")
    assert "employeeNumber" not in mock.users.find_user_by_email(email)["profile"]
    update.submit(employeeNumber="1234").expect_home(email)
    assert mock.users.find_user_by_email(email)["profile"]["employeeNumber"] == "1234"


@pytest.fixture
def password_and_email(mock: MockTarget) -> Iterator[None]:
    """An authentication policy of password + email: sign-in asks for the email code after the password."""
    mock.org.settings.sign_in_email_challenge = True
    yield
    mock.org.settings.sign_in_email_challenge = False


@pytest.mark.usefixtures("password_and_email")
def test_sign_in_with_the_password_then_the_email_code(sign_in: SignInPage, mock: MockTarget):
    email = mock.email("example.com")
    api_user(mock, email)
    verification = sign_in.sign_in(email, PASSWORD).email_verification()
    verification.enter_sign_in_code(the_code(mock, email)).expect_home(email)


@pytest.fixture
def employee_number_optional(mock: MockTarget) -> Iterator[None]:
    store = mock.org.store
    before = store.policy()
    attributes = (*DEFAULT_ATTRIBUTES, ProfileAttribute("employeeNumber", "Employee number", False))
    store.update_policy(
        profile_attributes=attributes, rule=replace(before.rule, progressive_profiling=ProgressiveProfiling.ENABLED)
    )
    yield
    store.update_policy(profile_attributes=before.profile_attributes, rule=before.rule)


@pytest.mark.usefixtures("employee_number_optional")
def test_an_optional_attribute_is_asked_and_can_be_skipped(sign_in: SignInPage, mock: MockTarget):
    """Issue 20 row 12: an all-optional progressive profile form has a skip (okta-signin-widget
    `playground/mocks/data/idp/idx/enroll-profile-update-all-optional-params.json`), the widget's "Skip Profile"."""
    email = mock.email("example.com")
    api_user(mock, email)
    sign_in.sign_in(email, PASSWORD).profile_update().skip().expect_home(email)
    assert "employeeNumber" not in mock.users.find_user_by_email(email)["profile"]
