"""Okta's official Python SDK (PyPI `okta`) drives the mock's Management API unchanged: only the base URL and the
token differ from a real org. Its strict pydantic models catch any shape the mock gets wrong."""

from __future__ import annotations

import json

import pytest
from okta.client import Client
from okta.models import (
    ExecuteInlineHookRequest,
    InlineHookChannelConfigAuthSchemeBody,
    InlineHookChannelConfigHeaders,
    InlineHookChannelHttpCreate,
    InlineHookCreate,
    InlineHookHttpConfigCreate,
    RegistrationInlineHookRequest,
)

from mock_okta.hook.run import run_sync
from mock_okta.org.models import UserStatus


@pytest.fixture
def sdk(okta_org, monkeypatch) -> Client:
    # The SDK refuses plain-http org URLs unless its testing switch (read from the environment) is on.
    monkeypatch.setenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", "true")
    return Client({"orgUrl": okta_org.url, "token": okta_org.api_token, "raiseException": False})


def test_sdk_creates_activates_executes_a_hook_and_lists_users(sdk, okta_org, sample_hook, registration_request):
    key, value = sample_hook.auth_header.split(": ", 1)
    body = InlineHookCreate(
        name="Registration hook (SDK)",
        type="com.okta.user.pre-registration",
        version="1.0.0",
        channel=InlineHookChannelHttpCreate(
            type="HTTP",
            version="1.0.0",
            config=InlineHookHttpConfigCreate(
                uri=sample_hook.hook_url,
                method="POST",
                headers=[InlineHookChannelConfigHeaders(key="X-Other-Header", value="sdk")],
                auth_scheme=InlineHookChannelConfigAuthSchemeBody(type="HEADER", key=key, value=value),
            ),
        ),
    )
    okta_org.org.store.create_user(
        {"login": "sdk@example.com", "email": "sdk@example.com", "firstName": "S"}, UserStatus.ACTIVE
    )

    async def scenario():
        hook, _, error = await sdk.create_inline_hook(body)
        assert error is None, error
        deactivated, _, error = await sdk.deactivate_inline_hook(hook.id)
        assert error is None and deactivated.status == "INACTIVE"
        activated, _, error = await sdk.activate_inline_hook(hook.id)
        assert error is None and activated.status == "ACTIVE"
        fetched, _, error = await sdk.get_inline_hook(hook.id)
        assert error is None and fetched.name == "Registration hook (SDK)"
        listed, _, error = await sdk.list_inline_hooks()
        assert error is None and [h.id for h in listed] == [hook.id]
        # The SDK's own model of the registration request accepts what the mock generates ...
        request_body = registration_request(domain="gmail.com")
        ExecuteInlineHookRequest(RegistrationInlineHookRequest.from_dict(request_body))
        # ... but its typed execute() cannot parse any registration answer (its oneOf response model wants
        # commands as strings), so the call goes through the SDK's own request executor, as its docs suggest
        # for endpoints without a working model.
        executor = sdk.get_request_executor()
        request, error = await executor.create_request(
            method="POST", url=f"/api/v1/inlineHooks/{hook.id}/execute", body=request_body
        )
        assert error is None, error
        _, response_body, error = await executor.execute(request)
        response = json.loads(response_body) if response_body else None
        users, _, user_error = await sdk.list_users(search='profile.email eq "sdk@example.com"')
        return hook, response, error, users, user_error

    hook, response, error, users, user_error = run_sync(scenario())
    assert hook.id.startswith("cal") and hook.status == "ACTIVE"
    stored = okta_org.org.store.inline_hook(hook.id)
    assert stored.channel.auth_scheme.value == value, "the SDK sent the secret and the mock kept it"
    assert error is None, error
    assert response["error"]["errorCauses"][0]["errorSummary"] == "Only example.com emails can register."
    assert user_error is None and [u.profile.login for u in users] == ["sdk@example.com"]
