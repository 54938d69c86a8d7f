"""The Management API client pre-release verification uses: its error handling against Okta's real error shapes,
unit-tested with `responses`, then the same client over real HTTP against the mock's Management API."""

from __future__ import annotations

import pytest
import requests
import responses
from responses import matchers

from mock_okta.okta_org.client import MAX_RATE_LIMIT_WAIT, OrgClient, OrgError, uid_problem
from mock_okta.org.models import UserStatus

ORG = "https://dev-123.okta.example"


def okta_error(code: str, summary: str) -> dict:
    """Okta's error JSON (okta-management-openapi-spec `Error`)."""
    return {"errorCode": code, "errorSummary": summary, "errorLink": code, "errorId": "oae1", "errorCauses": []}


def client(**kwargs) -> tuple[OrgClient, list[float]]:
    slept: list[float] = []
    return OrgClient(ORG + "/", "t0ken", sleep=slept.append, clock=lambda: 1_000.0, **kwargs), slept


@responses.activate
def test_find_user_sends_okta_search_and_the_ssws_token():
    responses.get(
        f"{ORG}/api/v1/users",
        match=[
            matchers.query_param_matcher({"search": 'profile.email eq "a\\"b@example.com"'}),
            matchers.header_matcher({"Authorization": "SSWS t0ken"}),
        ],
        json=[{"id": "00u1"}],
    )
    assert client()[0].find_user_by_email('a"b@example.com')["id"] == "00u1"


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (401, okta_error("E0000011", "Invalid token provided"), "the API token was refused (E0000011)"),
        (403, okta_error("E0000006", "You do not have permission"), "the token lacks a permission (E0000006)"),
        (400, okta_error("E0000001", "Api validation failed: name"), "HTTP 400 E0000001: Api validation failed: name"),
    ],
)
@responses.activate
def test_okta_errors_become_one_line(status, body, message):
    responses.get(f"{ORG}/api/v1/inlineHooks", status=status, json=body)
    with pytest.raises(OrgError) as raised:
        client()[0].inline_hooks()
    assert message in str(raised.value) and "\n" not in str(raised.value)
    assert raised.value.status == status and raised.value.code == body["errorCode"]
    assert "t0ken" not in str(raised.value)


@responses.activate
def test_404_is_none_where_absence_is_an_answer():
    responses.get(f"{ORG}/api/v1/inlineHooks/calX", status=404, json=okta_error("E0000007", "Not found"))
    assert client()[0].inline_hook("calX") is None


@responses.activate
def test_429_waits_for_x_rate_limit_reset_then_retries():
    """Okta's rate limits: a 429 (E0000047) carries `X-Rate-Limit-Reset`, "the time at which the rate limit resets,
    specified in UTC epoch time (in seconds)" (okta-developer-docs `docs/reference/rl-best-practices/index.md`)."""
    responses.get(
        f"{ORG}/api/v1/users",
        status=429,
        json=okta_error("E0000047", "API call exceeded rate limit"),
        headers={"X-Rate-Limit-Reset": "1010"},
    )
    responses.get(f"{ORG}/api/v1/users", json=[])
    okta, slept = client()
    assert okta.json("GET", "/api/v1/users") == []
    assert slept == [11.0]


@responses.activate
def test_429_wait_is_bounded_and_gives_up():
    for _ in range(4):
        responses.get(f"{ORG}/api/v1/users", status=429, headers={"X-Rate-Limit-Reset": "999999"})
    okta, slept = client()
    with pytest.raises(OrgError, match="rate limited"):
        okta.json("GET", "/api/v1/users")
    assert slept == [MAX_RATE_LIMIT_WAIT] * 3


@responses.activate
def test_a_5xx_is_retried_once():
    responses.get(f"{ORG}/api/v1/users", status=503, json=okta_error("E0000009", "Internal Server Error"))
    responses.get(f"{ORG}/api/v1/users", json=[{"id": "00u1"}])
    assert client()[0].json("GET", "/api/v1/users") == [{"id": "00u1"}]
    responses.replace(responses.GET, f"{ORG}/api/v1/users", status=500, json=okta_error("E0000009", "Boom"))
    with pytest.raises(OrgError, match="HTTP 500 E0000009"):
        client()[0].json("GET", "/api/v1/users")


