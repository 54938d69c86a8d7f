"""Page objects for Okta's hosted sign-in page and its Sign up form (Playwright, sync API).

Locators use roles, labels, `name` attributes and texts that the Sign-In Widget's Gen2 and Gen3 markup share,
so the same objects drive the mock's page and a real org's hosted page (okta-signin-widget test page objects).
With `engine="classic"` they drive the Classic Engine (v1) widget instead: its "Create Account" form, with inputs
named after the attributes and a "Register" button, whose outcomes are the "Verification email sent" view or a
banner above the form (okta-signin-widget `test/unit/helpers/dom/RegistrationForm.js`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Locator, Page, Request, expect
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ..hook.settings import Engine

SIGN_UP_TITLE = "Sign up"
CLASSIC_TITLE = "Create Account"
ERROR_BANNER = "We found some errors. Please review the form and make corrections."
# What an accepted sign-up leads to depends on the org's policy; any of these means the hook let it through.
ALLOWED_VIEWS = re.compile(
    r"To finish signing in, check your email\.|Get a verification email|Verify with your email|Set up security methods"
)
# Classic: the activation email view, or (no email verification) the signed-in user's home page.
CLASSIC_ALLOWED_VIEWS = re.compile(r"Verification email sent|You are signed in as")
# The Classic form asks for a password that meets Okta's default policy; one that does, unless a test gives one.
CLASSIC_PASSWORD = "Sunny-Day-2026"


# The primary button of any widget form: Gen2's `<input data-type="save">`, Gen3's `<button data-se="save">`.
SAVE = '[data-type="save"], [data-se="save"]'
EMAIL_VIEW = "Verify with your email"
PASSWORD_VIEW = "Set up password"
PROFILE_UPDATE_VIEW = "Additional Profile information"
# Okta's steps after an accepted sign-up: the email's "Send me an email" first when the policy requires its
# verification, and the list of what is left to set up (okta-signin-widget `authenticator-enroll-email-first.json`,
# `enroll/new/default.json`; the widget's `oie.email.verify.primaryButton`, `oie.select.authenticators.enroll.title`).
SEND_EMAIL = "Send me an email"
SELECT_VIEW = "Set up security methods"


def save(page: Page) -> None:
    page.locator(SAVE).first.click()


def set_up(page: Page, label: str) -> None:
    """ "Set up" on one authenticator of "Set up security methods" (Gen2: the row's button; Gen3: the row is the
    button; okta-signin-widget `test/testcafe/framework/page-objects/SelectAuthenticatorPageObject.js`)."""
    gen2 = page.locator(".authenticator-list .authenticator-row").filter(has_text=label).locator(".select-factor")
    gen3 = page.locator('[data-se="authenticator-button"]').filter(has_text=label)
    gen2.or_(gen3).first.click()


def fill_settled(values: dict[Locator, str]) -> None:
    """Fill these inputs so that each holds its value. The widget moves focus to a view's first field just after it
    renders it; typing in that moment lands in the wrong field. Check every value, and type again where it did."""
    for _ in range(3):
        wrong = [(field, value) for field, value in values.items() if field.input_value() != value]
        if not wrong:
            return
        for field, value in wrong:
            field.fill(value)
    for field, value in values.items():
        expect(field).to_have_value(value)


class SignInPage:
    def __init__(self, page: Page, url: str, *, engine: str = "ie") -> None:
        self.page = page
        self.url = url
        self.engine = engine

    def sign_in(self, username: str, password: str) -> SignedIn:
        """Identify, then the password (Identity Engine); what follows is on the returned object."""
        fill_settled({self.page.locator('input[name="identifier"]'): username})
        save(self.page)
        field = self.page.locator('input[name="credentials.passcode"]')
        expect(field).to_be_visible()
        fill_settled({field: password})
        save(self.page)
        return SignedIn(self.page)

    def expect_message(self, text: str, timeout: float = 10_000) -> None:
        """A message on the sign-in form itself (unknown user, locked account)."""
        expect(self.page.get_by_text(text).first).to_be_visible(timeout=timeout)

    def open(self) -> SignInPage:
        """A fresh sign-in page. The widget resumes the tab's last transaction on a reload (its state handle is in
        the tab's sessionStorage), so that storage is cleared first when this tab was already on the org."""
        if urlsplit(self.page.url).netloc == urlsplit(self.url).netloc:
            self.page.evaluate("() => window.sessionStorage.clear()")
        self.page.goto(self.url)
        expect(self.sign_up_link).to_be_visible()
        return self

    @property
    def sign_up_link(self) -> Locator:
        return self.page.get_by_role("link", name="Sign up")

    def go_to_sign_up(self) -> SignUpForm:
        self.sign_up_link.click()
        form = SignUpForm(self.page, engine=self.engine)
        expect(form.title).to_have_text(form.title_text)
        if self.engine == Engine.CLASSIC:
            # The v1 form renders once /api/v1/registration/form has answered, while the sign-in view slides out;
            # values typed before that slide ends can be lost: wait until the sign-in view is gone.
            expect(form.submit_button).to_be_visible()
            expect(self.page.locator(".primary-auth")).to_have_count(0)
        else:
            # The widget moves focus into the new view just after it renders (Gen2: the first field, Gen3: the
            # heading); typing before that lands in the wrong input.
            self.page.wait_for_function("document.activeElement && document.activeElement !== document.body")
        return form


