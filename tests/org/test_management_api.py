"""The mock's Management API (`/api/v1`) and control API (`/_mock`) in Okta's shapes, over real HTTP."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from mock_okta.org.models import User, UserStatus

from .helpers import REG, assert_okta_error, hook_body, policy_and_rule


@pytest.mark.parametrize(
    "path", ["/api/v1/inlineHooks", "/api/v1/users", "/api/v1/policies?type=PROFILE_ENROLLMENT", "/api/v1/logs"]
)
@pytest.mark.parametrize("header", [None, "SSWS wrong", "Bearer x"])
def test_every_api_needs_the_ssws_token(okta_org, path, header):
    headers = {"Authorization": header} if header else {}
    assert_okta_error(httpx.get(okta_org.url + path, headers=headers), 401, "E0000011")


def test_create_hook_is_active_and_never_returns_the_secret(api, sample_hook):
    response = api.post("/api/v1/inlineHooks", json=hook_body(sample_hook.hook_url))
    assert response.status_code == 200
    hook = response.json()
    assert hook["id"].startswith("cal") and len(hook["id"]) == 20
    assert hook["status"] == "ACTIVE" and hook["type"] == REG and hook["version"] == "1.0.0"
    assert hook["channel"]["config"]["authScheme"] == {"type": "HEADER", "key": "Authorization"}
    assert "YWRtaW46c3VwZXJzZWNyZXQ" not in response.text
    assert set(hook["_links"]) == {"self", "deactivate", "execute"}
    assert hook["_links"]["execute"]["href"].endswith(f"/api/v1/inlineHooks/{hook['id']}/execute")
    assert hook["created"] and hook["lastUpdated"]
    assert api.get(f"/api/v1/inlineHooks/{hook['id']}").json() == hook
    assert [h["id"] for h in api.get("/api/v1/inlineHooks").json()] == [hook["id"]]
    assert api.get("/api/v1/inlineHooks", params={"type": "com.okta.import.transform"}).json() == []


@pytest.mark.parametrize(
    ("change", "cause"),
    [
        (lambda b: b.pop("name"), "name"),
        (lambda b: b.update(type="com.okta.nope"), "type"),
        (lambda b: b.update(version="2.0.0"), "version"),
        (lambda b: b.pop("channel"), "channel"),
        (lambda b: b["channel"].update(type="OAUTH"), "OAUTH"),
        (lambda b: b["channel"]["config"].update(uri="http://hooks.example.com/h"), "https"),
        (lambda b: b["channel"]["config"].update(method="GET"), "method"),
        (lambda b: b["channel"]["config"].update(headers=[{"key": "Accept", "value": "x"}]), "cannot be set"),
        (lambda b: b["channel"]["config"].update(authScheme={"type": "HEADER", "key": "X"}), "authScheme.value"),
        (lambda b: b["channel"]["config"].update(authScheme={"type": "BASIC"}), "authScheme"),
    ],
)
def test_create_validation_names_each_problem(api, change, cause):
    body = hook_body("https://hooks.example.com/registrationHook")
    change(body)
    error = assert_okta_error(api.post("/api/v1/inlineHooks", json=body), 400, "E0000001")
    assert any(cause in c["errorSummary"] for c in error["errorCauses"]), error


def test_create_with_a_malformed_body(api):
    response = api.post("/api/v1/inlineHooks", content=b"{oops", headers={"Content-Type": "application/json"})
    assert_okta_error(response, 400, "E0000003")
    assert_okta_error(api.post("/api/v1/inlineHooks", json=[1]), 400, "E0000003")


def test_names_are_unique(api):
    api.post("/api/v1/inlineHooks", json=hook_body("https://a.example/h", name="Same"))
    error = assert_okta_error(
        api.post("/api/v1/inlineHooks", json=hook_body("https://b.example/h", name="same")), 400, "E0000001"
    )
    assert "already exists" in error["errorCauses"][0]["errorSummary"]


def test_replace_update_and_immutable_type(api, scripted):
    app, base = scripted
    hook = api.post("/api/v1/inlineHooks", json=hook_body("https://a.example/h")).json()
    replaced = hook_body(f"{base}/echo-headers/replaced", name="Renamed")
    response = api.put(f"/api/v1/inlineHooks/{hook['id']}", json=replaced)
    assert response.status_code == 200 and response.json()["name"] == "Renamed"
    # A partial update (POST) may leave the write-only secret out: the stored one stays.
    partial = api.post(f"/api/v1/inlineHooks/{hook['id']}", json={"name": "Partly"})
    assert partial.json()["name"] == "Partly" and partial.json()["channel"]["config"]["uri"].endswith("/replaced")
    assert_okta_error(
        api.put(f"/api/v1/inlineHooks/{hook['id']}", json={**replaced, "type": "com.okta.import.transform"}),
        400,
        "E0000001",
    )
    api.post(f"/api/v1/inlineHooks/{hook['id']}/execute", json={"data": {}})
    _, headers, _ = next(r for r in reversed(app.requests) if r[0] == "/echo-headers/replaced")
    assert headers["authorization"] == "Basic YWRtaW46c3VwZXJzZWNyZXQ=" and headers["x-other-header"] == "other"


def test_replace_requires_the_secret_again(api):
    """Rule: a replace (PUT) must carry `authScheme.value`; Okta never returns it, so it is not kept silently
    (spec `replaceInlineHook`: the full InlineHook with its authScheme; issue 10, row 4)."""
    hook = api.post("/api/v1/inlineHooks", json=hook_body("https://a.example/h")).json()
    replaced = hook_body("https://a.example/h2", name="Renamed")
    del replaced["channel"]["config"]["authScheme"]["value"]
    error = assert_okta_error(api.put(f"/api/v1/inlineHooks/{hook['id']}", json=replaced), 400, "E0000001")
    assert "authScheme.value" in error["errorCauses"][0]["errorSummary"]
    assert api.get(f"/api/v1/inlineHooks/{hook['id']}").json()["name"] == hook["name"]


def test_delete_only_inactive_hooks(api):
    hook = api.post("/api/v1/inlineHooks", json=hook_body("https://a.example/h")).json()
    assert_okta_error(api.delete(f"/api/v1/inlineHooks/{hook['id']}"), 403, "E0000006")
    deactivated = api.post(f"/api/v1/inlineHooks/{hook['id']}/lifecycle/deactivate").json()
    assert (
        deactivated["status"] == "INACTIVE"
        and "delete" in deactivated["_links"]
        and "activate" in deactivated["_links"]
    )
    assert api.post(f"/api/v1/inlineHooks/{hook['id']}/lifecycle/activate").json()["status"] == "ACTIVE"
    api.post(f"/api/v1/inlineHooks/{hook['id']}/lifecycle/deactivate")
    assert api.delete(f"/api/v1/inlineHooks/{hook['id']}").status_code == 204
    assert_okta_error(api.get(f"/api/v1/inlineHooks/{hook['id']}"), 404, "E0000007")


def test_unknown_route_and_method_use_okta_errors(api):
    assert_okta_error(api.get("/api/v1/nothing"), 404, "E0000007")
    assert_okta_error(api.patch("/api/v1/inlineHooks"), 405, "E0000022")


def test_execute_returns_the_hooks_body(api, sample_hook, registration_request):
    hook = api.post("/api/v1/inlineHooks", json=hook_body(sample_hook.hook_url)).json()
    response = api.post(f"/api/v1/inlineHooks/{hook['id']}/execute", json=registration_request(domain="gmail.com"))
    assert response.status_code == 200
    assert response.json()["error"]["errorCauses"][0]["errorSummary"] == "Only example.com emails can register."


@pytest.mark.parametrize(("path", "code"), [("/hang", "E0000137"), ("/status/500", "E0000134"), ("/text", "E0000134")])
def test_execute_failures_are_okta_errors(api, scripted, path, code):
    api.put("/_mock/config", json={"timeout": 0.3, "maxRetries": 0})
    hook = api.post("/api/v1/inlineHooks", json=hook_body(scripted[1] + path)).json()
    assert_okta_error(api.post(f"/api/v1/inlineHooks/{hook['id']}/execute", json={"eventId": "x"}), 400, code)


def test_execute_inactive_hook_is_refused(api, scripted):
    hook = api.post("/api/v1/inlineHooks", json=hook_body(scripted[1] + "/respond/allow")).json()
    api.post(f"/api/v1/inlineHooks/{hook['id']}/lifecycle/deactivate")
    assert_okta_error(api.post(f"/api/v1/inlineHooks/{hook['id']}/execute", json={}), 400, "E0000001")


def test_profile_enrollment_policy_and_rule(api, okta_org):
    policy, rule = policy_and_rule(api)
    assert policy["type"] == "PROFILE_ENROLLMENT" and policy["_links"]["rules"]["href"].endswith("/rules")
    enrollment = rule["actions"]["profileEnrollment"]
    # Empty lists are null, as in the spec's example rule (list-all-profile-enrollment-policy-rule-response).
    assert enrollment["preRegistrationInlineHooks"] is None and enrollment["targetGroupIds"] is None
    assert enrollment["uiSchemaId"].startswith("uis") and enrollment["progressiveProfilingAction"] == "DISABLED"
    assert [a["name"] for a in enrollment["profileAttributes"]] == ["firstName", "lastName", "email"]
    renamed = api.put(f"/api/v1/policies/{policy['id']}", json={**policy, "name": "Sign-up policy"}).json()
    assert renamed["name"] == "Sign-up policy"
    assert_okta_error(api.get("/api/v1/policies/rstNope"), 404, "E0000007")


def test_attach_hook_to_policy_and_sign_up_uses_it(api, okta_org, scripted):
    hook = api.post("/api/v1/inlineHooks", json=hook_body(scripted[1] + "/respond/deny-without-error")).json()
    policy, rule = policy_and_rule(api)
    rule["actions"]["profileEnrollment"]["preRegistrationInlineHooks"] = [{"inlineHookId": hook["id"]}]
    rule["actions"]["profileEnrollment"]["profileAttributes"].append(
        {"name": "employeeNumber", "label": "Employee number", "required": False}
    )
    updated = api.put(f"/api/v1/policies/{policy['id']}/rules/{rule['id']}", json=rule)
    assert updated.status_code == 200, updated.text
    assert updated.json()["actions"]["profileEnrollment"]["preRegistrationInlineHooks"] == [
        {"inlineHookId": hook["id"]}
    ]
    handle = okta_org.org.flow.start()
    form = api.post("/idp/idx/enroll", json={"stateHandle": handle}).json()
    fields = [f["name"] for f in form["remediation"]["value"][0]["value"][0]["form"]["value"]]
    assert fields == ["firstName", "lastName", "email", "employeeNumber"]
    denied = api.post(
        "/idp/idx/enroll/new",
        json={"stateHandle": handle, "userProfile": {"firstName": "A", "lastName": "B", "email": "a@example.com"}},
    )
    assert denied.json()["messages"]["value"][0]["message"] == "Registration denied."


@pytest.mark.parametrize(
    "enrollment",
    [
        {"preRegistrationInlineHooks": [{"inlineHookId": "calNope"}]},
        {"preRegistrationInlineHooks": [{"inlineHookId": "a"}, {"inlineHookId": "b"}]},
        {"profileAttributes": [{"name": "firstName"}]},
        {"access": "MAYBE"},
        # Spec ProfileEnrollmentPolicyRuleAction.access: "You can't set the access property to DENY after you
        # create the policy".
        {"access": "DENY"},
        {"unknownUserAction": "MAYBE"},
        {"progressiveProfilingAction": "ON"},
        {"activationRequirements": {"emailVerification": "yes"}},
        {"targetGroupIds": ["00gNope"]},
        {"allowedIdentifiers": ["noSuchAttribute"]},
        {"enrollAuthenticatorTypes": ["sms"]},
        # Spec uiSchemaId: "If present, all policy updates must include this attribute/value."
        {"uiSchemaId": None},
        {"uiSchemaId": "uisOther"},
    ],
)
def test_rule_validation(api, enrollment):
    policy, rule = policy_and_rule(api)
    rule["actions"]["profileEnrollment"].update(enrollment)
    assert_okta_error(api.put(f"/api/v1/policies/{policy['id']}/rules/{rule['id']}", json=rule), 400, "E0000001")


def test_registration_off_hides_sign_up(api, okta_org):
    """Rule: self-service registration is the rule's unknownUserAction (spec ProfileEnrollmentPolicyRuleAction:
    "Which action should be taken if this user is new"); DENY hides Sign up and refuses sign-ups."""
    policy, rule = policy_and_rule(api)
    rule["actions"]["profileEnrollment"]["unknownUserAction"] = "DENY"
    updated = api.put(f"/api/v1/policies/{policy['id']}/rules/{rule['id']}", json=rule)
    assert updated.json()["actions"]["profileEnrollment"]["unknownUserAction"] == "DENY"
    handle = okta_org.org.flow.start()
    doc = api.post("/idp/idx/introspect", json={"stateToken": handle}).json()
    assert [r["name"] for r in doc["remediation"]["value"]] == ["identify"]
    assert api.post("/idp/idx/enroll", json={"stateHandle": handle}).status_code == 403


def test_rule_keeps_every_action_field(api, okta_org):
    """Rule: every field of the rule's action is kept and read back (spec ProfileEnrollmentPolicyRuleAction)."""
    group = api.post("/api/v1/groups", json={"profile": {"name": "Self-registered"}}).json()
    policy, rule = policy_and_rule(api)
    changes = {
        "targetGroupIds": [group["id"]],
        "activationRequirements": {"emailVerification": False},
        "progressiveProfilingAction": "ENABLED",
        "allowedIdentifiers": ["login", "email"],
        "enrollAuthenticatorTypes": ["password"],
    }
    rule["actions"]["profileEnrollment"].update(changes)
    api.put(f"/api/v1/policies/{policy['id']}/rules/{rule['id']}", json=rule)
    _, read = policy_and_rule(api)
    assert {k: read["actions"]["profileEnrollment"][k] for k in changes} == changes
    assert read["actions"]["profileEnrollment"]["uiSchemaId"] == rule["actions"]["profileEnrollment"]["uiSchemaId"]


