"""OpenID Connect at the org's custom authorization servers, over real HTTP on one org per module: an app signs a
user in through `/v1/authorize` and the hosted sign-in page's IDX calls, trades the code (PKCE S256) for tokens an
OIDC client library no one here wrote (Authlib) checks against the JWKS, the issuer, the audience, the nonce and
`at_hash`; client credentials, refresh, introspection, revocation, userinfo and logout.

Sources, cited per test: okta-developer-docs `docs/reference/api/oidc/index.md` (last full version,
`git show 982a3bc1c1^:...`: /authorize, /token, /introspect, /revoke, /userinfo, /logout, "Tokens and claims"),
Okta's OAuth error catalog `data/oauth2-error-codes.json` (the texts), `data/event-types.json` (grant events), and
a real org's system claims (okta-sdk-python cassette `test_auth_server_it/...test_list_oauth2_claims.yaml`).
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey
from authlib.jose import jwt as authlib_jwt
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken

from mock_okta.org import Org, OrgSettings, Store
from mock_okta.org.web import create_app
from mock_okta.serving.thread import ServerThread

TOKEN = "oidc-test-token"
PASSWORD = "Sunny-Day-2026"
REDIRECT = "http://127.0.0.1:9/callback"
LOGOUT = "http://127.0.0.1:9/bye"


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Org, str]]:
    mock = Org(Store(), OrgSettings(api_token=TOKEN))
    with ServerThread(create_app(mock)) as running:
        yield mock, running.url


@pytest.fixture
def org(server) -> Iterator[tuple[Org, httpx.Client]]:
    """The module's org, reset for the test, and a client of it that sends the API token."""
    mock, url = server
    mock.reset()
    with httpx.Client(base_url=url, headers={"Authorization": f"SSWS {TOKEN}"}, timeout=10) as api:
        yield mock, api


def make_app(api: httpx.Client, method: str = "client_secret_basic", app_type: str = "web", **settings: Any) -> dict:
    grants = settings.pop("grant_types", ["authorization_code", "refresh_token"])
    body = {
        "name": "oidc_client",
        "label": "Portal",
        "signOnMode": "OPENID_CONNECT",
        "credentials": {"oauthClient": {"token_endpoint_auth_method": method}},
        "settings": {
            "oauthClient": {
                "application_type": app_type,
                "grant_types": grants,
                "redirect_uris": [REDIRECT] if "authorization_code" in grants else [],
                "post_logout_redirect_uris": [LOGOUT],
                **settings,
            }
        },
    }
    created = api.post("/api/v1/apps", json=body)
    assert created.status_code == 200, created.text
    app = created.json()
    everyone = next(g for g in api.get("/api/v1/groups").json() if g["profile"]["name"] == "Everyone")
    api.put(f"/api/v1/apps/{app['id']}/groups/{everyone['id']}")
    return app


def make_user(api: httpx.Client, email: str = "pat@example.com") -> dict:
    profile = {"firstName": "Pat", "lastName": "Doe", "email": email, "login": email}
    body = {"profile": profile, "credentials": {"password": {"value": PASSWORD}}}
    created = api.post("/api/v1/users", json=body)
    assert created.status_code == 200, created.text
    return created.json()


def oauth_session(api: httpx.Client, app: dict, scope: str = "openid profile email") -> OAuth2Session:
    client = app["credentials"]["oauthClient"]
    return OAuth2Session(
        client["client_id"],
        client.get("client_secret"),
        scope=scope,
        redirect_uri=REDIRECT,
        code_challenge_method="S256",
        token_endpoint_auth_method=client["token_endpoint_auth_method"],
    )


def sign_in(browser: httpx.Client, authorize_url: str, email: str = "pat@example.com") -> httpx.Response:
    """The browser at /authorize without a session: the sign-in page, then the widget's IDX calls (identify,
    password), then the success redirect, which answers with the redirect to the app."""
    page = browser.get(authorize_url)
    assert page.status_code == 200, page.text
    match = re.search(r'"stateToken": ?"([^"]+)"', page.text)
    assert match, "the sign-in page boots the widget with a state token"
    handle = match.group(1)
    assert browser.post("/idp/idx/introspect", json={"stateToken": handle}).status_code == 200
    identified = browser.post("/idp/idx/identify", json={"stateHandle": handle, "identifier": email})
    assert identified.status_code == 200, identified.text
    done = browser.post(
        "/idp/idx/challenge/answer", json={"stateHandle": handle, "credentials": {"passcode": PASSWORD}}
    )
    href = done.json()["success"]["href"]
    return browser.get(href)


