"""Where a green run on the mock must mean a green run on a real org (issue 10): each rule names its source, Okta's
Management API spec (okta-management-openapi-spec `dist/current/management-oneOfInheritance.yaml`), its developer
docs, or a real org's answer recorded in okta-sdk-python `tests/integration/cassettes/`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mock_okta.hooktypes.registration.contract import validate_request
from mock_okta.org.models import UserStatus

from .helpers import assert_okta_error, hook_body, policy_and_rule, sign_up, start_enrollment


def new_user(api: httpx.Client, email: str = "ada@example.com", **query: Any) -> httpx.Response:
    profile = {"firstName": "Ada", "lastName": "Lovelace", "email": email, "login": email}
    return api.post("/api/v1/users", params=query, json={"profile": profile})


# -- inline hooks -------------------------------------------------------------------------------------------------
def test_hook_links_follow_its_status(api):
    """Row 9: ACTIVE has self, execute, deactivate; INACTIVE has activate, self, delete (cassette
    test_inline_hooks_it/TestInlineHooksResource.test_activate_deactivate_inline_hook.yaml)."""
    hook = api.post("/api/v1/inlineHooks", json=hook_body("https://a.example/h")).json()
    assert set(hook["_links"]) == {"self", "execute", "deactivate"}
    inactive = api.post(f"/api/v1/inlineHooks/{hook['id']}/lifecycle/deactivate").json()
    assert set(inactive["_links"]) == {"activate", "self", "delete"}
    assert inactive["_links"]["delete"]["hints"]["allow"] == ["DELETE"]


@pytest.mark.parametrize(
    "answer", ["action-key", "unknown-command", "progressive-in-ssr", "status-code-key", "lowercase-deny"]
)
def test_execute_returns_only_answers_that_fit_the_contract(api, scripted, registration_request, answer):
    """Row 3: `execute` answers E0000134 for a body the sign-up flow would reject, never a 200 with it (Inline
    Hooks API, execute: the response must match the hook type's data contract)."""
    hook = api.post("/api/v1/inlineHooks", json=hook_body(f"{scripted[1]}/respond/{answer}")).json()
    response = api.post(f"/api/v1/inlineHooks/{hook['id']}/execute", json=registration_request())
    error = assert_okta_error(response, 400, "E0000134")
    assert error["errorCauses"], "the cause names the broken rule"


def test_execute_returns_a_valid_answer_unchanged(api, scripted, registration_request):
    hook = api.post("/api/v1/inlineHooks", json=hook_body(f"{scripted[1]}/respond/deny-with-field-error")).json()
    response = api.post(f"/api/v1/inlineHooks/{hook['id']}/execute", json=registration_request())
    assert response.status_code == 200 and response.json()["commands"][0]["value"] == {"registration": "DENY"}


def test_the_specs_own_request_examples_are_valid_requests():
    """Row 12: the spec's examples ProfileEnrollmentRequest / ProgressiveProfileRequest carry eventTypeVersion 1
    and cloudEventVersion 0.1 as numbers; the contract accepts them."""
    example = {
        "eventId": "04Dmt8BcT_aEgM",
        "eventTime": "2022-04-25T17:35:27.000Z",
        "eventType": "com.okta.user.pre-registration",
        "eventTypeVersion": 1,
        "contentType": "application/json",
        "cloudEventVersion": 0.1,
        "source": "regt4qeBKU29vSoPz0g3",
        "requestType": "self.service.registration",
        "data": {
            "context": {
                "request": {
                    "method": "POST",
                    "ipAddress": "127.0.0.1",
                    "id": "123testId456",
                    "url": {"value": "/idp/idx/enroll/new"},
                }
            },
            "userProfile": {
                "firstName": "Rosario",
                "lastName": "Jones",
                "login": "r@example.com",
                "email": "r@example.com",
            },
            "action": "ALLOW",
        },
    }
    assert validate_request(example).eventTypeVersion == 1


# -- users ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "status"),
    [({}, "PROVISIONED"), ({"activate": "true"}, "PROVISIONED"), ({"activate": "false"}, "STAGED")],
)
def test_create_user_status_follows_activate(api, query, status):
    """Row 16: POST /api/v1/users; without credentials, activate=true gives PROVISIONED, false STAGED (spec,
    Users API, "User creation scenarios")."""
    response = new_user(api, **query)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == status


def test_create_user_with_password_is_active_and_a_taken_login_is_refused(api):
    body = {
        "profile": {"firstName": "A", "lastName": "B", "email": "ab@example.com", "login": "ab@example.com"},
        "credentials": {"password": {"value": "correct horse battery"}},
    }
    assert api.post("/api/v1/users", json=body).json()["status"] == "ACTIVE"
    error = assert_okta_error(api.post("/api/v1/users", json=body), 400, "E0000001")
    assert "already exists" in error["errorCauses"][0]["errorSummary"]


