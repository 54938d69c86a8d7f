"""Hostile input never breaks the org (issue 9): what cannot be represented is refused where it enters, cross-site
requests cannot change the org, secrets never come back, one state handle registers one user. Every test here
failed before its fix."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mock_okta.hook.run import run_sync
from mock_okta.hook.settings import CallSettings
from mock_okta.org import Org, OrgSettings
from mock_okta.org.system_log import hook_lifecycle
from mock_okta.org.web import create_app
from mock_okta.serving.thread import ServerThread

TOKEN = "hostile-token"
API = {"Authorization": f"SSWS {TOKEN}"}
READS = [
    "/api/v1/users",
    "/api/v1/logs",
    "/api/v1/inlineHooks",
    "/_mock/journal",
    "/admin/journal",
    "/admin/inline-hooks",
]


CALL = CallSettings(timeout=0.5, max_retries=0)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Org, str]]:
    """One org and server for the module: starting and stopping a server per test was most of the module's time."""
    mock = Org(settings=OrgSettings(call=CALL, api_token=TOKEN))
    with ServerThread(create_app(mock)) as server:
        yield mock, server.url


@pytest.fixture
def org(served: tuple[Org, str]) -> Iterator[tuple[Org, httpx.Client]]:
    """The module's org, reset as a new one (`Org.reset`, which the plugin's `okta_org` relies on too) with this
    module's call settings and no extra allowed hosts, and a new client (no cookies from an earlier test)."""
    mock, url = served
    mock.reset()
    mock.settings.call = CALL
    mock.settings.allowed_hosts = ()
    with httpx.Client(base_url=url, timeout=10) as client:
        yield mock, client


def enrollment(client: httpx.Client, mock: Org) -> str:
    handle = mock.flow.start()
    client.post("/idp/idx/enroll", json={"stateHandle": handle})
    return handle


def raw_sign_up(client: httpx.Client, handle: str, first_name_json: str) -> httpx.Response:
    profile = f'{{"firstName": {first_name_json}, "lastName": "L", "email": "h@example.com"}}'
    body = f'{{"stateHandle": "{handle}", "userProfile": {profile}}}'
    return client.post("/idp/idx/enroll/new", content=body, headers={"Content-Type": "application/json"})


def sign_up(client: httpx.Client, handle: str, email: Any) -> httpx.Response:
    profile = {"firstName": "A", "lastName": "B", "email": email}
    return client.post("/idp/idx/enroll/new", json={"stateHandle": handle, "userProfile": profile})


def every_read_answers(client: httpx.Client) -> None:
    for path in READS:
        response = client.get(path, headers=API)
        assert response.status_code == 200, (path, response.text[:300])


@pytest.mark.parametrize("value", ['"\\ud800"', "NaN", "1e999", "-Infinity"])
def test_unrepresentable_sign_up_is_refused_and_never_stored(org, value):
    """Issue 9 #1: a sign-up with a lone surrogate, NaN or 1e999 used to answer 200 and break every later read."""
    mock, client = org
    response = raw_sign_up(client, enrollment(client, mock), value)
    assert response.status_code == 400 and response.json()["errorCode"] == "E0000003"
    assert mock.store.users() == []
    every_read_answers(client)


@pytest.mark.parametrize("behaviour", ["surrogate-update", "nan-debug-context", "infinite-update"])
def test_an_unrepresentable_hook_answer_is_an_invalid_response(org, scripted, behaviour):
    """Issue 9 #1: the same through a hook's profile update or debugContext: the hook failed, nothing is stored."""
    mock, client = org
    mock.inline_hooks.create_and_attach("hostile", f"{scripted[1]}/respond/{behaviour}", None)
    response = sign_up(client, enrollment(client, mock), "a@example.com")
    assert response.status_code == 400
    assert response.json()["messages"]["value"][0]["i18n"]["key"] == "registration.error.generic"
    [call] = mock.store.hook_calls()
    assert call.failure == "invalid_response"
    assert "cannot be represented" in call.record["violations"][0]["message"]
    every_read_answers(client)


@pytest.mark.parametrize(("behaviour", "problem"), [("login-object", "login must be"), ("login-null", "login must be")])
def test_a_hook_setting_login_to_a_non_string_fails_the_call(org, scripted, behaviour, problem):
    """Issue 9 #4: login set to an object was a 500; to null, "A user with this Email already exists"."""
    mock, client = org
    mock.inline_hooks.create_and_attach("hostile", f"{scripted[1]}/respond/{behaviour}", None)
    response = sign_up(client, enrollment(client, mock), "b@example.com")
    assert response.status_code == 400 and mock.store.users() == []
    assert problem in mock.store.hook_calls()[0].record["violations"][0]["message"]


