"""The token inline hook while the org's `default` authorization server mints, over real HTTP: a rule names the
hook, the org sends it Okta's request for what it mints and issues what Okta would (patched, as minted, or
`server_error`).

Sources: okta-developer-docs `docs/reference/token-hook/index.md` (last full version: the request's `data.context`,
`data.identity`, `data.access`; `com.okta.identity.patch` / `com.okta.access.patch`; "Reserved claims for Token
Hooks"; the error object → "an OAuth 2.0 error ... `server_error` ... `error_description` set to the string that you
supplied in the `errorSummary`"; "Troubleshoot": a timeout, a non-200 status or a patch that cannot be applied
leave "The token ... generated without any modification"); `docs/concepts/inline-hooks/` ("Time out and retry": no
retry for the token hook); Okta's OAuth error catalog (`callback_returned_error`, 400); `data/event-types.json`
(`inline_hook.executed` on a failed call).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest

from mock_okta.hook.settings import CallSettings
from mock_okta.org import Org, OrgSettings, Store
from mock_okta.org.web import create_app
from mock_okta.serving.thread import ServerThread
from tests.org.test_oidc import REDIRECT, checked_id_token, code_flow

TOKEN = "token-hook-test"
SECRET = "Basic dG9rZW46aG9vaw=="
ADD_CLAIM = {
    "commands": [
        {
            "type": "com.okta.access.patch",
            "value": [{"op": "add", "path": "/claims/patientId", "value": "1234"}],
        }
    ]
}
ANSWERS: dict[str, tuple[int, Any]] = {
    "claim": (200, ADD_CLAIM),
    "lifetime": (
        200,
        {
            "commands": [
                {
                    "type": "com.okta.access.patch",
                    "value": [{"op": "replace", "path": "/token/lifetime/expiration", "value": 36000}],
                }
            ]
        },
    ),
    "error": (200, {"error": {"errorSummary": "Patient record not found"}}),
    "error-no-summary": (200, {"error": {}}),
    "reserved": (
        200,
        {
            "commands": [
                {
                    "type": "com.okta.access.patch",
                    "value": [
                        {"op": "add", "path": "/claims/patientId", "value": "1234"},
                        {"op": "replace", "path": "/claims/iss", "value": "https://evil.example"},
                    ],
                }
            ]
        },
    ),
    "down": (500, {}),
    "identity": (
        200,
        {
            "commands": [
                {
                    "type": "com.okta.identity.patch",
                    "value": [{"op": "add", "path": "/claims/extPatientId", "value": "1235"}],
                }
            ]
        },
    ),
}


class TokenHook:
    """A token hook on loopback: /<answer> answers ANSWERS[answer]; /hang never answers. Keeps every request."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        name = scope["path"].strip("/")
        self.requests.append((name, headers, json.loads(body or b"{}")))
        if name == "hang":
            while (await receive())["type"] != "http.disconnect":
                pass
            return
        status, answer = ANSWERS[name]
        payload = json.dumps(answer).encode()
        await send(
            {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]}
        )
        await send({"type": "http.response.body", "body": payload})


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Org, str, TokenHook, str]]:
    mock = Org(Store(), OrgSettings(api_token=TOKEN, call=CallSettings(timeout=0.5)))
    hook = TokenHook()
    with ServerThread(create_app(mock)) as org_server, ServerThread(hook) as hook_server:
        yield mock, org_server.url, hook, hook_server.url


@pytest.fixture
def setup(servers) -> Iterator[tuple[Org, httpx.Client, TokenHook, str]]:
    mock, url, hook, hook_url = servers
    mock.reset()
    mock.settings.call = CallSettings(timeout=0.5)
    hook.requests.clear()
    with httpx.Client(base_url=url, headers={"Authorization": f"SSWS {TOKEN}"}, timeout=10) as api:
        yield mock, api, hook, hook_url