@pytest.mark.parametrize(
    ("profile", "cause"),
    [
        ({"firstName": "A", "lastName": "B", "email": "a@example.com"}, "login"),
        ({"login": "abc@example.com", "lastName": "B", "email": "a@example.com"}, "firstName"),
        ({"login": "a@b", "firstName": "A", "lastName": "B", "email": "a@example.com"}, "login"),
        (
            {"login": "abc@example.com", "firstName": "A", "lastName": "B", "email": "a@e.com", "favoriteColor": "x"},
            "favoriteColor",
        ),
    ],
)
def test_create_user_checks_the_profile_against_the_schema(api, profile, cause):
    """Row 7: base attributes are required with the base schema's lengths (login 5-100); a name outside the
    schema is refused (cassette test_user_schema_it/...test_get_user_schema.yaml)."""
    error = assert_okta_error(api.post("/api/v1/users", json={"profile": profile}), 400, "E0000001")
    assert any(c["errorSummary"].startswith(cause) for c in error["errorCauses"])


def test_user_json_as_a_real_org_returns_it(api):
    """Row 8: absolute links self, schema, type and the lifecycle actions; credentials.emails; a list holds only
    `self` links (cassettes test_users_it/*.yaml; spec Users API "Links object")."""
    user = new_user(api, activate="false").json()
    base = str(api.base_url).rstrip("/")
    assert user["_links"]["self"]["href"] == f"{base}/api/v1/users/{user['id']}"
    assert {"self", "schema", "type", "activate"} <= set(user["_links"])
    assert user["_links"]["activate"]["method"] == "POST"
    assert user["credentials"]["emails"] == [{"value": "ada@example.com", "status": "VERIFIED", "type": "PRIMARY"}]
    [listed] = api.get("/api/v1/users").json()
    assert set(listed["_links"]) == {"self"}


def test_deactivate_answers_200_without_a_body_and_delete_completes(api):
    """Row 8: deactivate is 200 with an empty body (cassettes); delete writes .initiated then .completed
    (developer docs data/event-types.json)."""
    user = new_user(api).json()
    response = api.post(f"/api/v1/users/{user['id']}/lifecycle/deactivate")
    assert response.status_code == 200 and response.content == b""
    assert api.delete(f"/api/v1/users/{user['id']}").status_code == 204
    events = [e["eventType"] for e in api.get("/api/v1/logs", params={"q": user["id"]}).json()]
    assert events[-2:] == ["user.lifecycle.delete.initiated", "user.lifecycle.delete.completed"]


# -- groups and the rule's target group ------------------------------------------------------------------------------
def test_groups_and_target_group_at_sign_up(api, okta_org):
    """Row 16: groups through the Groups API; `targetGroupIds` adds new users to the group, and every user is in
    Everyone (spec ProfileEnrollmentPolicyRuleAction.targetGroupIds)."""
    group = api.post("/api/v1/groups", json={"profile": {"name": "Self-registered", "description": "SSR"}}).json()
    assert group["type"] == "OKTA_GROUP" and group["profile"]["name"] == "Self-registered"
    assert_okta_error(api.post("/api/v1/groups", json={"profile": {"name": "self-registered"}}), 400, "E0000001")
    names = {g["profile"]["name"] for g in api.get("/api/v1/groups").json()}
    assert names == {"Everyone", "Self-registered"}
    policy, rule = policy_and_rule(api)
    rule["actions"]["profileEnrollment"]["targetGroupIds"] = [group["id"]]
    assert api.put(f"/api/v1/policies/{policy['id']}/rules/{rule['id']}", json=rule).status_code == 200
    mock = okta_org.org
    reply = sign_up(api, start_enrollment(mock, api), firstName="G", lastName="R", email="g@example.com")
    assert reply.status_code == 200, reply.text
    members = api.get(f"/api/v1/groups/{group['id']}/users").json()
    assert [m["profile"]["email"] for m in members] == ["g@example.com"]


