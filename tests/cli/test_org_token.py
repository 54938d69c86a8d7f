"""`mock-okta org check | attach | restore | cleanup` for a token inline hook (in-process; tests/cli/test_rehearsal.py
runs them as real processes), against a mock org served on loopback.

Sources: the management spec's `TokenAuthorizationServerPolicyRuleAction.inlineHook.id` (the rule names the hook),
`InlineHookMgmtCreateHTTPRequest` (a token hook's create body: type `com.okta.oauth2.tokens.transform`), the
operations listAuthorizationServers (`q`), replaceAuthorizationServerPolicyRule, listApplications (`q`: "starts
with"), deleteApplication ("Deletes an inactive application"); okta-developer-docs `docs/reference/token-hook/
index.md` ("You can associate only one inline hook with each rule"), `docs/reference/api/authorization-servers`
(last full version, at 982a3bc1c1^: "Policy priority", a rule's `status`)."""

from __future__ import annotations

import contextlib
import json
import subprocess
from pathlib import Path

import httpx
import pytest

from mock_okta.hook.settings import CallSettings
from mock_okta.org.models import HookStatus
from mock_okta.org.oauth_models import LifecycleStatus

from .helpers import cli

TOKEN_HOOK = "com.okta.oauth2.tokens.transform"
PLACE = "rule 'Default Policy Rule' of policy 'Default Policy' of authorization server 'default' (default)"


def org(okta_org, *args: str, cwd: Path, token: str | None = None, url: str | None = None):
    env = {"OKTA_ORG_URL": url or okta_org.url, "OKTA_API_TOKEN": token or okta_org.api_token, "COLUMNS": "200"}
    with contextlib.chdir(cwd):  # the state file's default place is the working folder
        return cli("org", *args, env=env)


def attach(okta_org, sample_hook, cwd: Path, *extra: str, server: str = "default") -> subprocess.CompletedProcess:
    return org(
        okta_org, "attach", "--type", "token", "--authorization-server", server, "--hook-url",
        sample_hook.token_hook_url, "--auth-header", sample_hook.auth_header, *extra, cwd=cwd,
    )  # fmt: skip


def default_rule(okta_org):
    [policy] = okta_org.org.access_policies.policies("default")
    [rule] = okta_org.org.access_policies.rules("default", policy.id)
    return rule


def service_app(label: str, auth_method: str) -> dict:
    """An OIDC service app's body (docs api/apps: `application_type` service, the client_credentials grant)."""
    return {
        "name": "oidc_client",
        "label": label,
        "signOnMode": "OPENID_CONNECT",
        "credentials": {"oauthClient": {"token_endpoint_auth_method": auth_method}},
        "settings": {"oauthClient": {"application_type": "service", "grant_types": ["client_credentials"]}},
    }


def client_credentials(okta_org) -> httpx.Response:
    """A token from `default` for a new service app (the rule's grant types include client_credentials)."""
    api = httpx.Client(base_url=okta_org.url, headers=okta_org.api_headers)
    api.post("/api/v1/authorizationServers/default/scopes", json={"name": "patients:read"})
    body = service_app("Service", "client_secret_post")
    client = api.post("/api/v1/apps", json=body).json()["credentials"]["oauthClient"]
    form = {"grant_type": "client_credentials", "scope": "patients:read"}
    form |= {k: client[k] for k in ("client_id", "client_secret")}
    return httpx.post(f"{okta_org.url}/oauth2/default/v1/token", data=form)


