"""The Authorization Servers API and the Apps API for OpenID Connect apps, over real HTTP on the session's mock org.

Sources, cited per test: okta-developer-docs `docs/reference/api/authorization-servers/index.md` and
`docs/reference/api/apps/index.md` (their last full versions, `git show 982a3bc1c1^:...`), the management spec
(`AuthorizationServer`, `AuthorizationServerPolicyRule`, `TokenAuthorizationServerPolicyRuleAction`, `OAuth2Scope`,
`OAuth2Claim`, `ApplicationCredentialsOAuthClient`), and a real org's answers recorded by okta-sdk-python
(`tests/integration/cassettes/test_auth_server_it/*.yaml`, `test_authorization_server_rules_it/...`,
`test_applications_it/...test_create_open_id_connect_app.yaml`).
"""

from __future__ import annotations

import time

import httpx
import jwt
import pytest

from tests.org.helpers import assert_okta_error, hook_body
from tests.org.test_okta_sdk import rsa_key

TOKEN_HOOK = "com.okta.oauth2.tokens.transform"
SERVERS = "/api/v1/authorizationServers"


def server_body(name: str = "Patients API", audience: str = "api://patients") -> dict:
    return {"name": name, "description": "For the patient portal", "audiences": [audience]}


def rule_body(**token: object) -> dict:
    return {
        "type": "RESOURCE_ACCESS",
        "name": "Portal rule",
        "priority": 1,
        "conditions": {
            "people": {"groups": {"include": ["EVERYONE"]}},
            "grantTypes": {"include": ["client_credentials", "authorization_code"]},
            "scopes": {"include": ["*"]},
        },
        "actions": {"token": {"accessTokenLifetimeMinutes": 60, **token}},
    }


def token_hook(api: httpx.Client, name: str = "Token hook") -> dict:
    body = {**hook_body("https://hooks.example/token", name), "type": TOKEN_HOOK}
    created = api.post("/api/v1/inlineHooks", json=body)
    assert created.status_code == 200, created.text
    return created.json()


def test_the_default_server_exists_as_okta_creates_it(api):
    """docs authorization-servers "Work with the Default Authorization Server" (a pre-configured server `default`
    with "a basic access policy and rule"); the rule object's example ("Default Policy Rule": EVERYONE, scopes *,
    60/0/10080 minutes); the system scopes and claims of a real org's new server (cassettes test_list_oauth2_scopes,
    test_list_oauth2_claims)."""
    server = api.get(f"{SERVERS}/default").json()
    assert server["audiences"] == ["api://default"] and server["issuer"].endswith("/oauth2/default")
    assert server["status"] == "ACTIVE" and server["credentials"]["signing"]["kid"]
    scopes = {s["name"]: s for s in api.get(f"{SERVERS}/default/scopes").json()}
    assert set(scopes) == {"openid", "profile", "email", "address", "phone", "offline_access"}
    assert all(s["system"] and s["metadataPublish"] == "ALL_CLIENTS" for s in scopes.values())
    claims = {c["name"]: c for c in api.get(f"{SERVERS}/default/claims").json()}
    assert claims["sub"]["value"] == "(appuser != null) ? appuser.userName : app.clientId"
    in_id_token = {n for n, c in claims.items() if c["claimType"] == "IDENTITY" and c["alwaysIncludeInToken"]}
    assert in_id_token == {"email", "name", "preferred_username"}
    [policy] = api.get(f"{SERVERS}/default/policies").json()
    assert (policy["name"], policy["type"], policy["conditions"]) == (
        "Default Policy", "OAUTH_AUTHORIZATION_POLICY", {"clients": {"include": ["ALL_CLIENTS"]}}
    )  # fmt: skip
    [rule] = api.get(f"{SERVERS}/default/policies/{policy['id']}/rules").json()
    assert rule["name"] == "Default Policy Rule" and rule["type"] == "RESOURCE_ACCESS"
    assert rule["conditions"]["people"]["groups"]["include"] == ["EVERYONE"]
    assert rule["conditions"]["scopes"]["include"] == ["*"]
    assert rule["actions"]["token"] == {
        "accessTokenLifetimeMinutes": 60, "refreshTokenLifetimeMinutes": 0, "refreshTokenWindowMinutes": 10080
    }  # fmt: skip