# -- the user schema --------------------------------------------------------------------------------------------------
def test_user_schema_has_the_base_attributes_and_takes_custom_ones(api):
    """Row 7: GET/POST /api/v1/meta/schemas/user/default (cassettes test_user_schema_it/*.yaml)."""
    schema = api.get("/api/v1/meta/schemas/user/default").json()
    assert schema["definitions"]["base"]["required"] == ["login", "firstName", "lastName", "email"]
    assert "employeeNumber" in schema["definitions"]["base"]["properties"]
    custom = {
        "definitions": {
            "custom": {
                "id": "#custom",
                "type": "object",
                "properties": {"favoriteColor": {"title": "Favorite color", "type": "string", "maxLength": 20}},
                "required": [],
            }
        }
    }
    updated = api.post("/api/v1/meta/schemas/user/default", json=custom).json()
    assert updated["definitions"]["custom"]["properties"]["favoriteColor"]["title"] == "Favorite color"
    removed = {"definitions": {"custom": {"properties": {"favoriteColor": None}}}}
    assert (
        api.post("/api/v1/meta/schemas/user/default", json=removed).json()["definitions"]["custom"]["properties"] == {}
    )
    base_change = {"definitions": {"custom": {"properties": {"email": {"title": "E", "type": "string"}}}}}
    assert_okta_error(api.post("/api/v1/meta/schemas/user/default", json=base_change), 400, "E0000001")


def test_non_schema_sign_up_fields_reach_the_hook_but_are_not_saved(api, okta_org, scripted):
    """Row 7: "You can also add non-schema attributes, which aren't persisted to the user's profile, but are
    included in requests to the registration inline hook" (spec ProfileEnrollmentPolicyRuleAction.profileAttributes)."""
    mock = okta_org.org
    mock.inline_hooks.create_and_attach("hook", f"{scripted[1]}/respond/allow", None)
    policy, rule = policy_and_rule(api)
    rule["actions"]["profileEnrollment"]["profileAttributes"].append({"name": "favoriteColor", "label": "Color"})
    api.put(f"/api/v1/policies/{policy['id']}/rules/{rule['id']}", json=rule)
    handle = start_enrollment(mock, api)
    reply = sign_up(api, handle, firstName="N", lastName="S", email="ns@example.com", favoriteColor="teal")
    assert reply.status_code == 200, reply.text
    [call] = mock.store.hook_calls()
    assert call.request_body["data"]["userProfile"]["favoriteColor"] == "teal"
    assert "favoriteColor" not in mock.store.user("ns@example.com").profile


def test_a_hook_can_set_only_schema_attributes(api, okta_org, scripted):
    """Row 7: "The target attributes must already exist in the user schema" (registration hook reference): an
    update of an unknown attribute fails the sign-up; once the attribute is in the schema it is saved."""
    mock = okta_org.org
    mock.inline_hooks.create_and_attach("hook", f"{scripted[1]}/respond/custom-attribute-update", None)
    refused = sign_up(api, start_enrollment(mock, api), firstName="C", lastName="A", email="ca@example.com")
    assert refused.json()["messages"]["value"][0]["i18n"]["key"] == "registration.error.generic"
    assert mock.store.user("ca@example.com") is None
    custom = {"definitions": {"custom": {"properties": {"favoriteColor": {"title": "Color", "type": "string"}}}}}
    api.post("/api/v1/meta/schemas/user/default", json=custom)
    allowed = sign_up(api, start_enrollment(mock, api), firstName="C", lastName="A", email="ca@example.com")
    assert allowed.status_code == 200, allowed.text
    user = mock.store.user("ca@example.com")
    assert user is not None and user.profile["favoriteColor"] == "teal" and user.status == UserStatus.PROVISIONED


# -- the System Log ---------------------------------------------------------------------------------------------------
def test_log_paging_follows_next_links_with_after(api, okta_org):
    """Row 6: `Link rel="next"` with an `after` cursor; an open-ended query always has a next link, for polling;
    `q` keywords narrow the events (spec System Log API)."""
    for index in range(5):
        new_user(api, email=f"log{index}@example.com")
    filter_ = 'eventType eq "user.lifecycle.create"'
    response = api.get("/api/v1/logs", params={"filter": filter_, "limit": 2})
    pages = [response.json()]
    while response.json():
        response = api.get(response.links["next"]["url"])
        pages.append(response.json())
    assert [len(p) for p in pages] == [2, 2, 1, 0]
    assert 'rel="next"' in response.headers["link"], "polling: the empty page still links to the next one"
    [found] = api.get("/api/v1/logs", params={"q": "log3@example.com", "filter": filter_}).json()
    assert found["target"][0]["alternateId"] == "log3@example.com"
    bounded = api.get("/api/v1/logs", params={"until": "2999-01-01T00:00:00Z", "limit": 1000})
    assert 'rel="next"' not in bounded.headers["link"]
    assert_okta_error(api.get("/api/v1/logs", params={"after": "not-a-cursor"}), 400, "E0000001")


