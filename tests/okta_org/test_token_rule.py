"""The real-org client's token hook path, unit-tested with `responses` on a real org's answers, then over real HTTP
against the mock: which rule of which custom authorization server names the hook, and the findings of
`org check --type token`.

Sources: the org's answers are okta-sdk-python's recorded ones (`tests/integration/cassettes/test_auth_server_it/
TestAuthorizationServerResource.test_list_authorization_server_policy_rules.yaml`: a server, a policy, a rule);
the management spec's operations listAuthorizationServers (`q` "Searches the `name` and `audiences`"),
replaceAuthorizationServerPolicyRule (an `AuthorizationServerPolicyRuleRequest`: no `_links`, `created`,
`lastUpdated`), `TokenAuthorizationServerPolicyRuleAction.inlineHook.id`, `InlineHookMgmtCreateHTTPRequest` (the token
hook's create body), listApplications (`q`: "starts with"), deleteApplication ("Deletes an inactive application");
okta-developer-docs `docs/reference/api/authorization-servers` at 982a3bc1c1^ ("Policy priority": the lowest value
is evaluated first); `docs/reference/token-hook/index.md` (reserved claims: a patch of `iss` is refused whole).
"""

from __future__ import annotations

import json

import pytest
import responses
from responses import matchers

from mock_okta.okta_org.client import TOKEN_HOOK, OrgClient, OrgError
from mock_okta.okta_org.readiness import HookUnderTest
from mock_okta.okta_org.token_rule import find_rule, findings

ORG = "https://test.okta.com"
AS = f"{ORG}/api/v1/authorizationServers"
SERVER = {
    "id": "aushotpnzxzCXmFlR5d6",
    "name": "python_sdk_test_abDeZ",
    "description": "Test Auth Server",
    "audiences": ["api://default"],
    "issuer": "https://test.okta.com/oauth2/aushotpnzxzCXmFlR5d6",
    "issuerMode": "ORG_URL",
    "status": "ACTIVE",
}
POLICY = {
    "id": "00phosj2e6s9cqNM85d6",
    "status": "ACTIVE",
    "name": "Test Policy",
    "description": "Test Policy",
    "priority": 1,
    "system": False,
    "conditions": {"clients": {"include": ["ALL_CLIENTS"]}},
    "type": "OAUTH_AUTHORIZATION_POLICY",
}
RULE = {
    "id": "0prhosj2jy3zJNhxt5d6",
    "status": "ACTIVE",
    "name": "Test Policy Rule",
    "priority": 1,
    "created": "2021-04-02T18:19:57.000Z",
    "lastUpdated": "2021-04-02T18:19:57.000Z",
    "system": False,
    "conditions": {
        "people": {"users": {"exclude": []}},
        "grantTypes": {"include": ["client_credentials"]},
        "scopes": {"include": ["*"]},
    },
    "actions": {
        "token": {
            "accessTokenLifetimeMinutes": 60,
            "refreshTokenLifetimeMinutes": 0,
            "refreshTokenWindowMinutes": 10080,
        }
    },
    "_links": {"self": {"href": f"{AS}/aushotpnzxzCXmFlR5d6/policies/00phosj2e6s9cqNM85d6/rules/0prhosj2jy3zJNhxt5d6"}},
    "type": "RESOURCE_ACCESS",
}
POLICIES = f"{AS}/{SERVER['id']}/policies"
RULES = f"{POLICIES}/{POLICY['id']}/rules"
HOOK = {
    "id": "calb7gacafgwgE7hc5e4",
    "status": "ACTIVE",
    "name": "Token hook with HTTP authentication",
    "type": TOKEN_HOOK,
    "version": "1.0.0",
    "channel": {"type": "HTTP", "version": "1.0.0", "config": {"uri": "https://example.com/tokenHook"}},
}


def client() -> OrgClient:
    return OrgClient(ORG, "t0ken", sleep=lambda _: None)


def with_hook(rule: dict, hook_id: str) -> dict:
    token = {**rule["actions"]["token"], "inlineHook": {"id": hook_id}}
    return {**rule, "actions": {"token": token}}


