"""Digits Python calls digits but `int()` does not read ("¹", "²", "³" are `str.isdigit()`; latin-1 decodes them from
single bytes): wherever a number enters (an admin form's position, the System Log's cursor, a `--set` list index,
Okta's `X-Rate-Limit-Reset`; a hook's status line and Content-Length are among tests/hook/test_channel.py's
RAW_ANSWERS), they are refused like any other non-number, never a 500 or a traceback. Found by the hostile fuzz
(`/admin/self-service-registration` with a position "¹" answered 500); each test here failed before the fix."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import responses

from mock_okta.hook.overrides import OverrideError, apply_override
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