def redirected(response: httpx.Response) -> dict[str, str]:
    """The parameters of a redirect to the app's redirect URI (query)."""
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT + "?"), location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def code_flow(org, scope: str = "openid profile email", **app_settings: Any) -> tuple[dict, dict, dict, OAuth2Session]:
    """A user signs in to a new app through /authorize; returns (app, the token answer, the authorize request's
    nonce and url, the Authlib session)."""
    _, api = org
    app = make_app(api, **app_settings)
    make_user(api)
    session = oauth_session(api, app, scope)
    verifier = secrets.token_urlsafe(48)
    nonce = secrets.token_urlsafe(12)
    issuer = f"{api.base_url}/oauth2/default"
    url, state = session.create_authorization_url(f"{issuer}/v1/authorize", code_verifier=verifier, nonce=nonce)
    with httpx.Client(base_url=api.base_url, timeout=10) as browser:
        params = redirected(sign_in(browser, url))
        assert params["state"] == state
        tokens = session.fetch_token(f"{issuer}/v1/token", code=params["code"], code_verifier=verifier)
        # The session cookie is set: a second authorize redirects at once.
        again, _ = session.create_authorization_url(f"{issuer}/v1/authorize", code_verifier=verifier, nonce=nonce)
        second = redirected(browser.get(again))
        cookies = dict(browser.cookies)
    info = {"nonce": nonce, "second": second, "issuer": issuer, "cookies": cookies, "again": again}
    return app, dict(tokens), info, session


def checked_id_token(api: httpx.Client, id_token: str, client_id: str, nonce: str, access_token: str) -> Any:
    """Authlib's OpenID Connect ID token validation: signature with the server's JWKS (from its discovery
    document), iss, aud, exp, iat, nonce, at_hash."""
    discovery = api.get("/oauth2/default/.well-known/openid-configuration").json()
    keys = JsonWebKey.import_key_set(httpx.get(discovery["jwks_uri"]).json())
    claims = authlib_jwt.decode(
        id_token,
        keys,
        claims_cls=CodeIDToken,
        claims_options={
            "iss": {"essential": True, "value": discovery["issuer"]},
            "aud": {"essential": True, "value": client_id},
        },
        claims_params={"nonce": nonce, "access_token": access_token},
    )
    claims.validate()
    return claims


def test_discovery_names_the_endpoints_and_keys(org):
    """docs /.well-known/openid-configuration and oauth-authorization-server: issuer, endpoints, S256."""
    _, api = org
    issuer = f"{api.base_url}/oauth2/default"
    for name in ("openid-configuration", "oauth-authorization-server"):
        doc = api.get(f"/oauth2/default/.well-known/{name}").json()
        assert doc["issuer"] == issuer and doc["authorization_endpoint"] == f"{issuer}/v1/authorize"
        assert doc["code_challenge_methods_supported"] == ["S256"] and doc["end_session_endpoint"].endswith("/logout")
    keys = api.get("/oauth2/default/v1/keys").json()["keys"]
    assert keys[0]["kid"] == api.get("/api/v1/authorizationServers/default").json()["credentials"]["signing"]["kid"]
    assert api.get("/oauth2/ausNope/.well-known/openid-configuration").status_code == 404


