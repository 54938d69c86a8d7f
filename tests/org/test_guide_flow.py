"""Okta's guide, end to end, through public interfaces only: the Management API sets the hook up, the genuine
widget signs two users up, the API finds the user and the System Log shows both hook calls."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page

from mock_okta.testing.pages import SignInPage


def test_the_guide_flow(page: Page, okta_org, sample_hook):
    api = httpx.Client(base_url=okta_org.url, headers=okta_org.api_headers, timeout=15)
    key, secret = sample_hook.auth_header.split(": ", 1)

    # Workflow > Inline Hooks > Add Inline Hook > Registration
    created = api.post(
        "/api/v1/inlineHooks",
        json={
            "name": "Guide registration hook",
            "type": "com.okta.user.pre-registration",
            "version": "1.0.0",
            "channel": {
                "type": "HTTP",
                "version": "1.0.0",
                "config": {
                    "uri": sample_hook.hook_url,
                    "method": "POST",
                    "authScheme": {"type": "HEADER", "key": key, "value": secret},
                },
            },
        },
    )
    assert created.status_code == 200, created.text
    hook = created.json()

    # Security > User Profile Policies > Enrollment > Inline hook: attach it
    [policy] = api.get("/api/v1/policies", params={"type": "PROFILE_ENROLLMENT"}).json()
    [rule] = api.get(policy["_links"]["rules"]["href"]).json()
    rule["actions"]["profileEnrollment"]["preRegistrationInlineHooks"] = [{"inlineHookId": hook["id"]}]
    assert api.put(rule["_links"]["self"]["href"], json=rule).status_code == 200

    # Sign up through the widget: allowed, then denied
    allowed, denied = "guide.allowed@example.com", "guide.denied@gmail.com"
    sign_in = SignInPage(page, okta_org.url + "/")
    sign_in.open().go_to_sign_up().fill(firstName="Ada", lastName="Lovelace", email=allowed).submit().expect_allowed()
    sign_in.open().go_to_sign_up().fill(firstName="Bob", lastName="Other", email=denied).submit().expect_field_error(
        "email", "Only example.com emails can register."
    )

    # The allowed user exists, the denied one does not
    [user] = api.get("/api/v1/users", params={"search": f'profile.email eq "{allowed}"'}).json()
    assert user["profile"]["firstName"] == "Ada" and user["status"] == "PROVISIONED"
    assert api.get("/api/v1/users", params={"search": f'profile.email eq "{denied}"'}).json() == []

    # The System Log has both hook calls and the user's creation
    processed = api.get("/api/v1/logs", params={"filter": 'eventType eq "inline_hook.response.processed"'}).json()
    assert len(processed) == 2 and all(e["target"][0]["id"] == hook["id"] for e in processed)
    assert {e["debugContext"]["debugData"]["request_uri"] for e in processed} == {"/idp/idx/enroll/new"}
    [created_event] = api.get("/api/v1/logs", params={"filter": 'eventType eq "user.lifecycle.create"'}).json()
    assert [t["type"] for t in created_event["target"]] == ["User", "PolicyRule"]
    assert created_event["actor"]["type"] == "User" and created_event["actor"]["alternateId"] == allowed
    assert created_event["target"][0]["alternateId"] == allowed
    # The verdicts and the hook's answers are in the mock's journal (Okta has no such API).
    journal = list(reversed(api.get("/_mock/journal").json()))
    assert [call["registration"] for call in journal] == ["ALLOW", "DENY"]
    assert journal[1]["response"]["body"]["error"]["errorCauses"][0]["location"] == "data.userProfile.email"
    # `source` is the registration inline hook's id (spec, create-registration-hook).
    assert {call["request"]["body"]["source"] for call in journal} == {hook["id"]}