def test_check_attach_check_mint_restore(okta_org, sample_hook, tmp_path):
    """The hook attach sets is the one the server calls while it mints; after restore it is not called."""
    before = org(okta_org, "check", "--type", "token", cwd=tmp_path)
    assert before.returncode == 1
    assert f"FAIL no token inline hook is attached to {PLACE} (mock-okta org attach --type token)" in before.stdout
    assert "(the org's 'default' server, its first policy, its first rule:" in before.stdout

    attached = attach(okta_org, sample_hook, tmp_path)
    assert attached.returncode == 0, attached.stderr
    assert attached.stdout.strip() == (
        f"attached 'mock-okta: token hook under test' ({sample_hook.token_hook_url}) to {PLACE} (its first policy, "
        "its first rule: --policy and --rule choose another); `mock-okta org restore` undoes it"
    )
    [hook] = okta_org.org.store.inline_hooks()
    assert hook.type == TOKEN_HOOK and default_rule(okta_org).token.inline_hook_id == hook.id
    state = json.loads((tmp_path / ".mock-okta-org.json").read_text())
    assert state["type"] == "token" and state["createdHookId"] == hook.id
    assert (state["authorizationServerId"], state["previousInlineHook"]) == ("default", None)
    assert state["issuer"] == f"{okta_org.url}/oauth2/default"

    ready = org(okta_org, "check", "--type", "token", "--hook-url", sample_hook.token_hook_url, cwd=tmp_path)
    assert ready.returncode == 0, ready.stdout
    lines = ready.stdout.splitlines()
    assert f"ok   the org calls the hook 'mock-okta: token hook under test' ({sample_hook.token_hook_url})" in lines[3]
    assert lines[-2:] == [
        "ok   that is the hook under test",
        "ok   Okta reaches the hook: a generated authorization_code grant gets UNCHANGED",
    ]
    assert sample_hook.auth_header.split(": ")[1] not in ready.stdout + attached.stdout

    calls = len(okta_org.org.inline_hooks.journal())  # `check` called it through `execute`
    assert client_credentials(okta_org).status_code == 200
    newest, *older = okta_org.org.inline_hooks.journal()  # newest first
    assert len(older) == calls and newest.inline_hook_id == hook.id  # called while minting
    assert newest.request_body["data"]["context"]["protocol"]["request"]["grant_type"] == "client_credentials"

    restored = org(okta_org, "restore", cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert okta_org.org.store.inline_hooks() == [] and default_rule(okta_org).token.inline_hook_id is None
    assert not (tmp_path / ".mock-okta-org.json").exists()
    calls = len(okta_org.org.inline_hooks.journal())
    assert client_credentials(okta_org).status_code == 200
    assert len(okta_org.org.inline_hooks.journal()) == calls  # no hook is called any more


def test_restore_puts_back_the_rules_own_hook_after_two_attaches(okta_org, sample_hook, scripted, tmp_path):
    body = {
        "name": "The team's token hook",
        "type": TOKEN_HOOK,
        "version": "1.0.0",
        "channel": {"type": "HTTP", "version": "1.0.0", "config": {"uri": f"{scripted[1]}/status/204"}},
    }
    own = okta_org.org.inline_hooks.create(body)
    rule = default_rule(okta_org)
    api = httpx.Client(base_url=okta_org.url, headers=okta_org.api_headers)
    path = f"/api/v1/authorizationServers/default/policies/{rule.policy_id}/rules/{rule.id}"
    rendered = api.get(path).json()
    rendered["actions"]["token"]["inlineHook"] = {"id": own.id}
    assert api.put(path, json=rendered).status_code == 200

    assert attach(okta_org, sample_hook, tmp_path).returncode == 0
    assert attach(okta_org, sample_hook, tmp_path).returncode == 0  # the second replaces the first
    assert len(okta_org.org.store.inline_hooks()) == 2
    state = json.loads((tmp_path / ".mock-okta-org.json").read_text())
    assert state["previousInlineHook"] == {"id": own.id}
    assert org(okta_org, "restore", cwd=tmp_path).returncode == 0
    assert [h.id for h in okta_org.org.store.inline_hooks()] == [own.id]
    assert default_rule(okta_org).token.inline_hook_id == own.id


def test_attach_to_a_named_server_policy_and_rule(okta_org, sample_hook, tmp_path):
    """By name (case-insensitive) or id; a server found by `q` is compared whole ("Acme" is not "Acme API")."""
    servers, policies = okta_org.org.authorization_servers, okta_org.org.access_policies
    for name in ("Acme", "Acme API"):
        server = servers.create({"name": name, "description": name, "audiences": [f"api://{name.split()[-1]}"]})
    policy = policies.create_policy(
        server.id,
        {
            "name": "Partners",
            "description": "p",
            "priority": 1,
            "conditions": {"clients": {"include": ["ALL_CLIENTS"]}},
        },
    )
    conditions = {"grantTypes": {"include": ["client_credentials"]}, "scopes": {"include": ["*"]},
                  "people": {"groups": {"include": ["EVERYONE"]}}}  # fmt: skip
    for rule_name in ("first", "second"):
        rule = policies.create_rule(server.id, policy.id, {"name": rule_name, "conditions": conditions})
    attached = attach(okta_org, sample_hook, tmp_path, "--policy", "partners", "--rule", rule.id, server="acme api")
    assert attached.returncode == 0, attached.stderr
    assert f"to rule 'second' of policy 'Partners' of authorization server 'Acme API' ({server.id});" in attached.stdout
    assert policies.rule(server.id, policy.id, rule.id).token.inline_hook_id is not None
    check = org(okta_org, "check", "--type", "token", cwd=tmp_path)  # the state file says where
    assert check.returncode == 0, check.stdout
    assert "ok   the token hook's place: rule 'second' of policy 'Partners' of authorization server 'Acme API'" in (
        check.stdout
    )


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (("--authorization-server", "nope"), "the org has no authorization server 'nope' (its servers: 'default')"),
        (
            ("--authorization-server", "default", "--policy", "Other"),
            "the authorization server 'default' has no policy 'Other' (its policy names: 'Default Policy')",
        ),
        (
            ("--authorization-server", "default", "--rule", "Other"),
            "the policy 'Default Policy' of the authorization server 'default' has no rule 'Other' (its rule names: "
            "'Default Policy Rule')",
        ),
    ],
)
def test_a_wrong_server_policy_or_rule_is_one_line_and_changes_nothing(okta_org, sample_hook, tmp_path, options, said):
    hook = ("--hook-url", sample_hook.token_hook_url)
    attached = org(okta_org, "attach", "--type", "token", *options, *hook, cwd=tmp_path)
    assert attached.returncode == 1
    assert attached.stderr.strip() == f"mock-okta: error: {said}"
    assert okta_org.org.store.inline_hooks() == [] and not (tmp_path / ".mock-okta-org.json").exists()
    check = org(okta_org, "check", "--type", "token", *options, cwd=tmp_path)
    assert check.returncode == 1 and check.stdout.splitlines()[-1] == f"FAIL {said}"


