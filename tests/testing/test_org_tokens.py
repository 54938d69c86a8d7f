"""`OrgTokenIssuer` (`okta_tokens` on `--okta-target org`) against an in-process mock org standing in for a real one:
what it adds to the org is taken out again whatever happened, what it did not create is never touched, a call the
hook failed is given only when asked for, and what the org lacks is said in one line. Client credentials and the
mock page's IDX calls (no browser: the rehearsal in tests/cli/test_rehearsal.py drives the browser on `serve`).

Sources: okta-developer-docs (last full versions, `git show 982a3bc1c1^:packages/@okta/vuepress-site/docs/reference/
<page>/index.md`): `api/authorization-servers` (a policy's `conditions.clients.include`: the policy applies to the
clients it names, or `ALL_CLIENTS`; the server's scopes), `api/apps` (an app is deactivated, then deleted; a user is
assigned to an app), `token-hook` ("Troubleshoot": a failed call leaves the tokens as minted, which the System Log
tells); the event catalog `data/event-types.json` (`app.oauth2.as.token.grant.access_token`,
`inline_hook.executed`, `inline_hook.response.processed`)."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from mock_okta.okta_org.client import OrgClient
from mock_okta.testing.org_tokens import OrgTokenIssuer, TokenPlace, token_place
from mock_okta.testing.token_parts import token_hook_body
from mock_okta.testing.tokens import TokenHookFailed

SERVER = "/api/v1/authorizationServers/default"
PORTAL = {
    "name": "oidc_client",
    "label": "Admin's portal",
    "signOnMode": "OPENID_CONNECT",
    "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_basic"}},
    "settings": {"oauthClient": {"application_type": "service", "grant_types": ["client_credentials"]}},
}


class Org:
    """The mock org as an admin set it up: a token hook on the `default` server's rule, the rule's policy naming
    one client of the admin's (the portal), and the scope `customScope`."""

    def __init__(self, okta_org, hook_url: str, auth_header: str | None, tmp_path: Path) -> None:
        self.api = httpx.Client(base_url=okta_org.url, headers=okta_org.api_headers)
        hook = self.ok("POST", "/api/v1/inlineHooks", json=token_hook_body("Admin's token hook", hook_url, auth_header))
        [policy] = self.ok("GET", f"{SERVER}/policies")
        self.policy = f"{SERVER}/policies/{policy['id']}"
        for rule in self.ok("GET", f"{self.policy}/rules"):
            rule.setdefault("actions", {}).setdefault("token", {})["inlineHook"] = {"id": hook["id"]}
            self.ok("PUT", f"{self.policy}/rules/{rule['id']}", json=rule)
        self.portal = self.ok("POST", "/api/v1/apps", json=PORTAL)
        policy["conditions"]["clients"]["include"] = [self.portal["credentials"]["oauthClient"]["client_id"]]
        self.ok("PUT", self.policy, json=policy)
        self.ok("POST", f"{SERVER}/scopes", json={"name": "customScope"})
        self.client = OrgClient(okta_org.url, okta_org.api_token)
        # No state file here: the rule is the `default` server's first policy's first rule.
        self.place = token_place(self.client, tmp_path / ".mock-okta-org.json")
        assert self.place.hook_id == hook["id"]

    def ok(self, method: str, path: str, **kwargs):
        response = self.api.request(method, path, **kwargs)
        assert response.status_code < 300, f"{method} {path}: {response.status_code} {response.text[:300]}"
        return response.json() if response.content else None

    def issuer(self) -> OrgTokenIssuer:
        return OrgTokenIssuer(self.client, self.place, None, run_tag="mokta0rgtest")

    def policy_clients(self) -> list[str]:
        return list(self.ok("GET", self.policy)["conditions"]["clients"]["include"])

    def apps(self) -> dict[str, str]:
        return {app["label"]: app["status"] for app in self.ok("GET", "/api/v1/apps")}

    def users(self) -> dict[str, str]:
        return {user["profile"]["login"]: user["status"] for user in self.ok("GET", "/api/v1/users")}