def test_a_server_lifecycle_as_a_real_org_answers_it(api):
    """Cassettes test_auth_server_it: create 201 with the system scopes and no policy, lifecycle 204, delete 204,
    then 404 E0000007 naming (AuthorizationServer); `_links` as recorded."""
    created = api.post(SERVERS, json=server_body())
    assert created.status_code == 201, created.text
    server = created.json()
    assert server["id"].startswith("aus") and server["issuer"].endswith(f"/oauth2/{server['id']}")
    assert set(server["_links"]) >= {"scopes", "claims", "policies", "self", "metadata", "keys", "deactivate"}
    href = f"{SERVERS}/{server['id']}"
    assert api.get(f"{href}/policies").json() == []
    assert len(api.get(f"{href}/scopes").json()) == 6
    assert api.post(f"{href}/lifecycle/deactivate").status_code == 204
    assert api.get(href).json()["status"] == "INACTIVE"
    assert "activate" in api.get(href).json()["_links"]
    assert api.post(f"{href}/lifecycle/activate").status_code == 204
    renamed = api.put(href, json=server_body("Patients API v2"))
    assert renamed.status_code == 200 and renamed.json()["name"] == "Patients API v2"
    assert [s["id"] for s in api.get(SERVERS, params={"q": "Patients"}).json()] == [server["id"]]
    assert api.delete(href).status_code == 204
    gone = assert_okta_error(api.get(href), 404, "E0000007")
    assert gone["errorSummary"] == f"Not found: Resource not found: {server['id']} (AuthorizationServer)"
    types = [e["eventType"] for e in api.get("/api/v1/logs").json()]
    assert {"oauth2.as.created", "oauth2.as.deactivated", "oauth2.as.updated", "oauth2.as.deleted"} <= set(types)


@pytest.mark.parametrize(
    ("body", "cause"),
    [
        ({"name": "x", "description": "d"}, "audiences"),
        ({"name": "x", "description": "d", "audiences": ["a", "b"]}, "audiences"),  # "only one audience" (spec)
        ({"name": "x", "description": "d", "audiences": ["a b:c"]}, "audiences"),  # ":" → a valid URI (docs Limits)
        ({"description": "d", "audiences": ["api://x"]}, "name"),
        ({"name": "x", "audiences": ["api://x"]}, "description"),
        ({"name": "default", "description": "d", "audiences": ["api://x"]}, "name"),
    ],
)
def test_a_server_body_okta_refuses_is_a_400_naming_the_field(api, body, cause):
    refused = assert_okta_error(api.post(SERVERS, json=body), 400, "E0000001")
    assert any(c["errorSummary"].startswith(cause) for c in refused["errorCauses"]), refused


def test_scopes_and_claims_crud_and_okta_s_refusals(api):
    """docs "Scope properties" notes (no okta. prefix, printable ASCII without spaces or quotes) and "Claim
    properties"; cassettes test_create_get_oauth2_scope / test_create_get_oauth2_claim / test_delete_oauth2_*."""
    href = f"{SERVERS}/default"
    scope = api.post(f"{href}/scopes", json={"name": "patients:read", "description": "Read patients"})
    assert scope.status_code == 201 and scope.json()["metadataPublish"] == "NO_CLIENTS"
    assert scope.json()["system"] is False and scope.json()["default"] is False
    for bad in ("okta.users.read", "has space", 'quo"te', "*"):
        assert_okta_error(api.post(f"{href}/scopes", json={"name": bad}), 400, "E0000001")
    assert_okta_error(api.post(f"{href}/scopes", json={"name": "patients:read"}), 400, "E0000001")
    claim = api.post(
        f"{href}/claims",
        json={"name": "tier", "claimType": "RESOURCE", "valueType": "EXPRESSION", "value": '"gold"', "conditions": {}},
    )
    assert claim.status_code == 201, claim.text
    assert claim.json()["alwaysIncludeInToken"] is True and claim.json()["conditions"] == {"scopes": []}
    reserved = {"name": "sub", "claimType": "RESOURCE", "valueType": "EXPRESSION", "value": '"x"'}
    assert_okta_error(api.post(f"{href}/claims", json=reserved), 400, "E0000001")
    # An expression mock-okta cannot evaluate is refused when made, not evaluated wrongly in tokens (README).
    unsupported = {**reserved, "name": "groupsEl", "value": 'Groups.startsWith("OKTA","Doc",10)'}
    refused = assert_okta_error(api.post(f"{href}/claims", json=unsupported), 400, "E0000001")
    assert "mock-okta evaluates" in refused["errorCauses"][0]["errorSummary"]
    claim_href = f"{href}/claims/{claim.json()['id']}"
    assert api.delete(claim_href).status_code == 204
    assert_okta_error(api.get(claim_href), 404, "E0000007")
    system_scope = next(s for s in api.get(f"{href}/scopes").json() if s["name"] == "openid")
    assert_okta_error(api.delete(f"{href}/scopes/{system_scope['id']}"), 400, "E0000001")