@pytest.mark.parametrize(
    ("path", "method", "body"),
    [
        ("/api/v1/inlineHooks", "POST", '{"name": NaN}'),
        ("/api/v1/policies/rst1default0policy00", "PUT", '{"name": "\\ud800"}'),
        ("/_mock/config", "PUT", '{"timeout": 1e999}'),
    ],
)
def test_unrepresentable_api_bodies_are_e0000003(org, path, method, body):
    _, client = org
    response = client.request(method, path, content=body, headers={**API, "Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["errorCode"] == "E0000003"
    every_read_answers(client)


def hook_body(uri: str = "https://hooks.example.com/h", **config) -> dict:
    return {
        "name": "Hostile",
        "type": "com.okta.user.pre-registration",
        "version": "1.0.0",
        "channel": {"type": "HTTP", "version": "1.0.0", "config": {"uri": uri, "method": "POST", **config}},
    }


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(hook_body(headers=[{"key": "café", "value": "x"}]), id="non-ASCII header name"),
        pytest.param(hook_body(headers=[{"key": "X-A", "value": "café"}]), id="non-ASCII header value"),
        pytest.param(hook_body(headers=[{"key": "X-\ud800", "value": "x"}]), id="surrogate header name"),
        pytest.param(
            hook_body(authScheme={"type": "HEADER", "key": "Authorization", "value": "sécret"}), id="non-ASCII secret"
        ),
        pytest.param(
            hook_body(authScheme={"type": "HEADER", "key": "Authorization", "value": "s3cret "}),
            id="secret with a trailing space",
        ),
        pytest.param(hook_body("http://127.0.0.1:abc/x"), id="port abc"),
        pytest.param(hook_body("http://127.0.0.1:99999/x"), id="port out of range"),
        pytest.param(hook_body("http://[::1/x"), id="broken IPv6"),
        pytest.param(hook_body("https://hooks.example.com/\x00x"), id="NUL in the URI"),
    ],
)
def test_hook_settings_that_cannot_be_sent_are_refused_on_create(org, body):
    """Issue 9 #4 and #3: accepted before, then every call was a 500 (or the HTTP library's error quoted the secret)."""
    mock, client = org
    response = client.post(
        "/api/v1/inlineHooks", content=json.dumps(body), headers={**API, "Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["errorCode"] in ("E0000001", "E0000003")
    assert "s3cret" not in response.text and "sécret" not in response.text
    assert mock.store.inline_hooks() == []


@pytest.mark.parametrize(
    "body", [{"data": 5}, {"data": {"userProfile": 5}}, {"data": {"context": []}}, {"requestType": []}]
)
def test_execute_with_odd_shapes_answers_and_journals(org, scripted, body):
    """Issue 9 #4: execute with {"data": 5} and similar shapes was a 500 after calling the hook."""
    mock, client = org
    hook = mock.inline_hooks.create_and_attach("h", f"{scripted[1]}/respond/allow", None)
    response = client.post(f"/api/v1/inlineHooks/{hook.id}/execute", json=body, headers=API)
    assert response.status_code == 200
    assert len(mock.store.hook_calls()) == 1


def test_preview_with_deep_json_is_a_clear_error(org, scripted):
    mock, client = org
    hook = mock.inline_hooks.create_and_attach("h", f"{scripted[1]}/respond/allow", None)
    deep = "[" * 10_000 + "]" * 10_000
    response = client.post(
        f"/admin/inline-hooks/{hook.id}/preview/response", content=deep, headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 400 and response.json()["errorCode"] == "E0000003"
    assert "nested deeper" in response.json()["errorCauses"][0]["errorSummary"]


def test_a_non_text_form_value_is_a_field_error(org):
    """Issue 9 #4: userProfile.email as an object was a 500."""
    mock, client = org
    response = sign_up(client, enrollment(client, mock), {"a": 1})
    assert response.status_code == 400 and mock.store.users() == []


# -- cross-site requests (issue 9 #2) -----------------------------------------------------------------------------
EVIL = {"Origin": "https://evil.example"}


def test_a_cross_site_admin_form_cannot_create_a_hook(org):
    mock, client = org
    form = {
        "name": "Evil",
        "uri": "https://evil.example/c",
        "auth_key": "Authorization",
        "auth_value": "x",
        "attach": "yes",
    }
    response = client.post("/admin/inline-hooks/new", data=form, headers=EVIL)
    assert response.status_code == 403 and response.json()["errorCode"] == "E0000006"
    assert mock.store.inline_hooks() == []
    same_site = client.post("/admin/inline-hooks/new", data=form, headers={"Sec-Fetch-Site": "cross-site"})
    assert same_site.status_code == 403


@pytest.mark.parametrize(("method", "path"), [("POST", "/_mock/reset"), ("PUT", "/_mock/config")])
def test_the_control_api_refuses_cross_origin_requests(org, method, path):
    mock, client = org
    mock.inline_hooks.create_and_attach("kept", "https://hooks.example.com/h", None)
    response = client.request(method, path, json={}, headers=EVIL)
    assert response.status_code == 403
    assert len(mock.store.inline_hooks()) == 1


@pytest.mark.parametrize("origin", ["http://[::1", "null", "http://127.0.0.1:1"])
def test_an_odd_or_foreign_origin_is_refused_not_a_500(org, origin):
    _, client = org
    assert client.post("/_mock/reset", headers={"Origin": origin}).status_code == 403


def test_same_origin_admin_requests_still_work(org):
    mock, client = org
    form = {"name": "Mine", "uri": "https://hooks.example.com/h", "auth_key": "Authorization", "auth_value": "x"}
    response = client.post("/admin/inline-hooks/new", data=form, headers={"Origin": str(client.base_url)})
    assert response.status_code == 303 and len(mock.store.inline_hooks()) == 1


@pytest.mark.parametrize("host", ["evil.example", "evil.example:7070", "192.0.2.1"])
def test_a_host_not_allowed_is_refused_against_dns_rebinding(org, host):
    _, client = org
    response = client.get("/_mock/journal", headers={"Host": host})
    assert response.status_code == 403 and "--allowed-host" in response.json()["errorCauses"][0]["errorSummary"]


def test_allowed_hosts_are_a_setting(org):
    mock, client = org
    mock.settings.allowed_hosts = ("okta.test",)
    assert client.get("/_mock/journal", headers={"Host": "okta.test:7070"}).status_code == 200


def test_idx_takes_json_only(org):
    mock, client = org
    handle = enrollment(client, mock)
    response = client.post("/idp/idx/enroll/new", data={"stateHandle": handle}, headers=EVIL)
    assert response.status_code == 415


# -- one registration per state handle (issue 9 #7) ---------------------------------------------------------------
def test_one_state_handle_registers_one_user_however_concurrent(org, scripted):
    mock, client = org
    mock.inline_hooks.create_and_attach("slowish", f"{scripted[1]}/respond/allow", None)
    handle = enrollment(client, mock)

    async def burst() -> list[int]:
        async with httpx.AsyncClient(base_url=str(client.base_url), timeout=10) as http:
            replies = await asyncio.gather(
                *(
                    http.post(
                        "/idp/idx/enroll/new",
                        json={
                            "stateHandle": handle,
                            "userProfile": {"firstName": "A", "lastName": "B", "email": f"u{i}@example.com"},
                        },
                    )
                    for i in range(20)
                )
            )
        return [r.status_code for r in replies]

    statuses = run_sync(burst())  # also where a Playwright test left its event loop running
    assert statuses.count(200) == 1
    assert len(mock.store.users()) == 1


def test_enroll_new_without_the_enroll_step_is_refused(org):
    mock, client = org
    response = sign_up(client, mock.flow.start(), "skip@example.com")
    assert response.status_code == 400 and mock.store.users() == []


# -- bounded history (issue 9 #8) -----------------------------------------------------------------------------------
def test_journal_and_system_log_keep_the_retention(scripted):
    # An org of its own, never served: the ids it checks count from a new store's first row (a reset keeps counting).
    mock = Org(settings=OrgSettings(call=CALL, api_token=TOKEN))
    mock.settings.retention = 150
    hook = mock.inline_hooks.create_and_attach("h", f"{scripted[1]}/respond/allow", None)
    for _ in range(400):
        mock.store.record_hook_call(hook.id, {"outcome": "ALLOW", "failure": None, "attempts": [{"ms": 1.0}]})
    kept = mock.store.hook_calls()
    assert 150 <= len(kept) < 150 + mock.store.PRUNE_EVERY
    assert kept[0].id == 400, "the newest calls are kept"
    for _ in range(400):
        mock.store.log_event(hook_lifecycle(hook, "updated"))
    assert 150 <= len(mock.store.log_events()) < 150 + mock.store.PRUNE_EVERY


def test_system_log_limit_and_time_window_read_in_sql(org, scripted):
    mock, client = org
    hook = mock.inline_hooks.create_and_attach("h", f"{scripted[1]}/respond/allow", None)
    for _ in range(450):
        mock.store.log_event(hook_lifecycle(hook, "updated"))
    newest = client.get("/api/v1/logs", params={"limit": 10, "sortOrder": "DESCENDING"}, headers=API).json()
    oldest = client.get("/api/v1/logs", params={"limit": 10}, headers=API).json()
    assert len(newest) == len(oldest) == 10
    assert newest[0]["published"] >= oldest[-1]["published"]
    later = client.get("/api/v1/logs", params={"since": "2100-01-01T00:00:00+02:00"}, headers=API).json()
    assert later == []
