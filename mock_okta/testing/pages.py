"""Page objects for Okta's hosted sign-in page and its Sign up form (Playwright, sync API).

Locators use roles, labels, `name` attributes and texts that the Sign-In Widget's Gen2 and Gen3 markup share,
so the same objects drive the mock's page and a real org's hosted page (okta-signin-widget test page objects).
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

SIGN_UP_TITLE = "Sign up"
ERROR_BANNER = "We found some errors. Please review the form and make corrections."
# What an accepted sign-up leads to depends on the org's policy; any of these means the hook let it through.
ALLOWED_VIEWS = re.compile(r"To finish signing in, check your email\.|Verify with your email|Set up security methods")


class SignInPage:
    def __init__(self, page: Page, url: str) -> None:
        self.page = page
        self.url = url

    def open(self) -> SignInPage:
        self.page.goto(self.url)
        expect(self.sign_up_link).to_be_visible()
        return self

    @property
    def sign_up_link(self) -> Locator:
        return self.page.get_by_role("link", name="Sign up")

    def go_to_sign_up(self) -> SignUpForm:
        self.sign_up_link.click()
        form = SignUpForm(self.page)
        expect(form.title).to_have_text(SIGN_UP_TITLE)
        # The widget moves focus into the new view just after it renders (Gen2: the first field, Gen3: the
        # heading); typing before that lands in the wrong input.
        self.page.wait_for_function("document.activeElement && document.activeElement !== document.body")
        return form


class SignUpForm:
    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def title(self) -> Locator:
        return self.page.locator('[data-se="o-form-head"]')

    def field(self, attribute: str) -> Locator:
        return self.page.locator(f'input[name="userProfile.{attribute}"]')

    def fill(self, **values: str) -> SignUpForm:
        for attribute, value in values.items():
            self.field(attribute).fill(value)
        return self

    def fill_present(self, values: dict[str, str]) -> SignUpForm:
        """Fill the attributes this org's form has (its profile enrollment policy decides which), skip the rest."""
        for attribute, value in values.items():
            if self.field(attribute).count():
                self.field(attribute).fill(value)
        return self

    def submit(self) -> Outcome:
        # Gen2 cycles the button's value through dots while a slow hook runs: click once, then watch the outcome.
        self.page.get_by_role("button", name="Sign Up", exact=True).click()
        return Outcome(self.page, self)


class Outcome:
    def __init__(self, page: Page, form: SignUpForm) -> None:
        self.page = page
        self.form = form

    def form_errors(self, text: str) -> Locator:
        # Gen2 gives both the error container and the banner role=alert, hence `.first` wherever this is used.
        return self.page.get_by_role("alert").filter(has_text=text)

    def expect_allowed(self, timeout: float = 10_000) -> None:
        expect(self.page.get_by_text(ALLOWED_VIEWS).first).to_be_visible(timeout=timeout)
        expect(self.page.get_by_role("heading", name=SIGN_UP_TITLE, exact=True)).to_have_count(0)
        expect(self.form_errors(ERROR_BANNER)).to_have_count(0)

    def expect_field_error(self, attribute: str, text: str, timeout: float = 10_000) -> None:
        field = self.form.field(attribute)
        expect(field).to_have_attribute("aria-invalid", "true", timeout=timeout)
        expect(field).to_have_accessible_description(re.compile(re.escape(text)))
        expect(self.form_errors(ERROR_BANNER).first).to_be_visible()

    def expect_form_error(self, text: str, timeout: float = 10_000) -> None:
        expect(self.form_errors(text).first).to_be_visible(timeout=timeout)

    def expect_denied(self, timeout: float = 10_000) -> None:
        """Any denial: the Sign up form stays, with an error, and the user does not get through."""
        expect(self.page.get_by_role("alert").first).to_be_visible(timeout=timeout)
        expect(self.form.title).to_have_text(SIGN_UP_TITLE)
        expect(self.page.get_by_text(ALLOWED_VIEWS)).to_have_count(0)

    def screenshot(self, path: str) -> None:
        self.page.screenshot(path=path, full_page=True)