# -- rate limits ----------------------------------------------------------------------------------------------------
def test_every_api_answer_carries_the_rate_limit_headers(api):
    """Row 17: X-Rate-Limit-Limit/-Remaining/-Reset on every answer (okta-sdk-python cassettes: 600 on users)."""
    first, second = api.get("/api/v1/users"), api.get("/api/v1/users")
    assert first.headers["x-rate-limit-limit"] == "600"
    assert int(second.headers["x-rate-limit-remaining"]) == int(first.headers["x-rate-limit-remaining"]) - 1
    assert int(first.headers["x-rate-limit-reset"]) > 1_700_000_000


def test_over_the_limit_is_429_with_the_headers(api, okta_org):
    """Row 17: past the limit, 429 E0000047 with the headers, so a client's back-off can be tested."""
    assert api.put("/_mock/config", json={"rateLimit": 2}).json()["rateLimit"] == 2
    assert [api.get("/api/v1/inlineHooks").status_code for _ in range(3)] == [200, 200, 429]
    limited = assert_okta_error(api.get("/api/v1/inlineHooks"), 429, "E0000047")
    assert limited["errorSummary"] == "API call exceeded rate limit due to too many requests."
    assert api.get("/api/v1/users").status_code == 200, "each API family has its own quota"
    assert_okta_error(api.put("/_mock/config", json={"rateLimit": -1}), 400, "E0000001")


# -- honest gaps ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "route"),
    [
        ("GET", "/api/v1/idps", "GET /api/v1/idps"),
        ("GET", "/api/v1/apps/0oa1/features", "GET /api/v1/apps/{appId}/features"),
        (
            "POST",
            "/api/v1/authorizationServers/aus1/credentials/lifecycle/keyRotate",
            "POST /api/v1/authorizationServers/{authServerId}/credentials/lifecycle/keyRotate",
        ),
        ("GET", "/api/v1/groups/rules", "GET /api/v1/groups/rules"),  # caught by /groups/{groupId} otherwise
        ("PUT", "/api/v1/users/00u1", "PUT /api/v1/users/{id}"),  # the path is served, the method is not
        ("GET", "/api/v1/users/00u1/groups", "GET /api/v1/users/{id}/groups"),
        ("GET", "/api/v1/meta/schemas/user/linkedObjects", "GET /api/v1/meta/schemas/user/linkedObjects"),
    ],
)
def test_spec_routes_the_mock_lacks_answer_501_naming_the_gap(api, method, path, route):
    """Every route of the spec the mock does not serve is a 501 naming it, never a 404 "Resource not found" a
    client would read as Okta's answer (route list from the spec, management-oneOfInheritance.yaml)."""
    response = api.request(method, path)
    assert_okta_error(response, 501, "E0000015")
    assert response.headers["x-mock-okta-gap"] == route


@pytest.mark.parametrize(
    "path", ["/api/v1/users/00uNope", "/api/v1/groups/00gNope", "/api/v1/inlineHooks/calNope", "/api/v1/nothing"]
)
def test_a_missing_resource_or_unknown_route_is_still_404(api, path):
    assert_okta_error(api.get(path), 404, "E0000007")


def test_gaps_lists_what_is_and_is_not_emulated(api):
    gaps = api.get("/_mock/gaps").json()
    assert gaps["emulated"] >= 27 and gaps["emulated"] + gaps["notEmulated"] == 732
    assert "GET /api/v1/idps" in gaps["gaps"] and "GET /api/v1/users" not in gaps["gaps"]
    assert "GET /api/v1/apps" not in gaps["gaps"] and "GET /api/v1/authorizationServers" not in gaps["gaps"]


@pytest.mark.parametrize(
    "keys",
    [["not a key"], [{"kty": "RSA", "n": "!!", "e": "AQAB"}], [{"kty": "RSA", "n": 5, "e": "AQAB"}], [{"kty": "EC"}]],
)
def test_a_service_app_with_an_unusable_key_is_a_400(api, keys):
    body = {"name": "CI", "jwks": {"keys": keys}, "scopes": ["okta.users.read"]}
    assert_okta_error(api.post("/_mock/service-apps", json=body), 400, "E0000001")


@pytest.mark.parametrize("required", [5, "favoriteColor", [1], {"a": 1}])
def test_a_schema_update_with_a_malformed_required_list_is_a_400(api, required):
    custom = {"properties": {"favoriteColor": {"title": "Color", "type": "string"}}, "required": required}
    response = api.post("/api/v1/meta/schemas/user/default", json={"definitions": {"custom": custom}})
    assert_okta_error(response, 400, "E0000001")
    assert api.get("/api/v1/meta/schemas/user/default").status_code == 200