def test_check_fails_for_an_inactive_server_or_hook_and_for_another_hook(okta_org, sample_hook, scripted, tmp_path):
    assert attach(okta_org, sample_hook, tmp_path).returncode == 0
    other = org(okta_org, "check", "--type", "token", "--hook-url", f"{scripted[1]}/status/204", cwd=tmp_path)
    assert other.returncode == 1
    assert (
        f"FAIL the org calls 'mock-okta: token hook under test' ({sample_hook.token_hook_url}), not the hook under "
        f"test {scripted[1]}/status/204: mock-okta org attach --type token --hook-url URL"
    ) in other.stdout
    assert "Okta reaches the hook" not in other.stdout  # nothing is called on the wrong hook's behalf

    [hook] = okta_org.org.store.inline_hooks()
    okta_org.org.inline_hooks.set_status(hook, HookStatus.INACTIVE)
    inactive = org(okta_org, "check", "--type", "token", cwd=tmp_path)
    assert inactive.returncode == 1
    assert "FAIL the attached hook 'mock-okta: token hook under test' is INACTIVE: activate it" in inactive.stdout

    okta_org.org.inline_hooks.set_status(hook, HookStatus.ACTIVE)
    okta_org.org.authorization_servers.set_status("default", LifecycleStatus.INACTIVE)
    server_off = org(okta_org, "check", "--type", "token", cwd=tmp_path)
    assert server_off.returncode == 1
    assert (
        "FAIL the authorization server 'default' is INACTIVE: activate it (nothing mints under an inactive "
        "authorization server)"
    ) in server_off.stdout
    assert "Okta reaches the hook" not in server_off.stdout


@pytest.mark.parametrize(
    ("behaviour", "finding"),
    [
        ("hang", "FAIL Okta could not call the hook: E0000137"),
        ("status/500", "FAIL Okta could not call the hook: E0000134"),
    ],
)
def test_check_reports_a_token_hook_okta_cannot_use(okta_org, scripted, tmp_path, behaviour, finding):
    okta_org.org.settings.call = CallSettings(timeout=0.3, max_retries=0)
    hook = ("--hook-url", f"{scripted[1]}/{behaviour}")
    attached = org(okta_org, "attach", "--type", "token", "--authorization-server", "default", *hook, cwd=tmp_path)
    assert attached.returncode == 0, attached.stderr
    result = org(okta_org, "check", "--type", "token", cwd=tmp_path)
    assert result.returncode == 1 and finding in result.stdout


