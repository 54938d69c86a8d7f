"""OAuth 2.0 inline hooks in the org, over real HTTP on loopback: OAUTH channels in the Inline Hooks API, the Hook
Keys API, the `default` authorization server, and sign-ups through a hook that only accepts its Bearer tokens (the
sample hook validating issuer, audience, scope, expiry and signature).

Sources: Okta's Management API spec (`InlineHookChannelOAuth`, `InlineHookOAuthClientSecretConfigCreate`,
`InlineHookOAuthPrivateKeyJwtConfig`, the HookKey tag and its examples), the inline hook guide "Add OAuth 2.0
authentication fields" (issuer `{org}/oauth2/default`, audience `api://default`), RFC 8414 metadata.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from hook_under_test import HookSettings
from hook_under_test.running import RunningHook, serve_sample_hook
from mock_okta.hook.oauth import TOKENS
from mock_okta.hook.settings import CallSettings
from mock_okta.org import Org, OrgSettings, Store
from mock_okta.org.web import create_app
from mock_okta.serving.thread import ServerThread

TOKEN = "oauth-test-token"
SCOPE = "okta.hooks"
GENERIC = "There was an error creating your account. Please try registering again."


@pytest.fixture(scope="module")
def org() -> Iterator[tuple[Org, httpx.Client]]:
    mock = Org(Store(), OrgSettings(call=CallSettings(timeout=1.0), api_token=TOKEN))
    with (
        ServerThread(create_app(mock)) as server,
        httpx.Client(base_url=server.url, headers={"Authorization": f"SSWS {TOKEN}"}, timeout=10) as client,
    ):
        yield mock, client


@pytest.fixture(scope="module")
def oauth_hook(org) -> Iterator[RunningHook]:
    """The sample hook accepting only Bearer tokens of the org's `default` server with the scope okta.hooks."""
    _, client = org
    issuer = f"{client.base_url}/oauth2/default"
    with serve_sample_hook(HookSettings.build(oauth_issuer=issuer, oauth_scope=SCOPE)) as hook:
        yield hook


@pytest.fixture(autouse=True)
def no_cached_tokens():
    TOKENS.clear()


def token_url(client: httpx.Client) -> str:
    return f"{client.base_url}/oauth2/default/v1/token"


def register_client(client: httpx.Client, method: str = "client_secret_post", **extra: Any) -> dict[str, Any]:
    body = {"name": "Hook client", "tokenEndpointAuthMethod": method, "scopes": [SCOPE], **extra}
    response = client.post("/_mock/oauth-clients", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def oauth_body(name: str, uri: str, **config: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": "com.okta.user.pre-registration",
        "version": "1.0.0",
        "channel": {"type": "OAUTH", "version": "1.0.0", "config": {"uri": uri, "method": "POST", **config}},
    }


def secret_hook(client: httpx.Client, name: str, uri: str, app: dict[str, Any], **changes: Any) -> httpx.Response:
    config = {
        "authType": "client_secret_post",
        "clientId": app["client_id"],
        "clientSecret": app["client_secret"],
        "tokenUrl": token_url(client),
        "scope": SCOPE,
        **changes,
    }
    return client.post("/api/v1/inlineHooks", json=oauth_body(name, uri, **config))


def sign_up(mock: Org, client: httpx.Client, email: str) -> httpx.Response:
    handle = mock.flow.start()
    client.post("/idp/idx/enroll", json={"stateHandle": handle})
    profile = {"firstName": "Ann", "lastName": "Lee", "email": email}
    return client.post("/idp/idx/enroll/new", json={"stateHandle": handle, "userProfile": profile})


# -- the Inline Hooks API --------------------------------------------------------------------------------------------
def test_oauth_channel_is_stored_and_returned_as_the_spec_shows_it(org, oauth_hook):
    _, client = org
    app = register_client(client)
    response = secret_hook(client, "Shape", oauth_hook.hook_url, app)
    assert response.status_code == 200, response.text
    channel = response.json()["channel"]
    assert channel["type"] == "OAUTH"
    assert channel["config"] == {
        "uri": oauth_hook.hook_url,
        "method": "POST",
        "headers": [],
        "authScheme": None,
        "clientId": app["client_id"],
        "tokenUrl": token_url(client),
        "authType": "client_secret_post",
        "scope": SCOPE,
    }
    assert app["client_secret"] not in response.text, "clientSecret is write-only"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"authType": "client_secret_basic"}, "channel.config.authType"),
        ({"clientId": ""}, "channel.config.clientId"),
        ({"clientSecret": None}, "channel.config.clientSecret"),
        ({"tokenUrl": "http://auth.example.com/token"}, "channel.config.tokenUrl"),
        ({"authType": "private_key_jwt", "hookKeyId": "HKYnope"}, "channel.config.hookKeyId"),
        ({"authScheme": {"type": "HEADER", "key": "Authorization", "value": "x"}}, "Must be null"),
        ({"scope": 5}, "channel.config.scope"),
    ],
)
def test_invalid_oauth_channel_is_a_400_naming_the_field(org, oauth_hook, changes, problem):
    _, client = org
    app = register_client(client)
    response = secret_hook(client, f"Bad {problem}", oauth_hook.hook_url, app, **changes)
    assert (response.status_code, response.json()["errorCode"]) == (400, "E0000001")
    assert any(problem in cause["errorSummary"] for cause in response.json()["errorCauses"])