@responses.activate
def test_a_server_is_found_by_its_whole_name_and_the_first_policy_and_rule_by_priority():
    responses.get(f"{AS}/test%20server", status=404, json={"errorCode": "E0000007", "errorSummary": "Not found"})
    responses.get(
        AS,
        match=[matchers.query_param_matcher({"q": "test server"})],
        json=[{**SERVER, "id": "aus2", "name": "Test Server v2"}, {**SERVER, "name": "Test Server"}],
    )
    responses.get(POLICIES, json=[{**POLICY, "id": "00p2", "name": "Later", "priority": 2}, POLICY])
    responses.get(RULES, json=[{**RULE, "id": "0pr2", "priority": 3}, RULE])
    found = find_rule(client(), "test server")
    assert (found.server["id"], found.policy["id"], found.rule["id"]) == (SERVER["id"], POLICY["id"], RULE["id"])
    assert found.chosen == "its first policy, its first rule"
    assert (
        found.where()
        == f"rule 'Test Policy Rule' of policy 'Test Policy' of authorization server 'Test Server' ({SERVER['id']})"
    )


@responses.activate
def test_two_servers_of_one_name_are_named_by_their_ids():
    responses.get(f"{AS}/twin", status=404)
    responses.get(AS, json=[{**SERVER, "id": "aus1", "name": "twin"}, {**SERVER, "id": "aus2", "name": "Twin"}])
    with pytest.raises(OrgError) as raised:
        find_rule(client(), "twin")
    assert (
        str(raised.value)
        == "several authorization servers are named 'twin' (aus1, aus2): give --authorization-server ID"
    )


@responses.activate
def test_a_server_without_a_policy_is_one_line():
    responses.get(f"{AS}/{SERVER['id']}", json=SERVER)
    responses.get(POLICIES, json=[])
    with pytest.raises(OrgError) as raised:
        find_rule(client(), SERVER["id"])
    assert str(raised.value).startswith(
        "the authorization server 'python_sdk_test_abDeZ' has no access policy: add one"
    )


@responses.activate
def test_the_rule_is_replaced_whole_without_its_read_only_members():
    responses.put(f"{RULES}/{RULE['id']}", json=with_hook(RULE, HOOK["id"]))
    rule = json.loads(json.dumps(RULE))
    rule["actions"]["token"]["inlineHook"] = {"id": HOOK["id"]}
    client().replace_authorization_server_policy_rule(SERVER["id"], POLICY["id"], rule)
    sent = json.loads(responses.calls[0].request.body)
    assert set(sent) == {"id", "status", "name", "priority", "system", "conditions", "actions", "type"}
    assert sent["actions"]["token"] == {
        "accessTokenLifetimeMinutes": 60,
        "refreshTokenLifetimeMinutes": 0,
        "refreshTokenWindowMinutes": 10080,
        "inlineHook": {"id": HOOK["id"]},
    }


@responses.activate
def test_a_token_hook_is_created_as_the_spec_s_example():
    responses.post(f"{ORG}/api/v1/inlineHooks", json=HOOK)
    client().create_inline_hook(
        "Token hook with HTTP authentication",
        "https://example.com/tokenHook",
        ("Authorization", "my-shared-secret"),
        hook_type=TOKEN_HOOK,
    )
    sent = json.loads(responses.calls[0].request.body)
    assert sent == {
        "name": "Token hook with HTTP authentication",
        "type": "com.okta.oauth2.tokens.transform",
        "version": "1.0.0",
        "channel": {
            "type": "HTTP",
            "version": "1.0.0",
            "config": {
                "uri": "https://example.com/tokenHook",
                "method": "POST",
                "headers": [],
                "authScheme": {"type": "HEADER", "key": "Authorization", "value": "my-shared-secret"},
            },
        },
    }


@responses.activate
def test_a_runs_apps_are_found_by_label_and_deactivated_before_deletion():
    responses.get(
        f"{ORG}/api/v1/apps",
        match=[matchers.query_param_matcher({"q": "mokta1a2b"})],
        json=[{"id": "0oa1", "label": "mokta1a2b-portal"}, {"id": "0oa2", "name": "mokta1a2b", "label": "Portal"}],
    )
    responses.post(f"{ORG}/api/v1/apps/0oa1/lifecycle/deactivate", json={})
    responses.delete(f"{ORG}/api/v1/apps/0oa1", status=204)
    okta = client()
    apps = okta.apps_of_runs("mokta1a2b")
    assert [a["id"] for a in apps] == ["0oa1"]  # `q` matched the other by its name: not a run's app
    okta.delete_app("0oa1")
    assert [(c.request.method, c.request.url.split("/api/v1/")[1]) for c in responses.calls[1:]] == [
        ("POST", "apps/0oa1/lifecycle/deactivate"),
        ("DELETE", "apps/0oa1"),
    ]


def org_with(rule: dict, server: dict = SERVER, hook: dict | None = HOOK) -> None:
    responses.get(AS, json=[server])
    responses.get(f"{AS}/{server['id']}", json=server)
    responses.get(POLICIES, json=[POLICY])
    responses.get(RULES, json=[rule])
    if hook is not None:
        responses.get(f"{ORG}/api/v1/inlineHooks/{hook['id']}", json=hook)