def test_a_wrong_token_or_an_unreachable_org_is_one_line(okta_org, sample_hook, tmp_path):
    wrong = org(okta_org, "attach", "--type", "token", "--authorization-server", "default", "--hook-url",
                sample_hook.token_hook_url, cwd=tmp_path, token="wrong")  # fmt: skip
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == "mock-okta: error: the API token was refused (E0000011): check OKTA_API_TOKEN"
    assert okta_org.org.store.inline_hooks() == []
    check = org(okta_org, "check", "--type", "token", cwd=tmp_path, token="wrong")
    assert check.stdout.strip() == "FAIL the API token was refused (E0000011): check OKTA_API_TOKEN"
    down = org(okta_org, "check", "--type", "token", cwd=tmp_path, url="http://127.0.0.1:9")
    assert down.returncode == 1
    assert down.stdout.strip() == "FAIL cannot reach http://127.0.0.1:9: connection refused"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("attach", "--type", "saml", "--hook-url", "https://h.test"), "--type must be registration or token"),
        (("attach", "--type", "token", "--hook-url", "https://h.test"), "attach --type token needs --authorization"),
        (("check", "--authorization-server", "default"), "--authorization-server, --policy and --rule place a token"),
    ],
)
def test_option_mistakes_are_one_line(okta_org, tmp_path, args, said):
    result = org(okta_org, *args, cwd=tmp_path)
    assert result.returncode == 2 and said in result.stderr and len(result.stderr.splitlines()) == 1
    assert okta_org.org.store.inline_hooks() == []


def test_a_state_file_of_another_attach_is_not_overwritten(okta_org, sample_hook, tmp_path):
    """One state file keeps one attach: a registration attach's state would be lost to a token attach (and back)."""
    assert org(okta_org, "attach", "--hook-url", sample_hook.hook_url, cwd=tmp_path).returncode == 0
    token = attach(okta_org, sample_hook, tmp_path)
    assert token.returncode == 2 and "keeps a registration hook's attach" in token.stderr
    assert len(okta_org.org.store.inline_hooks()) == 1
    assert org(okta_org, "restore", cwd=tmp_path).returncode == 0
    assert attach(okta_org, sample_hook, tmp_path).returncode == 0
    registration = org(okta_org, "attach", "--hook-url", sample_hook.hook_url, cwd=tmp_path)
    assert registration.returncode == 2 and "keeps a token hook's attach" in registration.stderr
    other_state = ("--state", str(tmp_path / "registration.json"))
    assert org(okta_org, "attach", "--hook-url", sample_hook.hook_url, *other_state, cwd=tmp_path).returncode == 0
    assert len(okta_org.org.store.inline_hooks()) == 2  # both hooks attached at once, each with its state


def test_attach_a_token_hook_with_an_oauth_channel(okta_org, tmp_path):
    token_url = okta_org.url + "/oauth2/default/v1/token"
    oauth = ("--oauth-token-url", token_url, "--oauth-client-id", "0oahook", "--oauth-client-secret", "s3cret")
    result = org(okta_org, "attach", "--type", "token", "--authorization-server", "default", "--hook-url",
                 "https://hooks.acme.test/tokenHook", *oauth, cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr and "s3cret" not in result.stdout
    [hook] = okta_org.org.store.inline_hooks()
    assert (hook.type, hook.channel.type, hook.channel.oauth.auth_type) == (TOKEN_HOOK, "OAUTH", "client_secret_post")


def test_cleanup_deletes_the_apps_runs_created(okta_org, tmp_path):
    """A run's OIDC apps carry the run tag at the start of their label; an ACTIVE app is deactivated first."""
    apps = okta_org.org.apps
    body = {
        "signOnMode": "OPENID_CONNECT",
        "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_basic"}},
        "settings": {"oauthClient": {"application_type": "service", "grant_types": ["client_credentials"]}},
    }
    for label in ("mokta1a2b-portal", "mokta1a2b-api", "mokta9999-portal", "Portal mokta1a2b"):
        apps.create({**body, "label": label})
    one_run = org(okta_org, "cleanup", "--run-tag", "mokta1a2b", cwd=tmp_path)
    assert one_run.returncode == 0, one_run.stderr
    assert one_run.stdout.splitlines()[-1] == "deleted 2 app(s) whose label starts with 'mokta1a2b'"
    assert sorted(a.label for a in apps.find()) == ["Portal mokta1a2b", "mokta9999-portal"]
    assert org(okta_org, "cleanup", cwd=tmp_path).stdout.splitlines()[-1].startswith("deleted 1 app(s)")