def down_url() -> str:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{closed.getsockname()[1]}/tokenHook"


@pytest.fixture
def sample_org(okta_org, sample_hook, tmp_path) -> Org:
    return Org(okta_org, sample_hook.token_hook_url, sample_hook.auth_header, tmp_path)


def test_close_takes_the_run_s_client_out_of_the_policy_even_when_the_test_body_raised(sample_org):
    """The policy names its clients: the run adds its app's client id (else no rule of this policy mints for it) and
    takes it out again in `close()`, which the fixture calls whatever the test did; the portal stays."""
    portal = sample_org.portal["credentials"]["oauthClient"]["client_id"]
    issuer = sample_org.issuer()
    with pytest.raises(AssertionError, match="the test's own assertion"):
        try:
            tokens = issuer(grant="client_credentials")
            assert tokens.hook_call is not None and tokens.hook_call["failure"] is None
            assert tokens.hook_call["source"] == "System Log" and tokens.hook_call["events"]
            run_app = issuer._made.apps["okta_tokens"][0].client_id
            assert sample_org.policy_clients() == [portal, run_app], "the run's app is in the policy during the run"
            raise AssertionError("the test's own assertion")
        finally:
            issuer.close()
    assert sample_org.policy_clients() == [portal], "close() restores the policy's clients"
    assert list(sample_org.apps()) == ["Admin's portal"], "close() deletes the run's app, and only it"


def test_allow_hook_failure_gives_the_tokens_as_minted_with_the_system_log_s_failure(okta_org, tmp_path):
    """Token hook reference "Troubleshoot": a hook that is down leaves the tokens as minted. Without
    `allow_hook_failure` that is a `TokenHookFailed` naming the log's events; with it, the tokens and the evidence
    of the failed call."""
    org = Org(okta_org, down_url(), None, tmp_path)
    issuer = org.issuer()
    try:
        with pytest.raises(TokenHookFailed, match=r"(?s)the call failed \(ConnectError.*inline_hook\.executed FAILURE"):
            issuer(grant="client_credentials")
        tokens = issuer(grant="client_credentials", allow_hook_failure=True)
    finally:
        issuer.close()
    assert tokens.access_token["scp"] == ["customScope"] and tokens.id_token is None
    evidence = tokens.hook_call
    assert evidence is not None and evidence["source"] == "System Log"
    assert evidence["failure"], "the evidence says why the call failed"
    assert {event["outcome"]["result"] for event in evidence["events"]} >= {"FAILURE"}
    assert all(any(t.get("id") == org.place.hook_id for t in event["target"]) for event in evidence["events"])


def test_users_and_apps_the_run_did_not_create_are_never_deleted(sample_org):
    """An admin's user signs in with the password a test passes, and stays; the admin's apps stay; the run's own
    user and app go. A user of the org without `password=` is refused in one line (the run cannot know it)."""
    own = {"firstName": "Rajiv", "lastName": "Tal", "email": "rajiv.tal@example.com", "login": "rajiv.tal@example.com"}
    body = {"profile": own, "credentials": {"password": {"value": "Own-Password-2026"}}}
    sample_org.ok("POST", "/api/v1/users", params={"activate": "true"}, json=body)
    issuer = sample_org.issuer()
    try:
        exists = r"^user 'rajiv.tal@example.com' exists in the org .*: pass its password=$"
        with pytest.raises(ValueError, match=exists):
            issuer(user="rajiv.tal@example.com")
        tokens = issuer(user="rajiv.tal@example.com", password="Own-Password-2026")
        assert tokens.id_token is not None and tokens.id_token["extPatientId"] == "4235"  # the guide's third patient
        mine = issuer()
        assert mine.id_token is not None and mine.id_token["preferred_username"].startswith("mokta0rgtest")
        during = sample_org.users()
        assert len(during) == 2 and during["rajiv.tal@example.com"] == "ACTIVE"
    finally:
        issuer.close()
    assert sample_org.users() == {"rajiv.tal@example.com": "ACTIVE"}, "the admin's user stays, the run's is gone"
    assert sample_org.apps() == {"Admin's portal": "ACTIVE"}, "the admin's app stays, the run's is gone"


