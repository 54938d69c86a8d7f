"""Okta's official Python SDK (PyPI `okta`) drives the mock's Management API unchanged: only the base URL and the
token differ from a real org. Its strict pydantic models catch any shape the mock gets wrong."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mock_okta.hook.run import run_sync
from mock_okta.org.models import UserStatus

if TYPE_CHECKING:
    from okta.client import Client


def okta_client(config: dict[str, Any]) -> Client:
    """The SDK's client. The SDK is imported here and in the tests, not at the top: importing it takes seconds, and
    every pytest run collects this module (each xdist worker does), most runs to select none of its tests."""
    from okta.client import Client

    return Client(config)


@pytest.fixture
def sdk(okta_org, monkeypatch) -> Client:
    # The SDK refuses plain-http org URLs unless its testing switch (read from the environment) is on.
    monkeypatch.setenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", "true")
    return okta_client({"orgUrl": okta_org.url, "token": okta_org.api_token, "raiseException": False})


def test_sdk_creates_activates_executes_a_hook_and_lists_users(sdk, okta_org, sample_hook, registration_request):
    from okta.models import (
        ExecuteInlineHookRequest,
        InlineHookChannelConfigAuthSchemeBody,
        InlineHookChannelConfigHeaders,
        InlineHookChannelHttpCreate,
        InlineHookCreate,
        InlineHookHttpConfigCreate,
        RegistrationInlineHookRequest,
    )

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


# -- OAuth 2.0: the SDK's PrivateKey mode (issue 10, row 5) ---------------------------------------------------------
def rsa_key() -> tuple[str, dict]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return pem, json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))


@pytest.fixture
def service_app(okta_org) -> tuple[str, str]:
    """(client id, private key PEM) of an API Services app granted inline hooks and users read."""
    pem, public = rsa_key()
    body = {"name": "CI", "jwks": {"keys": [public]}, "scopes": ["okta.inlineHooks.manage", "okta.users.read"]}
    registered = httpx.post(f"{okta_org.url}/_mock/service-apps", json=body)
    assert registered.status_code == 200, registered.text
    return registered.json()["client_id"], pem


def test_the_sdk_in_private_key_mode_gets_a_token_and_calls_the_api(okta_org, service_app, monkeypatch):
    """The official SDK configured with `authorizationMode: PrivateKey` works unchanged: it signs a client
    assertion, gets a Bearer token from /oauth2/v1/token, and calls the API within its scopes; outside them the
    answer is 403 E0000006 (developer docs "Implement OAuth for Okta with a service app")."""
    monkeypatch.setenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", "true")
    client_id, pem = service_app
    sdk = okta_client(
        {
            "orgUrl": okta_org.url,
            "authorizationMode": "PrivateKey",
            "clientId": client_id,
            "scopes": ["okta.inlineHooks.manage", "okta.users.read"],
            "privateKey": pem,
            "raiseException": False,
        }
    )

    async def scenario():
        hooks, _, hooks_error = await sdk.list_inline_hooks()
        users, _, users_error = await sdk.list_users()
        _, _, groups_error = await sdk.list_groups()
        return hooks, hooks_error, users, users_error, groups_error

    hooks, hooks_error, users, users_error, groups_error = run_sync(scenario())
    assert hooks_error is None and hooks == []
    assert users_error is None and users == []
    assert groups_error is not None and "E0000006" in str(groups_error)


@pytest.mark.parametrize(
    ("change", "error", "status"),
    [
        ({"grant_type": "password"}, "unsupported_grant_type", 400),
        ({"client_assertion": "not-a-jwt"}, "invalid_client", 401),
        ({"scope": "okta.groups.manage"}, "invalid_scope", 400),
        ({"wrong_key": True}, "invalid_client", 401),
        ({"audience": "https://elsewhere.example/oauth2/v1/token"}, "invalid_client", 401),
    ],
)
def test_the_token_endpoint_refuses_what_okta_refuses(okta_org, service_app, change, error, status):
    client_id, pem = service_app
    if change.pop("wrong_key", False):
        pem, _ = rsa_key()
    audience = change.pop("audience", f"{okta_org.url}/oauth2/v1/token")
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": audience, "iat": now, "exp": now + 300, "jti": "j1"}
    form = {
        "grant_type": "client_credentials",
        "scope": "okta.users.read",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": jwt.encode(claims, pem, algorithm="RS256"),
        **change,
    }
    response = httpx.post(f"{okta_org.url}/oauth2/v1/token", data=form)
    assert response.status_code == status and response.json()["error"] == error


def test_a_forged_or_foreign_bearer_token_is_401(okta_org):
    pem, _ = rsa_key()
    now = int(time.time())
    forged = jwt.encode(
        {"iss": okta_org.url, "aud": okta_org.url, "iat": now, "exp": now + 60, "cid": "x", "scp": ["okta.users.read"]},
        pem,
        algorithm="RS256",
    )
    for token in (forged, "garbage"):
        response = httpx.get(f"{okta_org.url}/api/v1/users", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401 and response.json()["errorCode"] == "E0000011"


def test_a_client_assertion_buys_one_token_only(okta_org, service_app):
    """A captured assertion must not be replayed for its lifetime (RFC 7523 §3; OpenID Connect Core §9: "These
    tokens MUST only be used once"): the second post of the same assertion is invalid_client (hardening round 2,
    row 4: it was accepted twice)."""
    client_id, pem = service_app
    now = int(time.time())
    audience = f"{okta_org.url}/oauth2/v1/token"
    claims = {"iss": client_id, "sub": client_id, "aud": audience, "iat": now, "exp": now + 300, "jti": "once"}
    form = {
        "grant_type": "client_credentials",
        "scope": "okta.users.read",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": jwt.encode(claims, pem, algorithm="RS256"),
    }
    assert httpx.post(audience, data=form).status_code == 200
    replayed = httpx.post(audience, data=form)
    assert replayed.status_code == 401 and replayed.json()["error"] == "invalid_client"
    fresh = {**form, "client_assertion": jwt.encode({**claims, "jti": "twice"}, pem, algorithm="RS256")}
    assert httpx.post(audience, data=fresh).status_code == 200


def test_spent_assertions_are_bounded_and_forget_expired_ones():
    from mock_okta.org.oauth import SpentAssertions

    spent = SpentAssertions(limit=3)
    assert spent.spend("c", "a", expires=100, now=0) and not spent.spend("c", "a", expires=100, now=50)
    assert spent.spend("c", "a", expires=300, now=101), "an expired assertion's jti is no longer held"
    for jti in "bcdef":
        assert spent.spend("c", jti, expires=1000, now=200)
    assert len(spent._expiry) == 3


# -- custom authorization servers and OpenID Connect apps (issue 22) ------------------------------------------------
def test_the_sdk_lists_and_reads_authorization_servers_and_apps_made_here(sdk, api):
    """The SDK's own models (okta-sdk-python `okta/models/authorization_server.py`, `o_auth2_scope.py`,
    `o_auth2_claim.py`, `authorization_server_policy.py`, `authorization_server_policy_rule.py`,
    `open_id_connect_application.py`) read what the mock made, the rule's token inline hook included."""
    hook = api.post(
        "/api/v1/inlineHooks",
        json={
            "name": "Token hook",
            "type": "com.okta.oauth2.tokens.transform",
            "version": "1.0.0",
            "channel": {"type": "HTTP", "version": "1.0.0", "config": {"uri": "https://hooks.example/t"}},
        },
    ).json()
    server = api.post(
        "/api/v1/authorizationServers",
        json={"name": "SDK server", "description": "SDK", "audiences": ["api://sdk"]},
    ).json()
    policy = api.post(
        f"/api/v1/authorizationServers/{server['id']}/policies",
        json={"name": "P", "description": "P", "priority": 1, "conditions": {"clients": {"include": ["ALL_CLIENTS"]}}},
    ).json()
    rule_body = {
        "name": "R",
        "conditions": {"grantTypes": {"include": ["authorization_code"]}, "scopes": {"include": ["*"]}},
        "actions": {"token": {"accessTokenLifetimeMinutes": 30, "inlineHook": {"id": hook["id"]}}},
    }
    rule = api.post(f"/api/v1/authorizationServers/{server['id']}/policies/{policy['id']}/rules", json=rule_body)
    assert rule.status_code == 201, rule.text
    app_body = {
        "name": "oidc_client",
        "label": "SDK app",
        "signOnMode": "OPENID_CONNECT",
        "credentials": {"oauthClient": {"token_endpoint_auth_method": "none"}},
        "settings": {
            "oauthClient": {
                "application_type": "browser",
                "grant_types": ["authorization_code"],
                "redirect_uris": ["http://127.0.0.1:9/cb"],
            }
        },
    }
    app = api.post("/api/v1/apps", json=app_body).json()

    async def scenario():
        servers, _, error = await sdk.list_authorization_servers()
        assert error is None, error
        assert {s.id for s in servers} == {"default", server["id"]}
        fetched, _, error = await sdk.get_authorization_server(server["id"])
        assert error is None and fetched.audiences == ["api://sdk"] and fetched.issuer.endswith(server["id"])
        scopes, _, error = await sdk.list_o_auth2_scopes(server["id"])
        assert error is None and "openid" in {s.name for s in scopes}
        claims, _, error = await sdk.list_o_auth2_claims(server["id"])
        assert error is None and "sub" in {c.name for c in claims}
        policies, _, error = await sdk.list_authorization_server_policies(server["id"])
        assert error is None and [p.name for p in policies] == ["P"]
        rules, _, error = await sdk.list_authorization_server_policy_rules(server["id"], policy["id"])
        assert error is None and rules[0].actions.token.inline_hook.id == hook["id"]
        assert rules[0].actions.token.access_token_lifetime_minutes == 30
        apps, _, error = await sdk.list_applications()
        assert error is None and [a.id for a in apps] == [app["id"]]
        one, _, error = await sdk.get_application(app["id"])
        assert error is None and type(one).__name__ == "OpenIdConnectApplication", type(one)
        assert one.credentials.oauth_client.client_id == app["id"]
        assert one.settings.oauth_client.redirect_uris == ["http://127.0.0.1:9/cb"]

    run_sync(scenario())
