"""The sample hook's token route (`POST /tokenHook`): the token inline hook guide's patients hook
(okta-developer-docs `docs/guides/token-inline-hook/main/index.md`, "Create a patient store" and "Receive and
respond to the Okta hook"; `main/nodejs/send-response.md`), served for real on loopback and called the way Okta
calls it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from hook_under_test import HookSettings, create_app
from mock_okta.hook.channel import ChannelConfig
from mock_okta.hook.registry import RequestOptions
from mock_okta.hook.run import run_hook_sync
from mock_okta.hooktypes import TOKEN
from mock_okta.hooktypes.token import Outcome
from mock_okta.serving.thread import ServerThread

AUTH = "Authorization: Basic YWRtaW46c3VwZXJzZWNyZXQ="


@pytest.fixture(scope="module")
def hook() -> Iterator[str]:
    with ServerThread(create_app(HookSettings.build())) as server:
        yield server.url + "/tokenHook"


def call(url: str, kind: str | None = None, *, email: str | None = None, auth: str | None = AUTH) -> object:
    config = TOKEN.channel_config(ChannelConfig.from_header_lines(url, auth))
    return run_hook_sync(config, TOKEN, TOKEN.build_request(kind, RequestOptions(seed=3, email=email)))


@pytest.mark.parametrize(("login", "patient_id"), [("jessie.smith@example.com", "1235"), ("rajiv.tal@example.com",
                                                                                          "4235")])  # fmt: skip
def test_a_patient_gets_ext_patient_id_in_the_id_token(hook, login, patient_id):
    run = call(hook, email=login)
    verdict = run.verdict
    assert (run.outcome, verdict.failure, verdict.violations) == (Outcome.PATCHED, None, [])
    assert verdict.claims("identity")["extPatientId"] == patient_id
    assert "extPatientId" not in verdict.claims("access")  # the guide patches the ID token only
    assert TOKEN.response_problems(run.exchange.body) == []


def test_anyone_else_gets_204_and_the_tokens_as_minted(hook):
    # The guide: "If the user isn't part of the data store, no action is taken" (`response.status(204).send()`).
    run = call(hook, email="someone.else@example.com")
    assert (run.exchange.status, run.outcome, run.verdict.failure) == (204, Outcome.UNCHANGED, None)
    assert "extPatientId" not in run.verdict.claims("identity")


def test_a_service_token_has_nothing_to_patch(hook):
    # Client credentials mint no ID token: the hook must not answer an identity patch (Okta would drop it).
    run = call(hook, "client_credentials")
    assert (run.exchange.status, run.outcome, run.verdict.failure) == (204, Outcome.UNCHANGED, None)


@pytest.mark.parametrize(
    "auth", [None, "Authorization: Basic d3Jvbmc6d3Jvbmc=", "Authorization: basic YWRtaW46c3VwZXJzZWNyZXQ="]
)
def test_a_missing_or_wrong_auth_header_is_401(hook, auth):
    # The guide checks Basic credentials with safeCompare; the route compares the header in constant time.
    run = call(hook, email="jessie.smith@example.com", auth=auth)
    assert run.exchange.status == 401 and run.exchange.body == b""
    assert run.verdict.failure == "http_status" and run.outcome == Outcome.UNCHANGED


@pytest.mark.parametrize(
    ("body", "status", "location"),
    [
        ({"eventType": "com.okta.oauth2.tokens.transform"}, 400, "data"),
        ({"eventType": "com.okta.oauth2.tokens.transform", "data": {"identity": []}}, 400, "data.identity.claims"),
        ({"data": {"identity": {"claims": {}}}}, 400, "eventType"),
        ([], 400, "$"),
        (b'{"eventId": ', 400, "$"),
    ],
)
def test_what_is_not_a_token_request_is_a_clear_400(hook, body, status, location):
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", "Authorization": AUTH.partition(": ")[2]}
    response = httpx.post(hook, content=content, headers=headers)
    assert response.status_code == status
    assert response.json()["location"] == location


def test_a_registration_request_at_the_token_route_names_the_problem(hook):
    from mock_okta.hooktypes import REGISTRATION

    headers = {"Content-Type": "application/json", "Authorization": AUTH.partition(": ")[2]}
    response = httpx.post(hook, json=REGISTRATION.build_request(), headers=headers)
    assert response.status_code == 400 and "not an Okta token hook request" in response.json()["message"]


def post(url: str, body: object) -> httpx.Response:
    headers = {"Content-Type": "application/json", "Authorization": AUTH.partition(": ")[2]}
    return httpx.post(url, json=body, headers=headers)


def test_the_guides_preview_request_is_answered(hook):
    # The guide ("Preview the token inline hook"): "click Edit to add an identity object required by the external
    # service code" of `{"claims": {"preferred_username": ...}}` alone, with no `token` (review of issue 22, defect 5).
    request = TOKEN.build_request(None, RequestOptions(seed=5))
    request["data"]["identity"] = {"claims": {"preferred_username": "jessie.smith@example.com"}}
    response = post(hook, request)
    assert response.status_code == 200
    assert response.json()["commands"][0]["value"] == [{"op": "add", "path": "/claims/extPatientId", "value": "1235"}]
    request["data"]["identity"] = {"claims": {"preferred_username": "test.user@example.com"}}
    assert post(hook, request).status_code == 204


@pytest.mark.parametrize(
    "missing", [("context", "policy"), ("access", "scopes"), ("context", "request", "ipAddress"), ("access",)]
)
def test_a_request_missing_what_the_hook_does_not_read_is_answered(hook, missing):
    # The management spec marks no member of TokenPayLoad, BaseToken, BaseContext or InlineHookRequestObject
    # required: a tolerant reader answers without them (review of issue 22, defect 5).
    request = TOKEN.build_request(None, RequestOptions(seed=6, email="rajiv.tal@example.com"))
    *parents, last = missing
    node = request["data"]
    for key in parents:
        node = node[key]
    del node[last]
    response = post(hook, request)
    assert response.status_code == 200 and response.json()["commands"][0]["value"][0]["value"] == "4235"