class SignUpForm:
    def __init__(self, page: Page, *, engine: str = "ie") -> None:
        self.page = page
        self.engine = engine

    @property
    def classic(self) -> bool:
        return self.engine == Engine.CLASSIC

    @property
    def title_text(self) -> str:
        return CLASSIC_TITLE if self.classic else SIGN_UP_TITLE

    @property
    def title(self) -> Locator:
        # The v1 widget slides views: the sign-in form's title lingers a moment beside the registration view's.
        scope = ".registration " if self.classic else ""
        return self.page.locator(f'{scope}[data-se="o-form-head"]')

    @property
    def submit_button(self) -> Locator:
        return self.page.get_by_role("button", name="Register" if self.classic else "Sign Up", exact=True)

    def field(self, attribute: str) -> Locator:
        if self.classic:  # scoped: the sign-in form's own password input lingers while the views slide
            return self.page.locator(f'.registration input[name="{attribute}"]')
        return self.page.locator(f'input[name="userProfile.{attribute}"]')

    def fill(self, **values: str) -> SignUpForm:
        for attribute, value in self._with_password(values).items():
            self.field(attribute).fill(value)
        return self

    def fill_present(self, values: dict[str, str]) -> SignUpForm:
        """Fill the attributes this org's form has (its profile enrollment policy decides which), skip the rest."""
        for attribute, value in self._with_password(values).items():
            if self.field(attribute).count():
                self.field(attribute).fill(value)
        return self

    def _with_password(self, values: dict[str, str]) -> dict[str, str]:
        if self.classic and "password" not in values:
            return {**values, "password": CLASSIC_PASSWORD}
        return values

    def submit(self) -> Outcome:
        # Gen2 cycles the button's value through dots while a slow hook runs: click once, then watch the outcome.
        self.submit_button.click()
        return Outcome(self.page, self)


class Outcome:
    def __init__(self, page: Page, form: SignUpForm) -> None:
        self.page = page
        self.form = form

    def form_errors(self, text: str) -> Locator:
        # Gen2 gives both the error container and the banner role=alert, hence `.first` wherever this is used.
        return self.page.get_by_role("alert").filter(has_text=text)

    def expect_allowed(self, timeout: float = 10_000) -> None:
        views = CLASSIC_ALLOWED_VIEWS if self.form.classic else ALLOWED_VIEWS
        expect(self.page.get_by_text(views).first).to_be_visible(timeout=timeout)
        expect(self.page.get_by_role("heading", name=self.form.title_text, exact=True)).to_have_count(0)
        expect(self.form_errors(ERROR_BANNER)).to_have_count(0)

    def expect_field_error(self, attribute: str, text: str, timeout: float = 10_000) -> None:
        if self.form.classic:
            # The v1 widget shows a hook's cause in the banner above the form, under no field.
            self.expect_form_error(text, timeout)
            return
        field = self.form.field(attribute)
        expect(field).to_have_attribute("aria-invalid", "true", timeout=timeout)
        expect(field).to_have_accessible_description(re.compile(re.escape(text)))
        expect(self.form_errors(ERROR_BANNER).first).to_be_visible()

    def expect_form_error(self, text: str, timeout: float = 10_000) -> None:
        expect(self.form_errors(text).first).to_be_visible(timeout=timeout)

    def email_verification(self) -> EmailVerification:
        """An allowed sign-up on an org whose policy asks for email verification: "Send me an email", then the
        email authenticator's code view."""
        send = self.page.get_by_role("button", name=SEND_EMAIL)
        expect(send.or_(self.page.get_by_text(EMAIL_VIEW)).first).to_be_visible(timeout=10_000)
        if send.count():
            send.click()
        return EmailVerification(self.page).expect_shown()

    def password_enrollment(self) -> PasswordEnrollment:
        """An allowed sign-up on an org that does not verify the email: straight to the password."""
        return PasswordEnrollment(self.page).expect_shown()

    def expect_denied(self, timeout: float = 10_000) -> None:
        """Any denial: the Sign up form stays, with an error, and the user does not get through."""
        expect(self.page.get_by_role("alert").first).to_be_visible(timeout=timeout)
        expect(self.form.title).to_have_text(self.form.title_text)
        views = CLASSIC_ALLOWED_VIEWS if self.form.classic else ALLOWED_VIEWS
        expect(self.page.get_by_text(views)).to_have_count(0)

    def screenshot(self, path: str) -> None:
        self.page.screenshot(path=path, full_page=True)


