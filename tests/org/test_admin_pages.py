"""The admin pages in a real browser: add a hook, preview a denied and an allowed user, read the journal."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from mock_okta.hooktypes import REGISTRATION
from mock_okta.org.models import HeaderAuthScheme, HookStatus, UserStatus

# The browser scenarios' tab, shared by the module's tests and left blank between them (its cookies and
# sessionStorage cleared, other tabs closed): a new browser context per test, pytest-playwright's `page`, starts a
# renderer process each time, which was most of this module's time.
from mock_okta.testing.signup_cases import page, shared_context, shared_tab

__all__ = ["page", "shared_context", "shared_tab"]


@pytest.fixture(autouse=True)
def same_window_size(page: Page) -> Iterator[None]:
    """A test may resize the shared tab's window (the journal's 1280 px check): the next one gets the usual size."""
    size = page.viewport_size
    yield
    if size is not None and page.viewport_size != size:
        page.set_viewport_size(size)


def test_add_hook_preview_and_journal(page: Page, okta_org, sample_hook):
    key, secret = sample_hook.auth_header.split(": ", 1)
    page.goto(okta_org.url + "/admin")
    page.get_by_role("link", name="Add Inline Hook").click()
    page.get_by_label("Name").fill("Guide hook")
    page.get_by_label("URL", exact=True).fill(sample_hook.hook_url)
    page.get_by_label("Authentication field").fill(key)
    page.get_by_label("Authentication secret").fill(secret)
    page.get_by_label("Custom headers").fill("X-Other-Header: from-admin")
    page.get_by_role("button", name="Save").click()

    row = page.get_by_role("row").filter(has_text="Guide hook")
    expect(row).to_contain_text("ACTIVE")
    expect(row).to_contain_text("attached to the profile enrollment policy")
    [hook] = okta_org.org.store.inline_hooks()
    assert hook.channel.auth_scheme == HeaderAuthScheme(key, secret)
    assert okta_org.org.store.policy().inline_hook_id == hook.id

    okta_org.org.store.create_user(
        {"login": "pat@gmail.com", "email": "pat@gmail.com", "firstName": "Pat", "lastName": "Doe"}, UserStatus.ACTIVE
    )
    row.get_by_role("link", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview: Guide hook")).to_be_visible()

    # An existing user from another domain is denied ...
    page.get_by_label("data.userProfile").select_option(label="pat@gmail.com")
    page.get_by_role("button", name="Generate Request").click()
    expect(page.get_by_label("Request (editable JSON)")).to_have_value(re.compile(r'"email": "pat@gmail.com"'))
    page.get_by_role("button", name="View Response").click()
    expect(page.locator("#status")).to_have_text("HTTP 200")
    expect(page.locator("#response")).to_contain_text("INVALID_EMAIL_DOMAIN")
    verdict = page.locator("#verdict")
    expect(verdict.locator(".DENY")).to_have_text("DENY")
    expect(verdict).to_contain_text("Only example.com emails can register. — under email")

    # ... and after editing the generated request to an example.com address, allowed.
    page.get_by_label("data.userProfile").select_option(label="A generated user (faker)")
    page.get_by_role("button", name="Generate Request").click()
    request = page.get_by_label("Request (editable JSON)")
    expect(request).to_have_value(re.compile("self.service.registration"))
    edited = re.sub(r'"email": "[^"]+"', '"email": "kim@example.com"', request.input_value())
    request.fill(edited)
    page.get_by_role("button", name="View Response").click()
    expect(verdict.locator(".ALLOW")).to_have_text("ALLOW")
    expect(verdict).to_contain_text("none")

    # Broken JSON is reported plainly, without calling the hook.
    request.fill("{ not json")
    page.get_by_role("button", name="View Response").click()
    expect(page.get_by_role("alert")).to_contain_text("not valid JSON")
    assert len(okta_org.org.store.hook_calls()) == 2

    page.get_by_role("link", name="Journal").click()
    rows = page.get_by_role("row")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("kim@example.com")
    expect(rows.nth(1)).to_contain_text("ALLOW")
    expect(rows.nth(2)).to_contain_text("pat@gmail.com")
    expect(rows.nth(2)).to_contain_text("DENY")


def test_add_hook_form_shows_errors_plainly(page: Page, okta_org):
    page.goto(okta_org.url + "/admin/inline-hooks/new")
    page.get_by_label("Name").fill("Plain http")
    page.get_by_label("URL", exact=True).fill("http://hooks.example.com/registrationHook")
    page.get_by_label("Authentication secret").fill("s3cret")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("https")
    expect(page.get_by_label("Name")).to_have_value("Plain http")
    assert okta_org.org.store.inline_hooks() == []


def test_edit_keeps_secret_and_lifecycle_buttons(page: Page, okta_org, scripted):
    page.goto(okta_org.url + "/admin/inline-hooks/new")
    page.get_by_label("Name").fill("Scripted")
    page.get_by_label("URL", exact=True).fill(scripted[1] + "/respond/allow")
    page.get_by_label("Authentication secret").fill("keep-me")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Name").fill("Scripted v2")
    page.get_by_role("button", name="Save").click()
    [hook] = okta_org.org.store.inline_hooks()
    long_name = "x" * 600  # a long, unbroken value: the journal must wrap it, not widen the page
    body = REGISTRATION.build_request()
    body["data"]["userProfile"]["firstName"] = long_name
    execute = f"{okta_org.url}/api/v1/inlineHooks/{hook.id}/execute"
    assert httpx.post(execute, json=body, headers=okta_org.api_headers).status_code == 200
    row = page.get_by_role("row").filter(has_text="Scripted v2")
    row.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("row").filter(has_text="Scripted v2")).to_contain_text("INACTIVE")
    [hook] = okta_org.org.store.inline_hooks()
    assert hook.status == HookStatus.INACTIVE
    assert hook.channel.auth_scheme.value == "keep-me"
    page.get_by_role("row").filter(has_text="Scripted v2").get_by_role("button", name="Delete").click()
    expect(page.get_by_text("No inline hooks yet.")).to_be_visible()

    # Issue 19 item 11: the journal names a deleted hook by the name it had, and fits a 1280 px window even with an
    # exchange opened.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name="Journal").click()
    row = page.get_by_role("row").nth(1)
    expect(row).to_contain_text("Scripted v2")
    row.get_by_text("Exchange").click()
    expect(row.locator("pre")).to_contain_text(long_name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_profile_editor_adds_and_removes_a_custom_attribute(page: Page, okta_org):
    """The guide's Profile Editor step: a custom attribute added here is in the user schema the API serves."""
    page.goto(okta_org.url + "/admin/profile-editor")
    expect(page.get_by_role("row").filter(has_text="employeeNumber")).to_contain_text("Base")
    page.get_by_label("Display name").fill("Favorite color")
    page.get_by_label("Variable name").fill("favoriteColor")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row").filter(has_text="favoriteColor")).to_contain_text("Custom")
    assert "favoriteColor" in okta_org.org.user_schema.names()
    page.get_by_label("Variable name").fill("1bad")
    page.get_by_label("Display name").fill("Bad")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("variable name")
    page.get_by_role("button", name="Delete favoriteColor").click()
    expect(page.get_by_role("row").filter(has_text="favoriteColor")).to_have_count(0)
    assert "favoriteColor" not in okta_org.org.user_schema.names()