@pytest.mark.parametrize(
    ("type_", "status", "code"),
    [("PROFILE_ENROLLMENT", 200, None), ("BOGUS", 400, "E0000001"), ("OKTA_SIGN_ON", 501, "E0000015")],
)
def test_policy_types(api, type_, status, code):
    """Rule: `type` must be one of the spec's PolicyType values; known types the mock does not hold are a gap
    (501), never an empty list that would pass for a real org's answer."""
    response = api.get("/api/v1/policies", params={"type": type_})
    assert response.status_code == status
    if code:
        assert_okta_error(response, status, code)


def make_users(okta_org, count: int) -> list[User]:
    return [
        okta_org.org.store.create_user(
            {"login": f"u{i}@example.com", "email": f"u{i}@example.com", "firstName": f"F{i}", "lastName": "Lee"},
            UserStatus.ACTIVE if i % 2 else UserStatus.PROVISIONED,
        )
        for i in range(count)
    ]


def test_users_list_search_filter_q_and_paging(api, okta_org):
    make_users(okta_org, 5)
    assert len(api.get("/api/v1/users").json()) == 5
    assert [
        u["profile"]["login"]
        for u in api.get("/api/v1/users", params={"search": 'profile.email eq "U3@example.com"'}).json()
    ] == ["u3@example.com"]
    assert len(api.get("/api/v1/users", params={"filter": 'status eq "ACTIVE"'}).json()) == 2
    assert [u["profile"]["firstName"] for u in api.get("/api/v1/users", params={"q": "f4"}).json()] == ["F4"]
    first = api.get("/api/v1/users", params={"limit": 2})
    assert len(first.json()) == 2
    pages, response = [first.json()], first
    while 'rel="next"' in response.headers["link"]:
        next_url = response.headers["link"].split('rel="self", <')[1].split('>; rel="next"')[0]
        response = api.get(next_url)
        pages.append(response.json())
    assert [len(p) for p in pages] == [2, 2, 1]
    assert len({u["id"] for p in pages for u in p}) == 5
    assert_okta_error(api.get("/api/v1/users", params={"search": "status ~ 1"}), 400, "E0000031")