class EmailVerification:
    """ "Verify with your email": the one-time code from the email (or its magic link, opened elsewhere)."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def expect_shown(self, timeout: float = 10_000) -> EmailVerification:
        expect(self.page.get_by_text(EMAIL_VIEW).first).to_be_visible(timeout=timeout)
        return self

    def enter_code(self, code: str) -> PasswordEnrollment:
        """A sign-up's email step: the password comes next."""
        self._submit(code)
        return PasswordEnrollment(self.page)

    def enter_sign_in_code(self, code: str) -> SignedIn:
        """Sign-in's email challenge (when the policy asks for it): the user is signed in next."""
        self._submit(code)
        return SignedIn(self.page)

    def _submit(self, code: str) -> None:
        instead = self.page.get_by_role("button", name="Enter a verification code instead")
        instead.or_(self.page.get_by_role("link", name="Enter a verification code instead")).first.click()
        fill_settled({self.page.locator('input[name="credentials.passcode"]'): code})
        save(self.page)

    def enter_code_again(self, code: str) -> None:
        """Another code in the code field already shown (after a wrong one), waiting for the answer: the last
        error stays on screen meanwhile, so nothing visible tells the two answers apart. Gen2 ignores a Verify
        clicked within a few tens of milliseconds of showing an error, which no person manages but a test does:
        the click is repeated until the request goes out (an ignored click sends nothing, so none goes twice)."""
        fill_settled({self.page.locator('input[name="credentials.passcode"]'): code})

        def answer(request: Request) -> bool:
            return "/idp/idx/challenge/answer" in request.url

        for attempt in range(5):
            try:
                with self.page.expect_request(answer, timeout=1_000) as sent:
                    save(self.page)
                break
            except PlaywrightTimeoutError:
                if attempt == 4:
                    raise
        response = sent.value.response()
        assert response is not None, "the answer's request got no response"

    def expect_too_many_attempts(self, timeout: float = 10_000) -> None:
        """Okta's operation rate limit refused the code: the widget's `oie.tooManyRequests` text in its error box."""
        expect(self.page.get_by_text("Too many attempts. Try again later.").first).to_be_visible(timeout=timeout)

    def expect_code_error(self, text: str = "Invalid code. Try again.") -> None:
        field = self.page.locator('input[name="credentials.passcode"]')
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile(re.escape(text)))


class PasswordEnrollment:
    """ "Set up password", with the org's password requirements listed."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def expect_shown(self, timeout: float = 10_000) -> PasswordEnrollment:
        """The password view; from "Set up security methods", after "Set up" on the Password."""
        password_view = self.page.get_by_text(PASSWORD_VIEW).first
        listed = self.page.get_by_text(SELECT_VIEW).first
        expect(password_view.or_(listed)).to_be_visible(timeout=timeout)
        if not password_view.is_visible():
            set_up(self.page, "Password")
        expect(password_view).to_be_visible(timeout=timeout)
        return self

    def set_password(self, password: str) -> SignedIn:
        self.expect_shown()
        page = self.page
        fill_settled(
            {
                page.locator('input[name="credentials.passcode"]'): password,
                page.locator('input[name="confirmPassword"]'): password,
            }
        )
        save(page)
        return SignedIn(self.page)


class SignedIn:
    """Where a finished sign-up or sign-in lands: the end page, or progressive profile's form first."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def expect_home(self, login: str, timeout: float = 10_000) -> None:
        expect(self.page.get_by_text(f"You are signed in as {login}")).to_be_visible(timeout=timeout)

    def expect_field_error(self, name: str, text: str, timeout: float = 10_000) -> None:
        field = self.page.locator(f'input[name="{name}"]')
        expect(field).to_have_attribute("aria-invalid", "true", timeout=timeout)
        expect(field).to_have_accessible_description(re.compile(re.escape(text)))

    def email_verification(self) -> EmailVerification:
        """The email challenge a policy of "password + email" asks for after the password."""
        return EmailVerification(self.page).expect_shown()

    def profile_update(self, timeout: float = 10_000) -> ProfileUpdate:
        expect(self.page.get_by_text(PROFILE_UPDATE_VIEW).first).to_be_visible(timeout=timeout)
        return ProfileUpdate(self.page)