def attach(api: httpx.Client, uri: str) -> dict:
    """A token hook with the guide's auth header on the `default` server's Default Policy Rule."""
    body = {
        "name": "Patient hook",
        "type": "com.okta.oauth2.tokens.transform",
        "version": "1.0.0",
        "channel": {
            "type": "HTTP",
            "version": "1.0.0",
            "config": {"uri": uri, "authScheme": {"type": "HEADER", "key": "Authorization", "value": SECRET}},
        },
    }
    hook = api.post("/api/v1/inlineHooks", json=body).json()
    [policy] = api.get("/api/v1/authorizationServers/default/policies").json()
    rules = f"/api/v1/authorizationServers/default/policies/{policy['id']}/rules"
    [rule] = api.get(rules).json()
    rule["actions"]["token"]["inlineHook"] = {"id": hook["id"]}
    assert api.put(f"{rules}/{rule['id']}", json=rule).status_code == 200
    return hook


def token(api: httpx.Client) -> httpx.Response:
    """Client credentials for a new service app, with a custom scope."""
    api.post("/api/v1/authorizationServers/default/scopes", json={"name": "patients:read"})
    body = {
        "label": "Service",
        "signOnMode": "OPENID_CONNECT",
        "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_post"}},
        "settings": {"oauthClient": {"application_type": "service", "grant_types": ["client_credentials"]}},
    }
    client = api.post("/api/v1/apps", json=body).json()["credentials"]["oauthClient"]
    form = {
        "grant_type": "client_credentials",
        "scope": "patients:read",
        **{k: client[k] for k in ("client_id", "client_secret")},
    }
    return httpx.post(f"{api.base_url}/oauth2/default/v1/token", data=form)


