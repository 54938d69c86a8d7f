"""Plain functions the org's test modules share: they build a body, judge a response or drive one step of a flow on
the org and client they are given, so each test keeps its own org (a fixture would tie them to one). Fixtures that
hold a server or a client live in conftest.py."""

from __future__ import annotations

from typing import Any

import httpx

from mock_okta.org import Org

REG = "com.okta.user.pre-registration"


def hook_body(uri: str, name: str = "Registration hook", **config: Any) -> dict[str, Any]:
    """A registration inline hook as the Management API takes it, calling `uri` with the guide's auth header."""
    return {
        "name": name,
        "type": REG,
        "version": "1.0.0",
        "channel": {
            "type": "HTTP",
            "version": "1.0.0",
            "config": {
                "uri": uri,
                "method": "POST",
                "headers": [{"key": "X-Other-Header", "value": "other"}],
                "authScheme": {"type": "HEADER", "key": "Authorization", "value": "Basic YWRtaW46c3VwZXJzZWNyZXQ="},
                **config,
            },
        },
    }


def assert_okta_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """`response` is Okta's error shape with this status and error code; returns the body."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["errorCode"] == code and body["errorLink"] == code
    assert body["errorId"] and isinstance(body["errorCauses"], list) and body["errorSummary"]
    return body


def policy_and_rule(api: httpx.Client) -> tuple[dict, dict]:
    """The profile enrollment policy and its rule as the API reads them now (tests read them again after a change)."""
    [policy] = api.get("/api/v1/policies", params={"type": "PROFILE_ENROLLMENT"}).json()
    [rule] = api.get(f"/api/v1/policies/{policy['id']}/rules").json()
    return policy, rule


def start_enrollment(mock: Org, client: httpx.Client) -> str:
    """A new IDX transaction on `mock`, through introspect and select-enroll-profile: its state handle."""
    handle = mock.flow.start()
    assert client.post("/idp/idx/introspect", json={"stateToken": handle}).status_code == 200
    assert client.post("/idp/idx/enroll", json={"stateHandle": handle}).status_code == 200
    return handle


def sign_up(client: httpx.Client, handle: str, **profile: str) -> httpx.Response:
    """Submit the sign-up form of the transaction `handle` with `profile`."""
    return client.post("/idp/idx/enroll/new", json={"stateHandle": handle, "userProfile": profile})