def test_user_get_deactivate_delete(api, okta_org):
    [user] = make_users(okta_org, 1)
    assert api.get(f"/api/v1/users/{user.id}").json()["id"] == user.id
    assert api.get("/api/v1/users/u0@example.com").json()["id"] == user.id
    assert_okta_error(api.get("/api/v1/users/00uNope"), 404, "E0000007")
    assert api.delete(f"/api/v1/users/{user.id}").status_code == 204  # first DELETE deactivates
    assert api.get(f"/api/v1/users/{user.id}").json()["status"] == "DEPROVISIONED"
    assert api.delete(f"/api/v1/users/{user.id}").status_code == 204
    assert_okta_error(api.get(f"/api/v1/users/{user.id}"), 404, "E0000007")
    [other] = make_users(okta_org, 1)  # u0 again: its login is free once deleted
    assert api.post(f"/api/v1/users/{other.id}/lifecycle/deactivate").status_code == 200
    assert api.get(f"/api/v1/users/{other.id}").json()["status"] == "DEPROVISIONED"


def test_system_log_events(api, okta_org, scripted):
    api.put("/_mock/config", json={"timeout": 0.3, "maxRetries": 0})
    good = api.post(
        "/api/v1/inlineHooks", json=hook_body(scripted[1] + "/respond/with-debug-context", name="good")
    ).json()
    bad = api.post("/api/v1/inlineHooks", json=hook_body(scripted[1] + "/status/500", name="bad")).json()
    api.post(f"/api/v1/inlineHooks/{good['id']}/execute", json={"eventId": "e1"})
    api.post(f"/api/v1/inlineHooks/{bad['id']}/execute", json={"eventId": "e2"})
    events = api.get("/api/v1/logs").json()
    types = [e["eventType"] for e in events]
    assert types.count("inline_hook.created") == 2
    processed = api.get("/api/v1/logs", params={"filter": 'eventType eq "inline_hook.response.processed"'}).json()
    assert processed[0]["target"][0]["id"] == good["id"]
    # debugData keys from Okta's event catalog (developer docs data/event-types.json), values as strings.
    debug = processed[0]["debugContext"]["debugData"]
    assert json.loads(debug["inline_hook"]) == {"checkedBy": "rules-v2"}
    assert debug["inline_hook_type"] == REG and debug["url"] == good["channel"]["config"]["uri"]
    assert {"request_id", "request_uri", "trace_id"} <= set(debug)
    [executed] = api.get("/api/v1/logs", params={"filter": 'eventType eq "inline_hook.executed"'}).json()
    assert executed["outcome"]["result"] == "FAILURE" and executed["target"][0]["id"] == bad["id"]
    for event in events:
        assert {
            "uuid",
            "published",
            "eventType",
            "actor",
            "outcome",
            "target",
            "debugContext",
            "displayMessage",
        } <= set(event)
    latest = events[-1]["published"]
    assert api.get("/api/v1/logs", params={"since": latest}).json()[0]["published"] == latest
    assert api.get("/api/v1/logs", params={"until": events[0]["published"]}).json() == []
    assert len(api.get("/api/v1/logs", params={"limit": 1}).json()) == 1
    assert api.get("/api/v1/logs", params={"sortOrder": "DESCENDING"}).json()[0] == events[-1]
    assert_okta_error(api.get("/api/v1/logs", params={"since": "yesterday"}), 400, "E0000001")