def test_self_service_registration_page_sets_the_extension_and_the_form(page: Page, okta_org, sample_hook):
    """Directory > Self-Service Registration of a Classic org: the Extension, the form's fields and order, the
    activation requirement; the form API serves what was saved, and a form without a password is refused."""
    hook = okta_org.org.inline_hooks.create_and_attach("Guide hook", sample_hook.hook_url, sample_hook.auth_header)
    okta_org.org.inline_hooks.detach()
    page.goto(okta_org.url + "/admin/self-service-registration")
    page.get_by_label("Extension (registration inline hook)").select_option(label="Guide hook")
    page.get_by_label("First name", exact=True).fill("")
    page.get_by_label("Nickname", exact=True).fill("3")
    page.get_by_label("Nickname required").check()
    page.get_by_label("Activation requirements: user must verify email address to be activated").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Self-Service Registration")).to_be_visible()
    setting = okta_org.org.classic.setting()
    assert setting.inline_hook_id == hook.id and setting.activation.value == "NONE"
    schema = okta_org.org.classic.form()["profileSchema"]
    assert schema["fieldOrder"] == ["email", "password", "nickName", "lastName"]
    assert "nickName" in schema["required"] and "firstName" not in schema["properties"]

    page.get_by_label("Password", exact=True).fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("'password' must be on the form and required")
    assert okta_org.org.classic.form()["profileSchema"]["fieldOrder"] == ["email", "password", "nickName", "lastName"]