def test_a_rule_names_a_token_inline_hook_that_must_exist_and_be_of_the_token_type(api):
    """Spec `TokenAuthorizationServerPolicyRuleAction.inlineHook`; token hook reference "Enabling a token inline
    hook" (a rule's "Use this Inline Hook" lists the registered token hooks; one hook per rule)."""
    policy = api.post(f"{SERVERS}/default/policies", json={"name": "Portal", "description": "Portal", "priority": 1})
    assert policy.status_code == 201, policy.text
    rules = f"{SERVERS}/default/policies/{policy.json()['id']}/rules"
    hook = token_hook(api)
    created = api.post(rules, json=rule_body(inlineHook={"id": hook["id"]}))
    assert created.status_code == 201, created.text
    assert created.json()["actions"]["token"]["inlineHook"] == {"id": hook["id"]}
    assert api.get(f"{rules}/{created.json()['id']}").json()["actions"]["token"]["inlineHook"]["id"] == hook["id"]
    missing = assert_okta_error(api.post(rules, json=rule_body(inlineHook={"id": "calNope"})), 400, "E0000001")
    assert "inlineHook.id" in missing["errorCauses"][0]["errorSummary"]
    registration = api.post("/api/v1/inlineHooks", json=hook_body("https://hooks.example/reg")).json()
    wrong = assert_okta_error(api.post(rules, json=rule_body(inlineHook={"id": registration["id"]})), 400, "E0000001")
    assert TOKEN_HOOK in wrong["errorCauses"][0]["errorSummary"]
    # Deleting the hook takes it off the rule, as it does off the profile enrollment policy.
    api.post(f"/api/v1/inlineHooks/{hook['id']}/lifecycle/deactivate")
    assert api.delete(f"/api/v1/inlineHooks/{hook['id']}").status_code == 204
    assert "inlineHook" not in api.get(f"{rules}/{created.json()['id']}").json()["actions"]["token"]


@pytest.mark.parametrize(
    "token",
    [
        {"accessTokenLifetimeMinutes": 4},  # "minimum five minutes"
        {"accessTokenLifetimeMinutes": 1441},  # "maximum one day"
        {"refreshTokenWindowMinutes": 9},  # "minimum 10 minutes"
        {"accessTokenLifetimeMinutes": 60, "refreshTokenLifetimeMinutes": 30},  # "minimum access token lifetime"
        {"accessTokenLifetimeMinutes": "60"},
    ],
)
def test_rule_lifetimes_outside_okta_s_bounds_are_refused(api, token):
    """docs authorization-servers "Actions object"."""
    [policy] = api.get(f"{SERVERS}/default/policies").json()
    body = rule_body(**token)
    assert_okta_error(api.post(f"{SERVERS}/default/policies/{policy['id']}/rules", json=body), 400, "E0000001")


def test_rule_priorities_are_renumbered_as_a_real_org_does(api):
    """Cassette test_policy_rules_lifecycle: a lone rule PUT with priority 2 reads back priority 1; a new rule
    at priority 1 goes first."""
    [policy] = api.get(f"{SERVERS}/default/policies").json()
    rules = f"{SERVERS}/default/policies/{policy['id']}/rules"
    [default_rule] = api.get(rules).json()
    assert api.put(f"{rules}/{default_rule['id']}", json={**rule_body(), "priority": 2}).json()["priority"] == 1
    first = api.post(rules, json={**rule_body(), "name": "First"}).json()
    assert [(r["name"], r["priority"]) for r in api.get(rules).json()] == [("First", 1), ("Portal rule", 2)]
    assert api.delete(f"{rules}/{first['id']}").status_code == 204
    assert [r["priority"] for r in api.get(rules).json()] == [1]


def oidc_app(**settings: object) -> dict:
    return {
        "name": "oidc_client",
        "label": "Patient portal",
        "signOnMode": "OPENID_CONNECT",
        "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_basic"}},
        "settings": {
            "oauthClient": {
                "application_type": "web",
                "grant_types": ["authorization_code", "refresh_token"],
                "response_types": ["code"],
                "redirect_uris": ["http://127.0.0.1:9/callback"],
                **settings,
            }
        },
    }