def test_cleanup_after_a_killed_run_takes_its_apps_out_of_every_policy_that_names_them(okta_org, tmp_path):
    """A killed `okta_tokens` run leaves its app's client id in the policy it minted under (docs api/authorization-
    servers, "Condition properties": `conditions.clients.include`, the clients a policy applies to). Cleanup takes
    the run's client ids out of every policy of every server that names them, keeps the admin's clients and every
    other member of the policy, leaves other policies alone, and says which it changed."""
    api = httpx.Client(base_url=okta_org.url, headers=okta_org.api_headers)

    def client_id(label: str) -> str:
        created = api.post("/api/v1/apps", json=service_app(label, "client_secret_basic"))
        assert created.status_code == 200, created.text
        return created.json()["credentials"]["oauthClient"]["client_id"]

    portal, killed = client_id("Admin's portal"), client_id("mokta1a2b okta_tokens")
    other_run = client_id("mokta9f9f okta_tokens")  # another run's, still under way: not this cleanup's
    other_server = api.post("/api/v1/authorizationServers", json={
        "name": "Patients", "description": "Patients API", "audiences": ["api://patients"],
    }).json()  # fmt: skip
    policy_body = {"name": "Patients policy", "description": "The portal and the run", "priority": 1,
                   "type": "OAUTH_AUTHORIZATION_POLICY", "status": "ACTIVE",
                   "conditions": {"clients": {"include": [killed]}}}  # fmt: skip
    made = api.post(f"/api/v1/authorizationServers/{other_server['id']}/policies", json=policy_body)
    assert made.status_code in (200, 201), made.text
    server = "/api/v1/authorizationServers/default"
    [policy] = api.get(f"{server}/policies").json()
    policy["conditions"]["clients"]["include"] = [portal, killed, other_run]
    assert api.put(f"{server}/policies/{policy['id']}", json=policy).status_code == 200
    untouched = api.get(f"{server}/policies/{policy['id']}").json()

    cleaned = org(okta_org, "cleanup", "--run-tag", "mokta1a2b", cwd=tmp_path)
    assert cleaned.returncode == 0, cleaned.stderr
    assert cleaned.stdout.splitlines()[-3:] == [
        "deleted 1 app(s) whose label starts with 'mokta1a2b'",
        "took the client id(s) of these apps out of policy 'Default Policy' of authorization server 'default'",
        "took the client id(s) of these apps out of policy 'Patients policy' of authorization server 'Patients'",
    ]
    after = api.get(f"{server}/policies/{policy['id']}").json()
    assert after["conditions"]["clients"]["include"] == [portal, other_run], "only the run's client id goes"
    assert {k: v for k, v in after.items() if k not in ("conditions", "lastUpdated")} == {
        k: v for k, v in untouched.items() if k not in ("conditions", "lastUpdated")
    }, "nothing else of the policy changes"
    patients = api.get(f"/api/v1/authorizationServers/{other_server['id']}/policies").json()
    assert [p["conditions"]["clients"]["include"] for p in patients] == [[]]

    again = org(okta_org, "cleanup", "--run-tag", "mokta1a2b", cwd=tmp_path)
    assert again.stdout.splitlines()[-1] == "deleted 0 app(s) whose label starts with 'mokta1a2b'", again.stdout


@pytest.mark.parametrize("previous", [None, {"id": "calTheTeams"}])
def test_restore_puts_the_rule_back_itself(tmp_path, previous):
    """The mock takes a deleted hook off its rules, which could hide a restore that never fixed the rule: against
    `responses`, restore PUTs the rule naming the hook it named before (none: no `inlineHook`, as a PUT replaces the
    whole rule, spec replaceAuthorizationServerPolicyRule) before it deletes the hook attach created."""
    import responses

    from mock_okta.cli.commands.org_token import restore_token
    from mock_okta.okta_org.client import OrgClient

    org_url = "https://dev-1.okta.example"
    rules = f"{org_url}/api/v1/authorizationServers/aus1/policies/00p1/rules"
    token = {"accessTokenLifetimeMinutes": 60, "inlineHook": {"id": "calOurs"}}
    rule = {"id": "0pr1", "name": "Rule", "actions": {"token": token}, "_links": {}}
    state = tmp_path / "state.json"
    state.write_text("{}")
    saved = {"orgUrl": org_url, "authorizationServerId": "aus1", "policyId": "00p1", "ruleId": "0pr1",
             "previousInlineHook": previous, "createdHookId": "calOurs"}  # fmt: skip
    with responses.RequestsMock() as mocked:
        mocked.get(f"{rules}/0pr1", json=rule)
        mocked.put(f"{rules}/0pr1", json=rule)
        mocked.post(f"{org_url}/api/v1/inlineHooks/calOurs/lifecycle/deactivate", json={})
        mocked.delete(f"{org_url}/api/v1/inlineHooks/calOurs", status=204)
        restore_token(OrgClient(org_url, "t0ken"), saved, state)
        put = json.loads(mocked.calls[1].request.body)
        assert [c.request.method for c in mocked.calls] == ["GET", "PUT", "POST", "DELETE"]
    expected = {"accessTokenLifetimeMinutes": 60} | ({"inlineHook": previous} if previous else {})
    assert put["actions"]["token"] == expected and "_links" not in put
    assert not state.exists()
