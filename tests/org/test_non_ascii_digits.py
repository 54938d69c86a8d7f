"""Digits Python calls digits but `int()` does not read ("¹", "²", "³" are `str.isdigit()`; latin-1 decodes them from
single bytes): wherever a number enters (an admin form's position, the System Log's cursor, a hook's HTTP status line
and Content-Length, a `--set` list index, Okta's `X-Rate-Limit-Reset`), they are refused like any other non-number,
never a 500 or a traceback. Found by the hostile fuzz (`/admin/self-service-registration` with a position "¹" answered
500); each test here failed before the fix."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import responses

from mock_okta.hook.channel import ChannelConfig, Failure, HookChannel
from mock_okta.hook.overrides import OverrideError, apply_override
from mock_okta.hook.run import run_sync
from mock_okta.hooktypes.registration.payloads import build_request
from mock_okta.okta_org.client import OrgClient
from mock_okta.org import Org, OrgSettings
from mock_okta.org.web import create_app
from mock_okta.serving.thread import ServerThread

TOKEN = "digits-token"
SUPERSCRIPTS = "¹²³"


@pytest.fixture(scope="module")
def org_url() -> Iterator[str]:
    with ServerThread(create_app(Org(settings=OrgSettings(api_token=TOKEN)))) as server:
        yield server.url


def test_a_position_of_superscript_digits_on_the_admin_page_is_refused_on_the_page(org_url):
    form = {"name": "9", "order.employeeNumber": "¹"}
    response = httpx.post(org_url + "/admin/self-service-registration", data=form)
    assert response.status_code == 400, response.text[:300]
    assert "a whole number" in response.text


def test_a_system_log_cursor_of_superscript_digits_is_e0000001(org_url):
    response = httpx.get(
        org_url + "/api/v1/logs", params={"after": SUPERSCRIPTS}, headers={"Authorization": f"SSWS {TOKEN}"}
    )
    assert response.status_code == 400 and response.json()["errorCode"] == "E0000001", response.text


@pytest.mark.parametrize(
    "answer",
    [b"HTTP/1.1 \xb9\xb2\xb3 OK\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: \xb2\r\n\r\n{}"],
    ids=["status code", "Content-Length"],
)
def test_a_hook_answering_superscript_digits_is_a_failed_call(answer):
    async def scenario() -> Any:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(answer)
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server, HookChannel(ChannelConfig(f"http://127.0.0.1:{port}/h", timeout=2, max_retries=0)) as ch:
            return await ch.send(build_request(seed=4))

    exchange = run_sync(scenario())
    assert exchange.attempts[-1].error == Failure.CONNECTION, exchange.attempts[-1]


def test_a_set_list_index_of_superscript_digits_is_no_such_index():
    with pytest.raises(OverrideError, match="no such list index"):
        apply_override({"a": [1, 2]}, "a.¹=3")


@responses.activate
def test_a_rate_limit_reset_of_superscript_digits_waits_one_second():
    org = "https://dev-1.okta.com"
    responses.get(f"{org}/api/v1/users", status=429, headers={"X-Rate-Limit-Reset": "¹"})
    responses.get(f"{org}/api/v1/users", json=[])
    slept: list[float] = []
    client = OrgClient(org, "token", sleep=slept.append)
    assert client.json("GET", "/api/v1/users") == [] and slept == [1.0]