def test_an_app_signs_a_user_in_and_authlib_accepts_the_tokens(org):
    """docs oidc "ID token payload" / "Access token payload" and the system claims a real org has (`name`,
    `preferred_username`, `email` with alwaysIncludeInToken); at_hash (OIDC Core §3.1.3.6); the rule's
    accessTokenLifetimeMinutes; System Log `app.oauth2.as.token.grant.*` (event-types.json)."""
    mock, api = org
    [policy] = api.get("/api/v1/authorizationServers/default/policies").json()
    [rule] = api.get(f"/api/v1/authorizationServers/default/policies/{policy['id']}/rules").json()
    rule["actions"]["token"]["accessTokenLifetimeMinutes"] = 30
    api.put(f"/api/v1/authorizationServers/default/policies/{policy['id']}/rules/{rule['id']}", json=rule)
    app, tokens, info, _ = code_flow(org)
    client_id = app["credentials"]["oauthClient"]["client_id"]
    user = mock.store.user("pat@example.com")
    claims = checked_id_token(api, tokens["id_token"], client_id, info["nonce"], tokens["access_token"])
    assert claims["sub"] == user.id and claims["nonce"] == info["nonce"] and claims["amr"] == ["pwd"]
    assert (claims["name"], claims["preferred_username"], claims["email"]) == ("Pat Doe", user.login, user.login)
    assert claims["exp"] - claims["iat"] == 3600 and claims["ver"] == 1 and claims["jti"].startswith("ID.")
    assert {"idp", "auth_time", "at_hash"} <= set(claims) and "given_name" not in claims
    access = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert access["aud"] == "api://default" and access["iss"] == info["issuer"] and access["cid"] == client_id
    assert access["uid"] == user.id and access["sub"] == user.login and access["scp"] == ["openid", "profile", "email"]
    assert access["exp"] - access["iat"] == 1800 and tokens["expires_in"] == 1800 and access["jti"].startswith("AT.")
    assert "refresh_token" not in tokens, "no offline_access asked"
    assert info["second"]["code"], "with the session cookie, /authorize redirects at once"
    events = {e["eventType"] for e in api.get("/api/v1/logs").json()}
    assert {
        "app.oauth2.as.authorize.code",
        "app.oauth2.as.token.grant.access_token",
        "app.oauth2.as.token.grant.id_token",
    } <= events


def test_authlib_refuses_a_token_of_another_nonce_or_audience(org):
    """The check above can fail: the same tokens against a wrong nonce or client id are refused (no false green)."""
    _, api = org
    app, tokens, info, _ = code_flow(org)
    client_id = app["credentials"]["oauthClient"]["client_id"]
    with pytest.raises(Exception, match="nonce"):
        checked_id_token(api, tokens["id_token"], client_id, "another-nonce", tokens["access_token"])
    with pytest.raises(Exception, match="aud"):
        checked_id_token(api, tokens["id_token"], "0oaSomeoneElse", info["nonce"], tokens["access_token"])


def test_refresh_introspect_userinfo_revoke(org):
    """docs oidc /token (refresh_token with offline_access), /introspect (active; inactive once revoked), /revoke
    (200), /userinfo (the claims of the granted scopes; 401 invalid_token for a revoked token)."""
    _, api = org
    app, tokens, _, session = code_flow(org, scope="openid profile email offline_access")
    issuer = f"{api.base_url}/oauth2/default"
    refreshed = session.refresh_token(f"{issuer}/v1/token", refresh_token=tokens["refresh_token"])
    assert refreshed["access_token"] != tokens["access_token"] and refreshed["id_token"]
    info = httpx.get(f"{issuer}/v1/userinfo", headers={"Authorization": f"Bearer {refreshed['access_token']}"})
    assert info.status_code == 200 and info.json()["email"] == "pat@example.com" and info.json()["given_name"] == "Pat"
    client = app["credentials"]["oauthClient"]
    auth = (client["client_id"], client["client_secret"])
    active = httpx.post(f"{issuer}/v1/introspect", data={"token": refreshed["access_token"]}, auth=auth).json()
    assert active["active"] is True and active["uid"] and active["username"] == "pat@example.com"
    assert httpx.post(f"{issuer}/v1/revoke", data={"token": refreshed["access_token"]}, auth=auth).status_code == 200
    assert httpx.post(f"{issuer}/v1/introspect", data={"token": refreshed["access_token"]}, auth=auth).json() == {
        "active": False
    }
    gone = httpx.get(f"{issuer}/v1/userinfo", headers={"Authorization": f"Bearer {refreshed['access_token']}"})
    assert gone.status_code == 401 and gone.json()["error"] == "invalid_token"
    assert httpx.post(f"{issuer}/v1/revoke", data={"token": tokens["refresh_token"]}, auth=auth).status_code == 200
    again = httpx.post(
        f"{issuer}/v1/token", data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}, auth=auth
    )
    assert again.json() == {"error": "invalid_grant", "error_description": "The refresh token is invalid or expired."}