def test_an_oidc_app_has_a_generated_client_and_a_secret_shown_once(api):
    """Spec `ApplicationCredentialsOAuthClient` (client_id defaults to the app id; a generated secret "only shown
    when an OAuth 2.0 client app is created or updated"); the recorded GET of test_create_open_id_connect_app has no
    client_secret."""
    created = api.post("/api/v1/apps", json=oidc_app())
    assert created.status_code == 200, created.text
    app = created.json()
    client = app["credentials"]["oauthClient"]
    assert client["client_id"] == app["id"] and len(client["client_secret"]) >= 14
    assert app["signOnMode"] == "OPENID_CONNECT" and app["status"] == "ACTIVE" and app["name"] == "oidc_client"
    fetched = api.get(f"/api/v1/apps/{app['id']}").json()
    assert "client_secret" not in fetched["credentials"]["oauthClient"]
    assert fetched["settings"]["oauthClient"]["redirect_uris"] == ["http://127.0.0.1:9/callback"]
    assert [a["id"] for a in api.get("/api/v1/apps").json()] == [app["id"]]
    # Applications must be deactivated before they can be deleted (docs apps, "Delete application").
    forbidden = assert_okta_error(api.delete(f"/api/v1/apps/{app['id']}"), 403, "E0000056")
    assert forbidden["errorCauses"] == [{"errorSummary": "The application must be deactivated before deletion."}]
    assert api.post(f"/api/v1/apps/{app['id']}/lifecycle/deactivate").json() == {}
    assert api.delete(f"/api/v1/apps/{app['id']}").status_code == 204
    assert_okta_error(api.get(f"/api/v1/apps/{app['id']}"), 404, "E0000007")


@pytest.mark.parametrize(
    ("change", "cause"),
    [
        ({"application_type": "browser"}, "token_endpoint_auth_method"),  # an SPA is a public client
        ({"grant_types": ["client_credentials"], "application_type": "native"}, "grant_types"),
        ({"grant_types": ["implicit"], "response_types": ["code"]}, "grant_types"),  # web needs authorization_code
        ({"redirect_uris": []}, "redirect_uris"),
        ({"redirect_uris": ["https://app.example/cb#frag"]}, "redirect_uris"),
        ({"application_type": "tv"}, "application_type"),
    ],
)
def test_an_app_okta_refuses_is_a_400_naming_the_setting(api, change, cause):
    """docs apps "Add OAuth 2.0 client application": valid grant types per application type, redirect URIs
    absolute and without a fragment, required for redirect flows."""
    refused = assert_okta_error(api.post("/api/v1/apps", json=oidc_app(**change)), 400, "E0000001")
    assert any(cause in c["errorSummary"] for c in refused["errorCauses"]), refused


# okta-developer-docs `docs/guides/customize-tokens-returned-from-okta/main/index.md` ("Create an app with the
# Profile object"): the token guide's own service app, sent as the guide sends it.
GUIDE_SERVICE_APP = {
    "name": "oidc_client",
    "label": "Example App",
    "signOnMode": "OPENID_CONNECT",
    "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_post"}},
    "profile": {"label": "Example App"},
    "settings": {
        "oauthClient": {
            "client_uri": None,
            "logo_uri": None,
            "response_types": ["token"],
            "grant_types": ["client_credentials"],
            "application_type": "service",
            "consent_method": "REQUIRED",
            "issuer_mode": "ORG_URL",
        }
    },
}


def service_app(**settings: object) -> dict:
    body = {**GUIDE_SERVICE_APP, "label": "Reporting service"}
    return {**body, "settings": {"oauthClient": {**GUIDE_SERVICE_APP["settings"]["oauthClient"], **settings}}}