def test_partial_update_keeps_the_client_secret(org, oauth_hook):
    mock, client = org
    app = register_client(client)
    hook = secret_hook(client, "Partial", oauth_hook.hook_url, app).json()
    config = {k: v for k, v in hook["channel"]["config"].items() if k != "authScheme"}
    updated = client.post(f"/api/v1/inlineHooks/{hook['id']}", json={"channel": {**hook["channel"], "config": config}})
    assert updated.status_code == 200, updated.text
    stored = mock.store.inline_hook(hook["id"])
    assert stored is not None and stored.channel.oauth is not None
    assert stored.channel.oauth.client_secret == app["client_secret"]


# -- the Hook Keys API -----------------------------------------------------------------------------------------------
def test_hook_key_lifecycle(org, oauth_hook):
    mock, client = org
    created = client.post("/api/v1/hook-keys", json={"name": "Signing key"}).json()
    assert created["id"].startswith("HKY") and created["isUsed"] == "false"
    public = created["_embedded"]
    assert (public["kty"], public["kid"], public["e"]) == ("RSA", created["keyId"], "AQAB") and "d" not in public
    assert client.get(f"/api/v1/hook-keys/public/{created['keyId']}").json() == {"_embedded": public}
    assert "_embedded" not in client.get(f"/api/v1/hook-keys/{created['id']}").json()
    # The spec's getHookKey: `?expand=publickey` returns the public key as `_embedded`.
    expanded = client.get(f"/api/v1/hook-keys/{created['id']}", params={"expand": "publickey"}).json()
    assert expanded["_embedded"] == public
    renamed = client.put(f"/api/v1/hook-keys/{created['id']}", json={"name": "Renamed"}).json()
    assert renamed["name"] == "Renamed" and renamed["keyId"] == created["keyId"]

    app = register_client(client, "private_key_jwt", hookKeyId=created["id"])
    config = {
        "authType": "private_key_jwt",
        "clientId": app["client_id"],
        "hookKeyId": created["id"],
        "tokenUrl": token_url(client),
        "scope": SCOPE,
    }
    hook = client.post("/api/v1/inlineHooks", json=oauth_body("Key hook", oauth_hook.hook_url, **config)).json()
    assert hook["channel"]["config"]["hookKeyId"] == created["id"]
    assert client.get(f"/api/v1/hook-keys/{created['id']}").json()["isUsed"] == "true"
    refused = client.delete(f"/api/v1/hook-keys/{created['id']}")
    assert (refused.status_code, refused.json()["errorCode"]) == (403, "E0000006")

    run = client.post(f"/api/v1/inlineHooks/{hook['id']}/execute", json=_request("ann@example.com"))
    assert run.status_code == 200 and "ALLOW" in run.text

    mock.inline_hooks.delete(mock.inline_hooks.set_status(mock.inline_hooks.get(hook["id"]), hook_status("INACTIVE")))
    assert client.delete(f"/api/v1/hook-keys/{created['id']}").status_code == 204
    assert client.get(f"/api/v1/hook-keys/{created['id']}").status_code == 404


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": 7}, {"name": "x" * 256}])
def test_hook_key_needs_a_name(org, body):
    _, client = org
    response = client.post("/api/v1/hook-keys", json=body)
    assert (response.status_code, response.json()["errorCode"]) == (400, "E0000001")


# -- the `default` authorization server ------------------------------------------------------------------------------
def test_default_server_metadata_and_keys(org):
    _, client = org
    issuer = f"{client.base_url}/oauth2/default"
    metadata = client.get("/oauth2/default/.well-known/oauth-authorization-server").json()
    assert metadata["issuer"] == issuer and metadata["token_endpoint"] == token_url(client)
    keys = httpx.get(metadata["jwks_uri"]).json()["keys"]
    assert keys and all(k["kty"] == "RSA" and "d" not in k for k in keys)


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "0oaNope"}, 401, "invalid_client"),
        ({"scope": "okta.users.manage"}, 400, "invalid_scope"),
        ({"scope": ""}, 400, "invalid_scope"),
    ],
)
def test_token_endpoint_refusals(org, form, status, error):
    _, client = org
    app = register_client(client)
    base = {"grant_type": "client_credentials", "client_id": app["client_id"], "client_secret": app["client_secret"]}
    response = httpx.post(token_url(client), data={**base, "scope": SCOPE, **form})
    assert (response.status_code, response.json()["error"]) == (status, error)


