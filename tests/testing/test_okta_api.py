"""The `requests` client the e2e suite uses against a real org: unit-tested with `responses`, then exercised over
real HTTP against the mock's Management API."""

from __future__ import annotations

import pytest
import responses
from responses import matchers

from e2e.okta_api import OktaApiError, OktaUsers
from mock_okta.org.models import UserStatus

ORG = "https://dev-123.okta.example"


@responses.activate
def test_find_by_email_sends_okta_search_and_ssws_token():
    responses.get(
        f"{ORG}/api/v1/users",
        match=[
            matchers.query_param_matcher({"search": 'profile.email eq "pat@example.com"'}),
            matchers.header_matcher({"Authorization": "SSWS t0ken"}),
        ],
        json=[{"id": "00u1", "profile": {"email": "pat@example.com"}}],
    )
    assert OktaUsers(ORG + "/", "t0ken").find_by_email("pat@example.com")["id"] == "00u1"


@responses.activate
def test_find_by_email_escapes_quotes_and_returns_none_when_absent():
    responses.get(
        f"{ORG}/api/v1/users",
        match=[matchers.query_param_matcher({"search": 'profile.email eq "a\\"b@example.com"'})],
        json=[],
    )
    assert OktaUsers(ORG, "t").find_by_email('a"b@example.com') is None


@responses.activate
def test_delete_deactivates_first_then_deletes():
    responses.post(f"{ORG}/api/v1/users/00u1/lifecycle/deactivate", json={})
    responses.delete(f"{ORG}/api/v1/users/00u1", status=204)
    OktaUsers(ORG, "t").delete("00u1")
    assert [call.request.method for call in responses.calls] == ["POST", "DELETE"]


@responses.activate
def test_errors_carry_oktas_summary():
    responses.get(
        f"{ORG}/api/v1/users", status=401, json={"errorCode": "E0000011", "errorSummary": "Invalid token provided"}
    )
    with pytest.raises(OktaApiError, match="HTTP 401: Invalid token provided"):
        OktaUsers(ORG, "bad").find_by_email("x@example.com")


def test_same_client_against_the_mock(okta_org):
    user = okta_org.org.store.create_user({"login": "real@example.com", "email": "real@example.com"}, UserStatus.ACTIVE)
    client = OktaUsers(okta_org.url, okta_org.api_token)
    assert client.find_by_email("real@example.com")["id"] == user.id
    client.delete(user.id)
    assert client.find_by_email("real@example.com") is None
    with pytest.raises(OktaApiError, match="401"):
        OktaUsers(okta_org.url, "wrong").find_by_email("real@example.com")
