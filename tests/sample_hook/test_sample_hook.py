"""The sample hook (`hook_under_test`) served for real on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hook_under_test import HookSettings, create_app
from hook_under_test.settings import SettingsError
from mock_okta import MockOkta, assert_allowed, assert_denied, assert_no_violations
from mock_okta.hooktypes.registration.payloads import build_request
from mock_okta.serving.thread import ServerThread

AUTH = {"Authorization": "Basic YWRtaW46c3VwZXJzZWNyZXQ="}


@pytest.fixture(scope="module")
def hook() -> Iterator[str]:
    with ServerThread(create_app(HookSettings.build(allowed_domains=["example.com", "example.org"]))) as server:
        yield server.url


@pytest.fixture(scope="module")
def client(hook) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=hook, timeout=5) as http:
        yield http


def post(client: httpx.Client, body: object, headers: dict[str, str] | None = None) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(
        "/registrationHook",
        content=content,
        headers={"Content-Type": "application/json", **AUTH, **(headers or {})},
    )


def test_example_com_is_allowed(mock_okta):
    run = mock_okta.fire(domain="example.com")
    assert_allowed(run)
    assert_no_violations(run)


def test_other_domain_is_denied_under_the_email_field(mock_okta):
    run = mock_okta.fire(domain="gmail.com")
    assert_denied(run, field="email", message="Only example.com emails can register.")
    assert_no_violations(run)
    assert run.response_body()["error"]["errorCauses"][0]["reason"] == "INVALID_EMAIL_DOMAIN"


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("pat@example.com", True),
        ("Pat@EXAMPLE.COM", True),
        ("pat@example.org", True),
        ("pat@sub.example.com", False),
        ("pat@evil-example.com", False),
        ("pat@example.com.attacker.net", False),
        ("example.com@attacker.net", False),
        ("pat@attacker.net@example.com", True),
        ("no-at-sign", False),
    ],
)
def test_domain_rule_is_exact_and_case_insensitive(hook, email, allowed):
    okta = MockOkta(f"{hook}/registrationHook", auth_header="Authorization: " + AUTH["Authorization"])
    run = okta.fire(email=email)
    assert run.outcome == ("ALLOW" if allowed else "DENY")
    if not allowed:
        assert_denied(run, field="email", message="Only example.com or example.org emails can register.")


def test_progressive_profile_valid_employee_number(mock_okta):
    run = mock_okta.fire(request_type="profile-update", sets=['data.userProfileUpdate.employeeNumber="1234"'])
    assert_allowed(run, profile={"employeeNumber": "1234"})
    assert_no_violations(run)


@pytest.mark.parametrize("number", ['"123"', '"12345"', '"12a4"', "1234", '"1234\\n"'])
def test_progressive_profile_invalid_employee_number(mock_okta, number):
    run = mock_okta.fire(request_type="profile-update", sets=[f"data.userProfileUpdate.employeeNumber={number}"])
    assert_denied(run, field="employeeNumber", message="Employee numbers must have 4 digits.")


def test_classic_request_without_request_type(mock_okta):
    request = build_request(domain="example.com", sets=["data.action=null"])
    del request["requestType"]
    assert_allowed(mock_okta.fire(request))


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Basic d3Jvbmc6d3Jvbmc="}, {"Authorization": "basic YWRtaW46c3VwZXJzZWNyZXQ="}],
)
def test_missing_or_wrong_auth_is_401_with_empty_body(client, headers):
    response = client.post(
        "/registrationHook",
        content=json.dumps(build_request()),
        headers={"Content-Type": "application/json", **headers},
    )
    assert response.status_code == 401
    assert response.content == b""


def test_wrong_content_type_is_415(client):
    response = client.post("/registrationHook", content=b"{}", headers={**AUTH, "Content-Type": "text/plain"})
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_media_type"


def test_body_over_64kb_is_413(client):
    response = post(client, b"{" + b" " * (64 * 1024) + b"}")
    assert response.status_code == 413


def test_body_over_64kb_without_content_length_is_413(client):
    def chunks() -> Iterator[bytes]:
        for _ in range(70):
            yield b" " * 1024

    response = client.post("/registrationHook", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 413


def test_unparsable_json_is_400(client):
    response = post(client, b'{"eventId": ')
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_json"


@pytest.mark.parametrize(
    ("mutate", "location"),
    [
        (lambda r: r.pop("eventType"), "eventType"),
        (lambda r: r["data"].pop("userProfile"), "data.userProfile"),
        (lambda r: r.update(requestType="sign.in"), "requestType"),
        (lambda r: r["data"]["context"]["request"].update(url=5), "data.context.request.url"),
    ],
)
def test_not_an_okta_request_is_400_naming_the_path(client, mutate, location):
    request = build_request()
    mutate(request)
    response = post(client, request)
    assert response.status_code == 400
    assert response.json()["location"] == location


def test_wrong_method_is_405(client):
    response = client.get("/registrationHook", headers=AUTH)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_settings_reject_bad_values():
    with pytest.raises(SettingsError):
        HookSettings.build(auth_header="no-colon")
    with pytest.raises(SettingsError):
        HookSettings.build(allowed_domains=["a@b.com"])


def test_custom_auth_header(monkeypatch):
    monkeypatch.setenv("HOOK_AUTH_HEADER", "X-Hook-Secret: s3cret")
    with ServerThread(create_app(HookSettings.build())) as server:
        ok = MockOkta(f"{server.url}/registrationHook", auth_header="X-Hook-Secret: s3cret").fire(domain="example.com")
        bad = MockOkta(f"{server.url}/registrationHook", auth_header="X-Hook-Secret: nope").fire(domain="example.com")
    assert_allowed(ok)
    assert bad.exchange.attempts[0].status == 401 and bad.outcome == "DENY"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


def _mutated_requests() -> st.SearchStrategy[object]:
    def mutate(args: tuple[str, str, object]) -> object:
        kind, path, value = args
        request = build_request("registration" if kind == "r" else "profile-update", seed=1)
        node: object = request
        keys = path.split(".")
        for key in keys[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node[keys[-1]] = value
        return request

    paths = st.sampled_from(
        [
            "requestType",
            "eventType",
            "data",
            "data.userProfile",
            "data.userProfile.email",
            "data.userProfileUpdate",
            "data.userProfileUpdate.employeeNumber",
            "data.context",
            "data.action",
        ]
    )
    return st.tuples(st.sampled_from("rp"), paths, json_values).map(mutate)


@given(body=st.one_of(json_values, _mutated_requests()))
def test_property_no_5xx_for_any_json_body(client, body):
    """Property: whatever JSON arrives, the hook answers 200 or a 4xx, never a 5xx."""
    response = post(client, body)
    assert response.status_code in (200, 400), response.text


@given(raw=st.binary(max_size=300))
def test_property_no_5xx_for_any_bytes(client, raw):
    response = post(client, raw)
    assert response.status_code in (200, 400)


def test_in_process_transport_takes_the_same_code_path():
    """httpx.ASGITransport calls the hook app without sockets, through the same channel and verdict."""
    okta = MockOkta(
        "https://hook.test/registrationHook",
        auth_header="Authorization: " + AUTH["Authorization"],
        transport=httpx.ASGITransport(create_app()),
    )
    assert_allowed(okta.fire(domain="example.com"))
    denied = okta.fire(domain="gmail.com")
    assert_denied(denied, field="email", message="Only example.com emails can register.")
    assert [run.outcome for run in okta.runs] == ["ALLOW", "DENY"]
    assert denied.exchange.attempts[0].status == 200


def test_the_hook_server_drops_connections_that_send_no_headers():
    """Issue 9 #9: slowloris on the sample hook's own server (`hook-under-test`)."""
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    exe = Path(sys.executable).parent / "hook-under-test"
    process = subprocess.Popen([str(exe), "--port", str(port), "--header-timeout", "0.3"], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                idle = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        idle.settimeout(3)
        assert idle.recv(1024) == b"", "the server closes a connection that sends no headers"
        idle.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