def test_control_api_reset_journal_config(api, okta_org, scripted):
    assert api.get("/_mock/config").json() == {
        "timeout": 3.0,
        "maxRetries": 1,
        "strictHttps": False,
        "unknownKeysFail": True,
        "rateLimit": 600,
        "oauthTokenInBudget": True,
        "signInEmailChallenge": False,
    }
    hook = api.post("/api/v1/inlineHooks", json=hook_body(scripted[1] + "/respond/allow")).json()
    api.post(f"/api/v1/inlineHooks/{hook['id']}/execute", json={"eventId": "x"})
    [call] = api.get("/_mock/journal").json()
    assert call["inlineHookId"] == hook["id"] and call["registration"] == "ALLOW" and call["attempts"][0]["ms"] > 0
    assert api.get("/_mock/journal", params={"registration": "DENY"}).json() == []
    assert api.get("/_mock/journal", params={"inlineHookId": "calOther"}).json() == []
    assert_okta_error(api.get("/_mock/journal", params={"registration": "maybe"}), 400, "E0000001")
    bad_values = ({"timeout": 0}, {"timeout": "3"}, {"maxRetries": True}, {"strictHttps": 1}, {"nope": 1})
    for bad in (*bad_values, {"oauthTokenInBudget": "yes"}):
        assert_okta_error(api.put("/_mock/config", json=bad), 400, "E0000001")
    assert api.put("/_mock/config", json={"strictHttps": True}).json()["strictHttps"] is True
    error = assert_okta_error(
        api.post("/api/v1/inlineHooks", json=hook_body(scripted[1] + "/x", name="n2")), 400, "E0000001"
    )
    assert "strict HTTPS" in error["errorCauses"][0]["errorSummary"]
    assert api.post("/_mock/reset").json() == {"reset": True}
    assert api.get("/api/v1/inlineHooks").json() == [] and api.get("/_mock/journal").json() == []
    # The control API's reset is the fixtures' reset: Okta's default settings come back too.
    assert api.get("/_mock/config").json()["strictHttps"] is False


def test_openapi_document_is_served(okta_org):
    doc = httpx.get(okta_org.url + "/openapi.json").json()
    assert "/api/v1/inlineHooks/{inline_hook_id}/execute" in doc["paths"]
    assert "/_mock/journal" in doc["paths"]


def test_oversized_bodies_are_413(api):
    big = b'{"name": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    assert_okta_error(
        api.post("/api/v1/inlineHooks", content=big, headers={"Content-Type": "application/json"}), 413, "E0000001"
    )

    def chunks():
        for _ in range(1100):
            yield b" " * 1024

    streamed = api.post("/idp/idx/enroll", content=chunks(), headers={"Content-Type": "application/json"})
    assert_okta_error(streamed, 413, "E0000001")


def test_bad_query_parameters_are_400(api):
    assert_okta_error(api.get("/api/v1/users", params={"limit": "many"}), 400, "E0000001")


def test_finding_the_widget_does_not_import_the_whole_app():
    """`mock-okta --help` and `widget` look for the widget through `org.web.hosted_page`; importing it must not
    build the app (whose routers import that module back)."""
    code = "import sys, mock_okta.org.web.hosted_page; print('mock_okta.org.web.app' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