def test_token_carries_issuer_audience_scope_and_expiry(org):
    _, client = org
    app = register_client(client)
    form = {"grant_type": "client_credentials", "scope": SCOPE, **{k: app[k] for k in ("client_id", "client_secret")}}
    answer = httpx.post(token_url(client), data=form).json()
    claims = jwt.decode(answer["access_token"], options={"verify_signature": False})
    assert claims["iss"] == f"{client.base_url}/oauth2/default" and claims["aud"] == "api://default"
    assert claims["scp"] == [SCOPE] and claims["cid"] == app["client_id"]
    assert answer["expires_in"] == 3600 and claims["exp"] - claims["iat"] == 3600


# -- sign-ups through an OAuth 2.0 hook ------------------------------------------------------------------------------
def test_sign_ups_through_an_oauth_hook_reuse_one_token(org, oauth_hook):
    mock, client = org
    app = register_client(client)
    hook = secret_hook(client, "Sign-up hook", oauth_hook.hook_url, app).json()
    mock.inline_hooks.attach(mock.inline_hooks.get(hook["id"]))
    before = mock.custom_authorization_server.issued
    assert sign_up(mock, client, "first@example.com").status_code == 200
    assert sign_up(mock, client, "second@example.com").status_code == 200
    denied = sign_up(mock, client, "third@gmail.com")
    assert denied.status_code == 400 and "Only example.com emails can register." in denied.text
    assert mock.custom_authorization_server.issued - before == 1, "one token for three sign-ups"


def test_a_token_endpoint_that_refuses_is_the_generic_error(org, oauth_hook):
    mock, client = org
    app = register_client(client)
    hook = secret_hook(client, "Refused hook", oauth_hook.hook_url, {**app, "client_secret": "not-the-secret"}).json()
    mock.inline_hooks.attach(mock.inline_hooks.get(hook["id"]))
    response = sign_up(mock, client, "refused@example.com")
    assert response.status_code == 400 and GENERIC in response.text
    assert mock.store.user("refused@example.com") is None
    last = mock.store.hook_calls(limit=1)[0]
    assert last.failure == "token" and "not-the-secret" not in str(last.record)


# -- the sample hook's token validation ------------------------------------------------------------------------------
def _request(email: str) -> dict[str, Any]:
    from mock_okta.hooktypes.registration.payloads import build_request

    return build_request(email=email)


def hook_status(value: str) -> Any:
    from mock_okta.org.models import HookStatus

    return HookStatus(value)


def forged(claims_change: dict[str, Any], issuer: str, key: Any = None, kid: str | None = None) -> str:
    now = int(time.time())
    claims = {"iss": issuer, "aud": "api://default", "iat": now, "exp": now + 600, "scp": [SCOPE], **claims_change}
    signer = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, signer, algorithm="RS256", headers={"kid": kid or "unknown"})


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="no token"),
        pytest.param("Basic YWRtaW46c3VwZXJzZWNyZXQ=", id="the shared secret instead"),
        pytest.param("Bearer not-a-jwt", id="not a JWT"),
        pytest.param("forged-key", id="signed by another key"),
        pytest.param("wrong-issuer", id="another issuer"),
        pytest.param("wrong-audience", id="another audience"),
        pytest.param("no-scope", id="without the scope"),
        pytest.param("expired", id="expired"),
    ],
)
def test_sample_hook_refuses_tokens_it_should_not_trust(org, oauth_hook, authorization):
    mock, client = org
    issuer = f"{client.base_url}/oauth2/default"
    server = mock.custom_authorization_server
    signed = {
        "key": server.signing.key,
        "kid": server.signing.key_id,
    }  # the real key: only the claim under test is wrong
    tokens = {
        "forged-key": lambda: forged({}, issuer, kid=server.signing.key_id),
        "wrong-issuer": lambda: forged({"iss": "https://evil.example/oauth2/default"}, issuer, **signed),
        "wrong-audience": lambda: forged({"aud": "api://other"}, issuer, **signed),
        "no-scope": lambda: forged({"scp": ["other"]}, issuer, **signed),
        "expired": lambda: forged({"iat": 1, "exp": 100}, issuer, **signed),
    }
    header = f"Bearer {tokens[authorization]()}" if authorization in tokens else authorization
    headers = {"Authorization": header} if header else {}
    response = httpx.post(oauth_hook.hook_url, json=_request("ann@example.com"), headers=headers)
    assert response.status_code == 401 and response.content == b""
    good = forged({}, issuer, **signed)
    accepted = httpx.post(
        oauth_hook.hook_url, json=_request("ann@example.com"), headers={"Authorization": f"Bearer {good}"}
    )
    assert accepted.status_code == 200


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "Bearer"])
def test_sample_hook_reads_the_bearer_scheme_in_any_case(org, oauth_hook, scheme):
    """RFC 7235 §2.1: the auth scheme is case-insensitive (hardening round 2, row 11: `bearer x` was refused)."""
    mock, client = org
    server = mock.custom_authorization_server
    good = forged({}, f"{client.base_url}/oauth2/default", key=server.signing.key, kid=server.signing.key_id)
    accepted = httpx.post(
        oauth_hook.hook_url, json=_request("ann@example.com"), headers={"Authorization": f"{scheme} {good}"}
    )
    assert accepted.status_code == 200
