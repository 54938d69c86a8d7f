"""The memos on the sign-up path (the policy, the Classic registration setting and the hook parsed once per stored
row; a hook's channel config built once per stored channel and call settings) never serve a value that was
changed: a write through the Management API, `/_mock/reset`, `/_mock/config` and the fixture's reset each reach
the very next request. Each test fails if its memo were keyed by anything less than the stored values.

Sources: the profile enrollment policy rule's `profileAttributes` and `preRegistrationInlineHooks`
(okta-management-openapi-spec `ProfileEnrollmentPolicyRuleProfileAttribute`, `PreRegistrationInlineHook`), the
Inline Hooks API's update (`POST /api/v1/inlineHooks/{inlineHookId}`: "Updates an inline hook by ID", spec
`updateInlineHook`), and the hook's `authScheme` header, which Okta sends with every call (okta-developer-docs
`docs/concepts/inline-hooks/index.md`, "Inline hook setup")."""

from __future__ import annotations

from dataclasses import replace

import httpx

from .helpers import hook_body, policy_and_rule, sign_up, start_enrollment


def form_fields(api: httpx.Client, okta_org) -> list[str]:
    handle = okta_org.org.flow.start()
    form = api.post("/idp/idx/enroll", json={"stateHandle": handle}).json()
    return [f["name"] for f in form["remediation"]["value"][0]["value"][0]["form"]["value"]]


def attach(api: httpx.Client, hook_id: str | None) -> None:
    policy, rule = policy_and_rule(api)
    rule["actions"]["profileEnrollment"]["preRegistrationInlineHooks"] = [{"inlineHookId": hook_id}] if hook_id else []
    assert api.put(f"/api/v1/policies/{policy['id']}/rules/{rule['id']}", json=rule).status_code == 200


def test_a_policy_rule_written_through_the_api_reaches_the_next_sign_up_form(api, okta_org):
    assert form_fields(api, okta_org) == ["firstName", "lastName", "email"]
    policy, rule = policy_and_rule(api)
    rule["actions"]["profileEnrollment"]["profileAttributes"].append(
        {"name": "employeeNumber", "label": "Employee number", "required": False}
    )
    assert api.put(f"/api/v1/policies/{policy['id']}/rules/{rule['id']}", json=rule).status_code == 200
    assert form_fields(api, okta_org) == ["firstName", "lastName", "email", "employeeNumber"]
    assert api.post("/_mock/reset").json() == {"reset": True}
    assert form_fields(api, okta_org) == ["firstName", "lastName", "email"]
    rule["actions"]["profileEnrollment"]["profileAttributes"].pop(0)
    policy, fresh = policy_and_rule(api)
    fresh["actions"]["profileEnrollment"]["profileAttributes"] = rule["actions"]["profileEnrollment"][
        "profileAttributes"
    ]
    assert api.put(f"/api/v1/policies/{policy['id']}/rules/{fresh['id']}", json=fresh).status_code == 200
    assert form_fields(api, okta_org) == ["lastName", "email", "employeeNumber"]
    okta_org.org.reset()  # the fixture's reset
    assert form_fields(api, okta_org) == ["firstName", "lastName", "email"]


def test_a_hook_written_through_the_api_is_what_the_next_sign_up_calls(api, okta_org, scripted):
    app, base = scripted
    hook = api.post("/api/v1/inlineHooks", json=hook_body(base + "/echo-headers")).json()
    attach(api, hook["id"])
    client, org = api, okta_org.org
    assert sign_up(client, start_enrollment(org, client), firstName="A", lastName="B", email="a@example.com").is_success
    assert app.requests[-1][1]["authorization"] == "Basic YWRtaW46c3VwZXJzZWNyZXQ="

    # A new authScheme value and URI through the API: the very next call uses both.
    changed = hook_body(base + "/respond/deny-without-error")
    changed["channel"]["config"]["authScheme"]["value"] = "Basic bmV3OnZhbHVl"
    assert api.post(f"/api/v1/inlineHooks/{hook['id']}", json=changed).status_code == 200
    denied = sign_up(client, start_enrollment(org, client), firstName="C", lastName="D", email="c@example.com")
    assert denied.status_code == 400
    path, headers, _ = app.requests[-1]
    assert path == "/respond/deny-without-error" and headers["authorization"] == "Basic bmV3OnZhbHVl"

    # Deactivated through the API: not called at all.
    calls = len(app.requests)
    assert api.post(f"/api/v1/inlineHooks/{hook['id']}/lifecycle/deactivate").status_code == 200
    assert sign_up(client, start_enrollment(org, client), firstName="E", lastName="F", email="e@example.com").is_success
    assert len(app.requests) == calls


def test_new_call_settings_reach_the_next_call_of_an_unchanged_hook(api, okta_org, scripted):
    app, base = scripted
    hook = api.post("/api/v1/inlineHooks", json=hook_body(base + "/respond/allow")).json()
    attach(api, hook["id"])
    org = okta_org.org
    assert sign_up(api, start_enrollment(org, api), firstName="A", lastName="B", email="a@example.com").is_success
    # Strict HTTPS (`/_mock/config`): the stored http:// hook can no longer be called, from the next sign-up on.
    calls = len(app.requests)
    assert api.put("/_mock/config", json={"strictHttps": True}).status_code == 200
    refused = sign_up(api, start_enrollment(org, api), firstName="C", lastName="D", email="c@example.com")
    assert refused.status_code == 400 and len(app.requests) == calls
    [call] = api.get("/_mock/journal", params={"limit": 1}).json()
    assert call["failure"] == "connection" and "strict HTTPS" in call["attempts"][0]["detail"]
    # The org's reset brings Okta's defaults back, and the same channel is callable again.
    assert api.post("/_mock/reset").json() == {"reset": True}
    hook = api.post("/api/v1/inlineHooks", json=hook_body(base + "/respond/allow")).json()
    attach(api, hook["id"])
    assert sign_up(api, start_enrollment(org, api), firstName="E", lastName="F", email="e@example.com").is_success
    assert len(app.requests) == calls + 1


def test_the_classic_registration_setting_is_read_as_last_written(okta_org):
    store = okta_org.org.store
    before = store.self_service_registration()
    store.save_self_service_registration(replace(before, enabled=False, inline_hook_id="calChanged"))
    after = store.self_service_registration()
    assert (after.enabled, after.inline_hook_id) == (False, "calChanged")
    okta_org.org.reset()
    reset = store.self_service_registration()
    assert (reset.enabled, reset.inline_hook_id) == (True, None) and reset.policy_id != before.policy_id