def authorize_url(api: httpx.Client, app: dict, **params: str) -> str:
    query = {
        "client_id": app["credentials"]["oauthClient"]["client_id"],
        "response_type": "code",
        "scope": "openid",
        "redirect_uri": REDIRECT,
        "state": "st4te",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
        **params,
    }
    return str(httpx.URL(f"{api.base_url}/oauth2/default/v1/authorize", params={k: v for k, v in query.items() if v}))


@pytest.mark.parametrize(
    ("params", "error", "description"),
    [
        ({"state": ""}, "invalid_request", "The authentication request has an invalid 'state' parameter."),
        (
            {"scope": "openid nope:scope"},
            "invalid_scope",
            "One or more scopes are not configured for the authorization server resource.",
        ),
        (
            {"code_challenge_method": "plain"},
            "invalid_request",
            "PKCE code challenge method is not supported. Valid values: [S256]",
        ),
        (
            {"code_challenge": "", "code_challenge_method": ""},
            "invalid_request",
            "PKCE code challenge is required by the application.",
        ),
        ({"prompt": "none"}, "login_required", "The client specified not to prompt, but the user is not logged in."),
    ],
)
def test_authorize_errors_after_the_redirect_uri_is_trusted_go_to_it(org, params, error, description):
    """RFC 6749 §4.1.2.1 as Okta answers; texts from Okta's error catalog (invalid_state, no_matching_scope,
    pkce_unsupported_code_challenge_method, pkce_missing_challenge, login_required)."""
    _, api = org
    app = make_app(api, method="none", app_type="browser", grant_types=["authorization_code"])
    answer = redirected(httpx.get(authorize_url(api, app, **params)))
    assert (answer["error"], answer["error_description"]) == (error, description)


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({"client_id": "0oaNope"}, "Invalid value for 'client_id' parameter."),
        ({"redirect_uri": "https://evil.example/cb"}, "The 'redirect_uri' parameter must be a Login redirect URI"),
    ],
)
def test_authorize_errors_before_the_redirect_uri_is_trusted_are_shown_not_redirected(org, params, text):
    _, api = org
    app = make_app(api)
    response = httpx.get(authorize_url(api, app, **params))
    assert response.status_code == 400 and "location" not in response.headers and text in html.unescape(response.text)


def test_the_code_is_good_once_with_its_verifier_and_for_an_assigned_user_only(org):
    """docs /token: invalid_grant for a used code and a wrong PKCE verifier (pkce_verification_failed); "A user
    must be assigned to the client" (docs Subtle behavior; user_not_assigned)."""
    mock, api = org
    app = make_app(api, method="none", app_type="browser", grant_types=["authorization_code"])
    make_user(api)
    verifier = secrets.token_urlsafe(48)
    url = authorize_url(api, app, code_challenge=create_s256_code_challenge(verifier))
    with httpx.Client(base_url=api.base_url, timeout=10) as browser:
        code = redirected(sign_in(browser, url))["code"]
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "client_id": app["id"]}
        token_url = f"{api.base_url}/oauth2/default/v1/token"
        wrong = httpx.post(token_url, data={**form, "code_verifier": secrets.token_urlsafe(48)}).json()
        assert wrong == {"error": "invalid_grant", "error_description": "PKCE verification failed."}
        # The refused exchange used the code up, as a code is good once.
        again = httpx.post(token_url, data={**form, "code_verifier": verifier}).json()
        assert again["error"] == "invalid_grant"
        code = redirected(browser.get(url))["code"]
        assert "access_token" in httpx.post(token_url, data={**form, "code": code, "code_verifier": verifier}).json()
        api.delete(f"/api/v1/apps/{app['id']}/groups/{mock.store.everyone().id}")
        refused = redirected(browser.get(url))
    assert (refused["error"], refused["error_description"]) == (
        "access_denied",
        "User is not assigned to the client application.",
    )