def test_a_missing_scope_is_one_clear_line_and_nothing_is_created_for_it(sample_org):
    """The server's scopes are the admin's (docs api/authorization-servers, "Scope operations"): the run never
    creates one; a scope the server lacks is refused before any token is asked for."""
    issuer = sample_org.issuer()
    try:
        with pytest.raises(ValueError) as refused:
            issuer(grant="client_credentials", scopes=["patients:read", "customScope"])
    finally:
        issuer.close()
    assert str(refused.value) == (
        "the authorization server default has no scope patients:read: add it, or pass scopes= that it has"
    )
    scopes = {scope["name"] for scope in sample_org.ok("GET", f"{SERVER}/scopes")}
    assert "patients:read" not in scopes


def test_without_a_state_file_the_place_is_the_default_server_s_first_rule(okta_org, tmp_path):
    """As `org check --type token` picks it; a rule naming no hook gives no hook id (the preflight stops that run)."""
    client = OrgClient(okta_org.url, okta_org.api_token)
    place = token_place(client, tmp_path / "none.json")
    assert isinstance(place, TokenPlace) and place.server_id == "default" and place.hook_id is None
    assert place.audience == "api://default"


def test_a_token_case_that_only_says_patched_or_unchanged_is_never_green_on_an_org(sample_org):
    """Issue 22, D2: on an org the token cases module proves the hook's call by the System Log, whose
    `inline_hook.executed` / `inline_hook.response.processed` events (event catalog `data/event-types.json`) say
    that the hook was called and whether that failed, not whether its answer patched (the token hook reference's
    "Troubleshoot" reads a failure from them, nothing more). So `expect: patched` and `expect: unchanged` alone
    both passed for one and the same call. The guide's hook (token inline hook guide) answers the patient
    jessie.smith@example.com with a patch and anyone else with a 204: both opposite cases, against both answers,
    must not be green; a case with claim expectations is still judged by them."""
    from mock_okta.hook.cases import parse_cases
    from mock_okta.hooktypes import REGISTRY, TOKEN
    from mock_okta.testing.token_cases import judge, unjudged

    cases = {
        case.name: case
        for case in parse_cases(
            "type: token\ncases:\n"
            "  - {name: patched, expect: patched}\n"
            "  - {name: unchanged, expect: unchanged}\n"
            "  - {name: unchanged-by-claims, expect: unchanged, absent: [identity.extPatientId]}\n",
            REGISTRY,
            hook_type=TOKEN,
        ).cases
    }
    issuer = sample_org.issuer()
    try:
        patient = issuer(user="jessie.smith@example.com", allow_hook_failure=True)
        other = issuer(allow_hook_failure=True)
    finally:
        issuer.close()
    assert patient.id_token is not None and patient.id_token["extPatientId"] == "1235", "the hook patched"
    assert other.id_token is not None and "extPatientId" not in other.id_token, "the hook answered 204"
    for tokens in (patient, other):
        assert tokens.hook_call is not None and tokens.hook_call["source"] == "System Log"
        for name in ("patched", "unchanged"):
            problems, reason = judge(cases[name], tokens, None), unjudged(cases[name], tokens)
            assert problems or reason, f"`expect: {name}` alone was green on the org's System Log"
            assert reason is not None and "add the claims that show it" in reason, (name, problems, reason)
    # Judged by its claims: the patient's tokens carry the claim the case says is absent, the other's do not.
    refuted = judge(cases["unchanged-by-claims"], patient, None)
    assert refuted == ['expected no extPatientId in the ID token; it carries "1235"']
    assert judge(cases["unchanged-by-claims"], other, None) == []
    assert unjudged(cases["unchanged-by-claims"], other) is None
