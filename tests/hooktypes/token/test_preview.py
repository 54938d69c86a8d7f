"""A token inline hook stored in the mock org: the Inline Hooks API takes the type, `execute` calls it, and the
Preview tab offers the token hook's form (the token inline hook guide's "Preview the token inline hook": a user, a
grant type, scopes), then calls the hook once and shows what Okta issues."""

from __future__ import annotations

import httpx
import pytest

from mock_okta.hook.registry import RequestOptions
from mock_okta.hooktypes import TOKEN

TYPE = "com.okta.oauth2.tokens.transform"


@pytest.fixture
def stored(okta_org, sample_hook):
    api = httpx.Client(base_url=okta_org.url, headers=okta_org.api_headers)
    key, _, value = sample_hook.auth_header.partition(": ")
    body = {
        "name": "Patient token hook",  # the guide's name
        "type": TYPE,
        "version": "1.0.0",
        "channel": {
            "type": "HTTP",
            "version": "1.0.0",
            "config": {
                "uri": sample_hook.token_hook_url,
                "method": "POST",
                "authScheme": {"type": "HEADER", "key": key, "value": value},
            },
        },
    }
    created = api.post("/api/v1/inlineHooks", json=body)
    assert created.status_code == 200, created.text
    user = api.post(
        "/api/v1/users?activate=true",
        json={"profile": {"firstName": "Jessie", "lastName": "Smith", "email": "jessie.smith@example.com",
                          "login": "jessie.smith@example.com"}},
    )  # fmt: skip
    assert user.status_code == 200, user.text
    return api, created.json()["id"], user.json()["id"]


def test_execute_calls_a_stored_token_hook(stored):
    api, hook_id, _ = stored
    request = TOKEN.build_request(None, RequestOptions(email="kim.sato@example.com"))
    executed = api.post(f"/api/v1/inlineHooks/{hook_id}/execute", json=request)
    assert executed.status_code == 200
    assert executed.json()["commands"][0]["value"][0]["value"] == "6789"  # the guide's store: kim.sato


def test_the_preview_form_offers_the_token_choices(stored, okta_org):
    _, hook_id, _ = stored
    page = httpx.get(f"{okta_org.url}/admin/inline-hooks/{hook_id}/preview")
    assert page.status_code == 200
    for text in ("Token inline hook", "Select a user", "jessie.smith@example.com", "Select a grant type",
                 "Client Credentials", "Select scopes"):  # fmt: skip
        assert text in page.text


def test_preview_generates_a_request_for_an_org_user_and_shows_what_okta_issues(stored, okta_org):
    _, hook_id, user_id = stored
    preview = f"{okta_org.url}/admin/inline-hooks/{hook_id}/preview"
    generated = httpx.post(f"{preview}/request", json={"user": user_id, "grantType": "authorization_code",
                                                       "scopes": "openid profile email"})  # fmt: skip
    assert generated.status_code == 200, generated.text
    request = generated.json()
    assert request["eventType"] == TYPE and request["data"]["context"]["user"]["id"] == user_id
    assert request["data"]["identity"]["claims"]["preferred_username"] == "jessie.smith@example.com"
    shown = httpx.post(f"{preview}/response", json=request)
    assert shown.status_code == 200
    run = shown.json()
    assert (run["outcome"], run["identity"]["claims"]["extPatientId"]) == ("PATCHED", "1235")
    assert [call.registration for call in okta_org.org.store.hook_calls(inline_hook_id=hook_id)] == ["PATCHED"]


@pytest.mark.parametrize(
    ("choice", "error"),
    [
        ({"grantType": "password"}, "Choose a grant type"),
        ({"grantType": "client_credentials", "user": "USER"}, "choose no user"),
        ({"user": "00unope"}, "That user no longer exists."),
        ({"scopes": "   "}, "Choose the scopes."),
    ],
)
def test_preview_refuses_choices_okta_would_not_offer(stored, okta_org, choice, error):
    _, hook_id, user_id = stored
    choice = {k: (user_id if v == "USER" else v) for k, v in choice.items()}
    answer = httpx.post(f"{okta_org.url}/admin/inline-hooks/{hook_id}/preview/request", json=choice)
    assert answer.status_code == 400 and error in answer.json()["error"]


def test_a_service_token_preview_has_no_user_and_no_id_token(stored, okta_org):
    _, hook_id, _ = stored
    answer = httpx.post(f"{okta_org.url}/admin/inline-hooks/{hook_id}/preview/request",
                        json={"grantType": "client_credentials", "scopes": "api:read"})  # fmt: skip
    request = answer.json()
    assert "identity" not in request["data"] and "user" not in request["data"]["context"]
    assert list(request["data"]["access"]["scopes"]) == ["api:read"]