def executed() -> list[str]:
    return [c.request.url for c in responses.calls if c.request.url.endswith("/execute")]


@responses.activate
def test_an_inactive_server_fails_and_the_hook_is_not_called():
    org_with(with_hook(RULE, HOOK["id"]), server={**SERVER, "status": "INACTIVE"})
    found = list(findings(client(), server=SERVER["id"]))
    assert (False, "the authorization server 'python_sdk_test_abDeZ' is INACTIVE: activate it (nothing mints "
            "under an inactive authorization server)") in found  # fmt: skip
    assert executed() == []


@responses.activate
def test_a_rule_without_a_hook_fails():
    org_with(RULE, hook=None)
    *_, last = findings(client(), server=SERVER["id"])
    assert last == (
        False,
        "no token inline hook is attached to rule 'Test Policy Rule' of policy 'Test Policy' of authorization server "
        f"'python_sdk_test_abDeZ' ({SERVER['id']}) (mock-okta org attach --type token)",
    )


@pytest.mark.parametrize(
    ("answer", "finding"),
    [
        (
            (400, {"errorCode": "E0000137", "errorSummary": "Okta did not receive a response from an inline hook."}),
            (False, "Okta could not call the hook: E0000137 Okta did not receive a response from an inline hook."),
        ),
        (
            (200, {"commands": [{"type": "com.okta.access.patch",
                                 "value": [{"op": "replace", "path": "/claims/iss", "value": "https://evil.test"}]}]}),
            (False, "Okta reached the hook but cannot use its answer (the whole patch was not applied"),
        ),
        (
            (200, {"commands": [{"type": "com.okta.access.patch",
                                 "value": [{"op": "add", "path": "/claims/patientId", "value": "1234"}]}]}),
            (True, "Okta reaches the hook: a generated authorization_code grant gets PATCHED"),
        ),
    ],
)  # fmt: skip
@responses.activate
def test_execute_s_answer_is_judged_by_the_token_verdict(answer, finding):
    org_with(with_hook(RULE, HOOK["id"]))
    status, body = answer
    responses.post(f"{ORG}/api/v1/inlineHooks/{HOOK['id']}/execute", status=status, json=body)
    *_, (fine, text) = findings(client(), server=SERVER["id"])
    assert (fine, text[: len(finding[1])]) == finding
    [call] = [c for c in responses.calls if c.request.url.endswith("/execute")]
    assert json.loads(call.request.body)["eventType"] == TOKEN_HOOK


@responses.activate
def test_another_hook_than_the_one_under_test_fails_before_any_call():
    org_with(with_hook(RULE, HOOK["id"]))
    found = list(findings(client(), server=SERVER["id"], under_test=HookUnderTest(url="https://hooks.acme.test/t")))
    assert found[-1] == (
        False,
        "the org calls 'Token hook with HTTP authentication' (https://example.com/tokenHook), not the hook under test "
        "https://hooks.acme.test/t: mock-okta org attach --type token --hook-url URL",
    )
    assert executed() == []


def test_the_same_client_against_the_mock(okta_org):
    okta = OrgClient(okta_org.url, okta_org.api_token)
    assert [s["id"] for s in okta.list_authorization_servers()] == ["default"]
    found = find_rule(okta)
    assert (found.server["name"], found.policy["name"], found.rule["name"]) == (
        "default", "Default Policy", "Default Policy Rule",
    )  # fmt: skip
    assert found.inline_hook_id() is None
    assert okta.get_authorization_server("no such server") is None


def test_a_token_attach_s_state_names_no_registration_hook(tmp_path):
    """The registration browser cases' preflight compares the org's registration hook with the one attach created
    (`created_by_attach`); a token attach's state names a token hook, so it names none for them."""
    from mock_okta.okta_org.readiness import created_by_attach
    from mock_okta.okta_org.token_rule import attached_by_state

    state = tmp_path / "state.json"
    state.write_text(
        json.dumps({"type": "token", "orgUrl": ORG, "createdHookId": "calT", "authorizationServerId": "x"})
    )
    assert created_by_attach(state, ORG) is None
    assert attached_by_state(state, ORG)["createdHookId"] == "calT"
    assert attached_by_state(state, "https://other.okta.example") is None
    state.write_text(json.dumps({"orgUrl": ORG, "createdHookId": "calR"}))  # a registration attach's, no `type`
    assert created_by_attach(state, ORG) == "calR" and attached_by_state(state, ORG) is None