@responses.activate
def test_connection_errors_are_one_line():
    responses.get(f"{ORG}/api/v1/users", body=requests.exceptions.ConnectionError("Failed to resolve 'dev-123'"))
    with pytest.raises(OrgError, match="does not resolve"):
        client()[0].json("GET", "/api/v1/users")


@responses.activate
def test_listings_follow_link_next():
    responses.get(
        f"{ORG}/api/v1/users",
        match=[matchers.query_param_matcher({"search": 'profile.email sw "mokta"'})],
        json=[{"id": "00u1"}],
        headers={"Link": f'<{ORG}/api/v1/users?after=00u1>; rel="next"'},
    )
    responses.get(f"{ORG}/api/v1/users", match=[matchers.query_param_matcher({"after": "00u1"})], json=[{"id": "00u2"}])
    assert [u["id"] for u in client()[0].users_with_email_prefix("mokta")] == ["00u1", "00u2"]


@responses.activate
def test_deleting_deactivates_first():
    responses.post(f"{ORG}/api/v1/users/00u1/lifecycle/deactivate", json={})
    responses.delete(f"{ORG}/api/v1/users/00u1", status=204)
    responses.post(f"{ORG}/api/v1/inlineHooks/cal1/lifecycle/deactivate", json={})
    responses.delete(f"{ORG}/api/v1/inlineHooks/cal1", status=204)
    okta = client()[0]
    okta.delete_user("00u1")
    okta.remove_inline_hook("cal1")
    assert [(c.request.method, c.request.url.split("/api/v1/")[1]) for c in responses.calls] == [
        ("POST", "users/00u1/lifecycle/deactivate"),
        ("DELETE", "users/00u1"),
        ("POST", "inlineHooks/cal1/lifecycle/deactivate"),
        ("DELETE", "inlineHooks/cal1"),
    ]


def test_the_same_client_against_the_mock(okta_org):
    user = okta_org.org.store.create_user(
        {"login": "mokta-1@example.com", "email": "mokta-1@example.com"}, UserStatus.ACTIVE
    )
    okta = OrgClient(okta_org.url, okta_org.api_token)
    assert okta.find_user_by_email("mokta-1@example.com")["id"] == user.id
    assert [u["id"] for u in okta.users_with_email_prefix("mokta")] == [user.id]
    policy_id, rule = okta.profile_enrollment_rule()
    assert policy_id == okta_org.org.store.policy().id
    assert rule["actions"]["profileEnrollment"]["preRegistrationInlineHooks"] is None
    okta.delete_user(user.id)
    assert okta.find_user_by_email("mokta-1@example.com") is None


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("{uid}@example.com", None),
        ("slow.{uid}@acme.test", None),
        ("pat@{uid}.acme.test", None),
        ("pat@acme.test", "has no {uid}"),
        ("{uid}.{uid}@acme.test", "has more than one {uid}"),
    ],
)
def test_an_address_cleanup_could_not_find_is_named(template, problem):
    found = uid_problem(template)
    assert (found is None) if problem is None else (problem in found and "\n" not in found)


def test_a_runs_users_are_found_wherever_uid_sits_in_the_address(okta_org):
    """Okta's user search has `sw` and no "contains" (docs reference/core-okta-api "Operators": `co` is the System
    Log API's only), so the prefix before `{uid}` plus the run tag finds `slow.{uid}@acme.test`."""
    store = okta_org.org.store
    ours = ["mokta1a2b-1-aa@example.com", "slow.mokta1a2b-2-bb@acme.test", "pat@mokta1a2b-3-cc.acme.test"]
    others = ["slow.mokta9999-1-dd@acme.test", "slow.pat@acme.test", "mokta1a2bx@acme.test.evil"]
    for login in ours + others:
        store.create_user({"login": login, "email": login}, UserStatus.PROVISIONED)
    okta = OrgClient(okta_org.url, okta_org.api_token)
    templates = ["{uid}@example.com", "slow.{uid}@acme.test", "pat@{uid}.acme.test", "fixed@acme.test"]
    found = sorted(u["profile"]["email"] for u in okta.users_of_runs("mokta1a2b-", templates))
    assert found == sorted(ours)
    assert "slow.mokta9999-1-dd@acme.test" in [u["profile"]["email"] for u in okta.users_of_runs("mokta", templates)]