def access_claims(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    return jwt.decode(response.json()["access_token"], options={"verify_signature": False})


def test_the_hook_is_sent_okta_s_request_and_its_claim_is_in_the_token(setup):
    """Token hook reference: the request (eventType, data.context.protocol/policy, data.access with claims,
    lifetime and scopes) with the channel's auth header; an `add` on /claims/... lands in the token."""
    _, api, hook, hook_url = setup
    attached = attach(api, f"{hook_url}/claim")
    claims = access_claims(token(api))
    assert claims["patientId"] == "1234"
    [(_, headers, request)] = hook.requests
    assert headers["authorization"] == SECRET
    assert request["eventType"] == "com.okta.oauth2.tokens.transform"
    data = request["data"]
    assert data["context"]["protocol"]["issuer"]["uri"] == f"{api.base_url}/oauth2/default"
    assert data["context"]["protocol"]["request"]["grant_type"] == "client_credentials"
    assert data["access"]["claims"]["cid"] == claims["cid"] and "patientId" not in data["access"]["claims"]
    assert data["access"]["token"]["lifetime"]["expiration"] == 3600 and "patients:read" in data["access"]["scopes"]
    assert "identity" not in data, "client credentials mint no ID token"
    [policy] = api.get("/api/v1/authorizationServers/default/policies").json()
    assert data["context"]["policy"]["id"] == policy["id"]
    journal = api.get("/_mock/journal", params={"inlineHookId": attached["id"]}).json()
    assert len(journal) == 1


def test_without_the_hook_attached_the_claim_is_absent(setup):
    """The expectation above fails when the hook is not called: no rule names it, no claim, no call."""
    _, api, hook, hook_url = setup
    api.post(
        "/api/v1/inlineHooks",
        json={
            "name": "Unattached",
            "type": "com.okta.oauth2.tokens.transform",
            "version": "1.0.0",
            "channel": {"type": "HTTP", "version": "1.0.0", "config": {"uri": f"{hook_url}/claim"}},
        },
    )
    assert "patientId" not in access_claims(token(api)) and hook.requests == []


def test_a_lifetime_patch_sets_the_access_token_s_expiry(setup):
    """Reference "Sample response to modify token lifetime" (300 to 86,400 seconds)."""
    _, api, _, hook_url = setup
    attach(api, f"{hook_url}/lifetime")
    response = token(api)
    claims = access_claims(response)
    assert claims["exp"] - claims["iat"] == 36000 and response.json()["expires_in"] == 36000


@pytest.mark.parametrize(
    ("answer", "description"),
    [("error", "Patient record not found"), ("error-no-summary", "The callback service returned an error")],
)
def test_an_error_object_is_server_error_with_the_hook_s_text(setup, answer, description):
    """Reference "error": `server_error` with the errorSummary, or Okta's default sentence; no token."""
    _, api, _, hook_url = setup
    attach(api, f"{hook_url}/{answer}")
    response = token(api)
    assert response.status_code == 400
    assert response.json() == {"error": "server_error", "error_description": description}


def test_a_patch_touching_a_reserved_claim_is_dropped_whole(setup):
    """Reference "Reserved claims": changing `iss` fails the entire PATCH; the token is issued without it (the
    allowed claim of the same patch is not applied either)."""
    _, api, _, hook_url = setup
    attach(api, f"{hook_url}/reserved")
    claims = access_claims(token(api))
    assert claims["iss"] == f"{api.base_url}/oauth2/default" and "patientId" not in claims


@pytest.mark.parametrize("path", ["down", "hang"])
def test_a_down_or_slow_hook_leaves_the_token_as_minted_and_is_called_once(setup, path):
    """Reference "Timeout behavior" / "Troubleshoot": the flow proceeds with the original token; concept page: the
    token hook is not retried; System Log `inline_hook.executed` FAILURE."""
    _, api, hook, hook_url = setup
    attached = attach(api, f"{hook_url}/{path}")
    claims = access_claims(token(api))
    assert "patientId" not in claims and claims["scp"] == ["patients:read"]
    assert len(hook.requests) == 1, "no retry for the token inline hook"
    events = api.get("/api/v1/logs", params={"filter": 'eventType eq "inline_hook.executed"'}).json()
    assert [e["target"][0]["id"] for e in events] == [attached["id"]]
    assert events[0]["outcome"]["result"] == "FAILURE"


def test_in_the_code_flow_the_hook_sees_the_user_and_session_and_patches_the_id_token(setup):
    """Reference: `data.context.user`, `data.context.session`, `data.identity.claims` for a user's sign-in;
    `com.okta.identity.patch` adds to the ID token, which Authlib still accepts (signature, iss, aud, nonce,
    at_hash), as the guide's patient id example does."""
    _, api, hook, hook_url = setup
    attach(api, f"{hook_url}/identity")
    app, tokens, info, _ = code_flow((None, api))
    client_id = app["credentials"]["oauthClient"]["client_id"]
    claims = checked_id_token(api, tokens["id_token"], client_id, info["nonce"], tokens["access_token"])
    assert claims["extPatientId"] == "1235"
    [(_, _, request)] = hook.requests
    context = request["data"]["context"]
    assert context["user"]["profile"]["login"] == "pat@example.com" and context["session"]["userId"] == claims["sub"]
    assert request["data"]["identity"]["claims"]["nonce"] == info["nonce"]
    assert context["protocol"]["request"]["redirect_uri"] == REDIRECT


def test_an_inactive_hook_on_the_rule_is_not_called(setup):
    """docs/reference/api/inline-hooks (last full version), the Inline Hook object's `status`: "`INACTIVE` blocks
    execution": a deactivated hook on the rule is not sent the minting, and the tokens are issued as minted;
    activated again, the same rule calls it."""
    _, api, hook, hook_url = setup
    attached = attach(api, f"{hook_url}/claim")
    assert api.post(f"/api/v1/inlineHooks/{attached['id']}/lifecycle/deactivate").json()["status"] == "INACTIVE"
    assert "patientId" not in access_claims(token(api)) and hook.requests == []
    assert api.post(f"/api/v1/inlineHooks/{attached['id']}/lifecycle/activate").json()["status"] == "ACTIVE"
    assert access_claims(token(api))["patientId"] == "1234" and len(hook.requests) == 1


def test_an_org_that_cannot_call_the_hook_answers_501_not_unpatched_tokens(servers, setup):
    """Issue 22: what the mock does not implement answers 501 (Okta's error JSON), never tokens that pass for what
    the hook would have made. An org built without the token hook step (`OpenIdConnect.hook` None) is such an org;
    with the hook deactivated it mints as usual."""
    mock, api, hook, hook_url = setup
    attached = attach(api, f"{hook_url}/claim")
    step, mock.oidc.hook = mock.oidc.hook, None
    try:
        refused = token(api)
        assert refused.status_code == 501, refused.text
        assert refused.json()["errorCode"] == "E0000015" and hook.requests == []
        api.post(f"/api/v1/inlineHooks/{attached['id']}/lifecycle/deactivate")
        assert "patientId" not in access_claims(token(api))
    finally:
        mock.oidc.hook = step