def test_preview_generates_a_classic_request(page: Page, okta_org, sample_hook):
    hook = okta_org.org.inline_hooks.create_and_attach("Guide hook", sample_hook.hook_url, sample_hook.auth_header)
    page.goto(f"{okta_org.url}/admin/inline-hooks/{hook.id}/preview")
    page.get_by_label("Engine").select_option(label="Classic Engine (no requestType)")
    page.get_by_role("button", name="Generate Request").click()
    request = page.get_by_label("Request (editable JSON)")
    expect(request).to_have_value(re.compile(r'"action": null'))
    expect(request).not_to_have_value(re.compile("requestType"))
    page.get_by_label("requestType").select_option(label="Progressive Profile")
    page.get_by_role("button", name="Generate Request").click()
    expect(page.get_by_role("alert")).to_contain_text("no progressive profile")


def test_add_an_oauth_hook_with_a_hook_key_and_preview_it(page: Page, okta_org):
    """Authentication type OAuth 2.0 (private key): a key made on Hook Keys, the client registered with its public
    key on the default authorization server; Preview then reaches the hook with a Bearer token."""
    from hook_under_test import HookSettings
    from hook_under_test.running import serve_sample_hook

    issuer = okta_org.url + "/oauth2/default"
    with serve_sample_hook(HookSettings.build(oauth_issuer=issuer, oauth_scope="okta.hooks")) as hook:
        page.goto(okta_org.url + "/admin/hook-keys")
        page.get_by_label("Name").fill("Signing key")
        page.get_by_role("button", name="Create key").click()
        [key] = okta_org.org.hook_keys.all()
        expect(page.get_by_role("row").filter(has_text="Signing key")).to_contain_text(key.key_id)
        client, _ = okta_org.org.custom_authorization_server.register(
            {"name": "hook", "tokenEndpointAuthMethod": "private_key_jwt", "scopes": ["okta.hooks"]},
            {k: v for k, v in key.public_jwk.items() if v is not None and k != "alg"},
        )

        page.goto(okta_org.url + "/admin/inline-hooks/new")
        page.get_by_label("Name").fill("OAuth hook")
        page.get_by_label("URL", exact=True).fill(hook.hook_url)
        page.get_by_label("Authentication type").select_option(label="OAuth 2.0: private key")
        page.get_by_label("Client ID").fill(client.client_id)
        page.get_by_label("Key", exact=True).select_option(label=f"Signing key ({key.id})")
        page.get_by_label("Token URL").fill(issuer + "/v1/token")
        page.get_by_label("Scope").fill("okta.hooks")
        page.get_by_role("button", name="Save").click()
        row = page.get_by_role("row").filter(has_text="OAuth hook")
        expect(row).to_contain_text("ACTIVE")
        [stored] = okta_org.org.store.inline_hooks()
        assert stored.channel.type == "OAUTH" and stored.channel.oauth.hook_key_id == key.id

        row.get_by_role("link", name="Preview").click()
        page.get_by_role("button", name="Generate Request").click()
        page.get_by_role("button", name="View Response").click()
        expect(page.locator("#status")).to_have_text("HTTP 200")
        expect(page.locator("#verdict")).to_contain_text(re.compile("Registration: (ALLOW|DENY)"))


def test_user_profile_policy_page_requires_a_new_attribute_for_progressive_profile(page: Page, okta_org):
    """The guide's progressive profile set-up in the admin pages: employeeNumber required, progressive profiling on;
    a user who signs in is then asked for it (IDX `profile-update`)."""
    import httpx

    from mock_okta.org.models import ProgressiveProfiling

    api_user = {
        "profile": {"firstName": "Bo", "lastName": "Ng", "email": "bo@example.com", "login": "bo@example.com"},
        "credentials": {"password": {"value": "Sunny-Day-2026"}},
    }
    assert httpx.post(okta_org.url + "/api/v1/users", json=api_user, headers=okta_org.api_headers).status_code == 200
    page.goto(okta_org.url + "/admin/profile-enrollment")
    page.get_by_label("Employee number", exact=True).fill("4")
    page.get_by_label("Employee number required").check()
    page.get_by_label("Progressive profiling: ask signed-in users for newly required attributes").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="User Profile Policy")).to_be_visible()
    policy = okta_org.org.store.policy()
    assert [a.name for a in policy.profile_attributes] == ["firstName", "lastName", "email", "employeeNumber"]
    assert policy.rule.progressive_profiling == ProgressiveProfiling.ENABLED

    handle = okta_org.org.flow.start()
    idx = okta_org.url + "/idp/idx"
    httpx.post(f"{idx}/identify", json={"stateHandle": handle, "identifier": "bo@example.com"})
    asked = httpx.post(
        f"{idx}/challenge/answer", json={"stateHandle": handle, "credentials": {"passcode": "Sunny-Day-2026"}}
    )
    assert asked.json()["remediation"]["value"][0]["name"] == "profile-update"

    page.get_by_label("Email", exact=True).fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("email among them")