class ProfileUpdate:
    """Progressive profile's "Additional Profile information": the attributes the policy now requires."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def field(self, attribute: str) -> Locator:
        return self.page.locator(f'input[name="userProfile.{attribute}"]')

    def submit(self, **values: str) -> SignedIn:
        # After a denied try the widget shows the errors, then redraws the whole form from the answer: a value typed
        # and a click made on the form being replaced are lost. Submit until the widget has sent the form.
        for attempt in range(3):
            fill_settled({self.field(attribute): value for attribute, value in values.items()})
            try:
                with self.page.expect_request("**/idp/idx/enroll/update", timeout=3_000):
                    save(self.page)
                break
            except PlaywrightTimeoutError:
                if attempt == 2:
                    raise
        return SignedIn(self.page)

    def expect_field_error(self, attribute: str, text: str, timeout: float = 10_000) -> None:
        field = self.field(attribute)
        expect(field).to_have_attribute("aria-invalid", "true", timeout=timeout)
        expect(field).to_have_accessible_description(re.compile(re.escape(text)))

    def outcome(self, login: str, timeout: float = 10_000) -> str:
        """What the org answered the submitted form with, as soon as the page shows it: "signed in" (the end page
        for `login`) or "refused" (an error on a field or the form, the form still there)."""
        home = self.page.get_by_text(f"You are signed in as {login}")
        refused = self.page.locator('input[aria-invalid="true"], [role="alert"]')
        expect(home.or_(refused).first).to_be_visible(timeout=timeout)
        return "signed in" if home.is_visible() else "refused"

    def skip(self) -> SignedIn:
        """When every attribute asked is optional: "Skip Profile" (the widget's `oie.enroll.skip.profile`)."""
        skip = self.page.get_by_role("link", name="Skip Profile").or_(
            self.page.get_by_role("button", name="Skip Profile")
        )
        skip.first.click()
        return SignedIn(self.page)


# How long an app's sign-in may take from the org's page to the app's redirect URI.
APP_SIGN_IN_TIMEOUT = 20_000


def browser_sign_in(context: BrowserContext, redirect_uri: str) -> Callable[[str, str, str], str]:
    """An app's sign-in in the browser, for `okta_tokens` and the token cases: `(authorize_url, login, password)` →
    the address the org sends the browser back to (the app's `redirect_uri` with `code` and `state`, or Okta's
    `error`). Each sign-in starts without a session (the context's cookies cleared) in a new tab, opens
    `/v1/authorize`, signs in on the org's own page (the genuine widget: identifier, then password) and reads the
    address of the redirect to the app as the browser requests it: no app needs to listen there (Playwright does not
    route the hops of a redirect, so the request is watched, not intercepted; its code is unused until exchanged)."""

    def back_at_the_app(request: Request) -> bool:
        return request.url.startswith(redirect_uri)

    def sign_in(authorize: str, login: str, password: str) -> str:
        from .tokens import MORE_THAN_A_PASSWORD, OktaTokenError

        context.clear_cookies()
        page = context.new_page()
        landed: list[str] = []
        page.on("request", lambda request: landed.append(request.url) if back_at_the_app(request) else None)
        try:
            try:
                page.goto(authorize)
            except PlaywrightError:
                if not landed:  # the org's own page failed to load, not the app's
                    raise
            if landed:  # an error before sign-in, or a session: the org sent the browser back at once
                return landed[-1]
            try:
                with page.expect_request(back_at_the_app, timeout=APP_SIGN_IN_TIMEOUT) as back:
                    SignInPage(page, page.url).sign_in(login, password)
                return back.value.url
            except (AssertionError, PlaywrightTimeoutError):
                shown = " ".join(page.locator("body").inner_text(timeout=2_000).split())[:300]
                raise OktaTokenError("sign_in", f"{MORE_THAN_A_PASSWORD}; the page shows: {shown}") from None
        finally:
            page.close()

    return sign_in