def test_client_credentials_for_a_service_app(org):
    """docs oidc /token (client_credentials), "Custom scopes"; the catalog's openid_not_allowed_client_creds and
    no_matching_policy; the access token's `sub` is the client id without a user (the `sub` claim's expression)."""
    _, api = org
    api.post("/api/v1/authorizationServers/default/scopes", json={"name": "patients:read"})
    app = make_app(api, method="client_secret_post", app_type="service", grant_types=["client_credentials"])
    client = app["credentials"]["oauthClient"]
    form = {
        "grant_type": "client_credentials",
        "client_id": client["client_id"],
        "client_secret": client["client_secret"],
    }
    token_url = f"{api.base_url}/oauth2/default/v1/token"
    answer = httpx.post(token_url, data={**form, "scope": "patients:read"}).json()
    access = jwt.decode(answer["access_token"], options={"verify_signature": False})
    assert access["sub"] == client["client_id"] and access["scp"] == ["patients:read"] and "uid" not in access
    assert "id_token" not in answer
    assert httpx.post(token_url, data={**form, "scope": "openid"}).json()["error"] == "invalid_scope"
    bad = httpx.post(token_url, data={**form, "client_secret": "x" * 40, "scope": "patients:read"})
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
    [policy] = api.get("/api/v1/authorizationServers/default/policies").json()
    api.post(f"/api/v1/authorizationServers/default/policies/{policy['id']}/lifecycle/deactivate")
    denied = httpx.post(token_url, data={**form, "scope": "patients:read"})
    assert denied.json() == {
        "error": "access_denied",
        "error_description": "Policy evaluation failed for this request, please check the policy configurations.",
    }


def test_each_token_is_minted_from_the_claims_and_rule_as_they_are_now(org):
    """docs authorization-servers "Update a Claim" (PUT .../claims/{claimId} changes it), "Delete a Claim", and the
    rule's `actions.token.accessTokenLifetimeMinutes`; docs oidc "Access token payload" (the server's custom
    claims): a token minted after a change carries the change, however many tokens came before it (the store keeps
    parsed claims and rules between requests)."""
    _, api = org
    href = "/api/v1/authorizationServers/default"
    api.post(f"{href}/scopes", json={"name": "patients:read"})
    tier = {"name": "tier", "claimType": "RESOURCE", "valueType": "EXPRESSION", "value": '"gold"', "conditions": {}}
    claim = api.post(f"{href}/claims", json=tier).json()
    app = make_app(api, method="client_secret_post", app_type="service", grant_types=["client_credentials"])
    client = app["credentials"]["oauthClient"]
    form = {"grant_type": "client_credentials", "scope": "patients:read"}
    form |= {"client_id": client["client_id"], "client_secret": client["client_secret"]}

    def access() -> dict[str, Any]:
        answer = httpx.post(f"{api.base_url}/oauth2/default/v1/token", data=form)
        assert answer.status_code == 200, answer.text
        return jwt.decode(answer.json()["access_token"], options={"verify_signature": False})

    assert [access()["tier"] for _ in range(3)] == ["gold"] * 3
    replaced = api.put(f"{href}/claims/{claim['id']}", json={**tier, "value": '"platinum"'})
    assert replaced.status_code == 200, replaced.text
    assert access()["tier"] == "platinum"
    [policy] = api.get(f"{href}/policies").json()
    [rule] = api.get(f"{href}/policies/{policy['id']}/rules").json()
    rule["actions"]["token"]["accessTokenLifetimeMinutes"] = 5
    assert api.put(f"{href}/policies/{policy['id']}/rules/{rule['id']}", json=rule).status_code == 200
    shorter = access()
    assert shorter["exp"] - shorter["iat"] == 300 and shorter["tier"] == "platinum"
    assert api.delete(f"{href}/claims/{claim['id']}").status_code == 204
    assert "tier" not in access()


def test_logout_ends_the_session_and_goes_to_the_registered_uri_with_state(org):
    """docs oidc /logout: id_token_hint, post_logout_redirect_uri (registered), state; the Okta session ends."""
    _, api = org
    _, tokens, info, _ = code_flow(org)
    issuer = f"{api.base_url}/oauth2/default"
    with httpx.Client(base_url=api.base_url, cookies=info["cookies"], timeout=10) as browser:
        assert browser.get(info["again"]).status_code == 302, "signed in: /authorize redirects at once"
        elsewhere = {"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": "https://evil.example/"}
        assert browser.get(f"{issuer}/v1/logout", params=elsewhere).status_code == 400
        params = {"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": LOGOUT, "state": "s1"}
        assert browser.get(f"{issuer}/v1/logout", params=params).headers["location"] == f"{LOGOUT}?state=s1"
        assert browser.get(info["again"]).status_code == 200, "signed out: the sign-in page again"