def test_a_service_app_with_the_token_response_type_is_created_as_okta_s_guide_creates_it(api):
    """Issue 22, D4: the token guide's service app (`response_types: [token]` with `client_credentials`) was a 400
    "token needs the implicit grant type". docs apps (last full version): "grant_types and response_types ... are
    related" (the grant a client may use gives the response types it may ask for), and a client credentials client
    needs no response type at all; `docs/guides/secure-oauth-between-orgs` registers its service app with
    `response_types: token` and `grant_types: client_credentials` too (spec `OpenIdConnectApplicationSettingsClient`:
    `response_types` items `OAuthResponseType`: code, id_token, token)."""
    created = api.post("/api/v1/apps", json=GUIDE_SERVICE_APP)
    assert created.status_code == 200, created.text
    settings = created.json()["settings"]["oauthClient"]
    assert (settings["response_types"], settings["grant_types"]) == (["token"], ["client_credentials"])
    # What Okta still refuses: the OpenID Connect and code responses a service app cannot get (docs apps: `service`
    # "Works with OAuth 2.0 flow (not OpenID Connect)"; `code` comes with `authorization_code`), and `token` on an
    # app with neither the implicit nor the client credentials grant.
    for body, words in (
        (service_app(response_types=["token", "id_token"]), "id_token needs the implicit grant type"),
        (service_app(response_types=["code"]), "code needs the authorization_code grant type"),
        (oidc_app(response_types=["code", "token"]), "token needs the implicit or client_credentials grant"),
    ):
        refused = assert_okta_error(api.post("/api/v1/apps", json=body), 400, "E0000001")
        assert any(words in cause["errorSummary"] for cause in refused["errorCauses"]), refused


def test_other_sign_on_modes_and_client_secret_jwt_are_honest_gaps(api):
    saml = {"label": "SAML app", "signOnMode": "SAML_2_0"}
    assert "SAML_2_0" in assert_okta_error(api.post("/api/v1/apps", json=saml), 501, "E0000015")["errorSummary"]
    body = oidc_app()
    body["credentials"]["oauthClient"]["token_endpoint_auth_method"] = "client_secret_jwt"
    assert_okta_error(api.post("/api/v1/apps", json=body), 501, "E0000015")


def test_users_and_groups_are_assigned_to_an_app(api, okta_org):
    """docs apps "Assign user to application for SSO" (the Application User object) and "Assign group to
    application" (`{id, lastUpdated, priority}`)."""
    app = api.post("/api/v1/apps", json=oidc_app()).json()
    user = okta_org.org.store.create_user({"login": "pat@example.com", "email": "pat@example.com"}, "ACTIVE")
    assigned = api.post(f"/api/v1/apps/{app['id']}/users", json={"id": user.id, "scope": "USER"})
    assert assigned.status_code == 200 and assigned.json()["credentials"] == {"userName": "pat@example.com"}
    assert okta_org.org.store.is_assigned(app["id"], user.id)
    assert [u["id"] for u in api.get(f"/api/v1/apps/{app['id']}/users").json()] == [user.id]
    assert api.delete(f"/api/v1/apps/{app['id']}/users/{user.id}").status_code == 204
    assert not okta_org.org.store.is_assigned(app["id"], user.id)
    everyone = next(g for g in api.get("/api/v1/groups").json() if g["profile"]["name"] == "Everyone")
    group = api.put(f"/api/v1/apps/{app['id']}/groups/{everyone['id']}").json()
    assert group["id"] == everyone["id"] and group["priority"] == 0
    assert okta_org.org.store.is_assigned(app["id"], user.id), "every user is in Everyone"
    assert_okta_error(api.put(f"/api/v1/apps/{app['id']}/groups/00gNope"), 404, "E0000007")


def test_the_api_families_need_their_okta_scopes(okta_org):
    """developer docs "OAuth 2.0 Scopes": okta.authorizationServers.read / .manage and okta.apps.read / .manage;
    an access token without them is 403 E0000006 (as for the other families)."""
    pem, public = rsa_key()
    body = {"name": "CI", "jwks": {"keys": [public]}, "scopes": ["okta.authorizationServers.read", "okta.apps.read"]}
    client_id = httpx.post(f"{okta_org.url}/_mock/service-apps", json=body).json()["client_id"]
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": f"{okta_org.url}/oauth2/v1/token", "iat": now}
    form = {
        "grant_type": "client_credentials",
        "scope": "okta.authorizationServers.read okta.apps.read",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": jwt.encode({**claims, "exp": now + 300, "jti": "a"}, pem, algorithm="RS256"),
    }
    token = httpx.post(f"{okta_org.url}/oauth2/v1/token", data=form).json()["access_token"]
    with httpx.Client(base_url=okta_org.url, headers={"Authorization": f"Bearer {token}"}) as bearer:
        assert bearer.get(SERVERS).status_code == 200 and bearer.get("/api/v1/apps").status_code == 200
        assert_okta_error(bearer.post(SERVERS, json=server_body()), 403, "E0000006")
        assert_okta_error(bearer.post("/api/v1/apps", json=oidc_app()), 403, "E0000006")
