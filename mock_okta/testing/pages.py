"""Page objects for Okta's hosted sign-in page and its Sign up form (Playwright, sync API).

Locators use roles, labels, `name` attributes and texts that the Sign-In Widget's Gen2 and Gen3 markup share,
so the same objects drive the mock's page and a real org's hosted page (okta-signin-widget test page objects).
With `engine="classic"` they drive the Classic Engine (v1) widget instead: its "Create Account" form, with inputs
named after the attributes and a "Register" button, whose outcomes are the "Verification email sent" view or a
banner above the form (okta-signin-widget `test/unit/helpers/dom/RegistrationForm.js`).
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

SIGN_UP_TITLE = "Sign up"
CLASSIC_TITLE = "Create Account"
ERROR_BANNER = "We found some errors. Please review the form and make corrections."
# What an accepted sign-up leads to depends on the org's policy; any of these means the hook let it through.
ALLOWED_VIEWS = re.compile(r"To finish signing in, check your email\.|Verify with your email|Set up security methods")
# Classic: the activation email view, or (no email verification) the signed-in user's home page.
CLASSIC_ALLOWED_VIEWS = re.compile(r"Verification email sent|You are signed in as")
# The Classic form asks for a password that meets Okta's default policy; one that does, unless a test gives one.
CLASSIC_PASSWORD = "Sunny-Day-2026"


class SignInPage:
    def __init__(self, page: Page, url: str, *, engine: str = "ie") -> None:
        self.page = page
        self.url = url
        self.engine = engine

    def open(self) -> SignInPage:
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
        if self.engine == "classic":
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
        return self.engine == "classic"

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

    def expect_denied(self, timeout: float = 10_000) -> None:
        """Any denial: the Sign up form stays, with an error, and the user does not get through."""
        expect(self.page.get_by_role("alert").first).to_be_visible(timeout=timeout)
        expect(self.form.title).to_have_text(self.form.title_text)
        views = CLASSIC_ALLOWED_VIEWS if self.form.classic else ALLOWED_VIEWS
        expect(self.page.get_by_text(views)).to_have_count(0)

    def screenshot(self, path: str) -> None:
        self.page.screenshot(path=path, full_page=True)
