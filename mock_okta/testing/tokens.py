"""The engine of the `okta_tokens` fixture: decoded, signature-checked tokens from a mock org's `default`
authorization server, minted with the hook under test attached as its token inline hook.

`TokenIssuer(org_url, api_token, hook_url, auth_header)` (a mock org: the pytest fixtures' or `mock-okta serve`)
attaches the hook to the `default` server's Default Policy Rule (`actions.token.inlineHook.id`, through the
Management API), then each call gets tokens through the org's real doors, without a browser: an OpenID Connect app
(created on first use), a user (created with a password on first use), the authorization code flow with PKCE S256,
`state` and `nonce` over the hosted page's IDX calls (identify, password), the code exchanged at `/v1/token`; or
the client credentials grant; or a refresh. Every JWT is checked with PyJWT against the keys of the server's
`jwks_uri` (RS256), its issuer and audience (`api://default` for the access token, the client id for the ID token),
and the ID token's `nonce` and `at_hash` (OpenID Connect Core §3.1.3.6-7).

No false green (the hook's calls are read from the mock's journal, `/_mock/journal`): a call whose minting did not
call the hook, or whose hook call failed (timeout, refused, a non-200, an answer Okta could not read or a patch it
dropped: all leave the tokens as minted, token hook reference "Troubleshoot") raises `TokenHookFailed` with the
journal's exchange, unless `allow_hook_failure=True` asks for those tokens; a hook's error object (or any refusal
of the flow) raises `OktaTokenError` with Okta's `error` and `error_description`.

Sources: okta-developer-docs `docs/reference/api/oidc/index.md` (last full version: /authorize, /token, the
tokens' claims), `docs/reference/token-hook/index.md` (the error object, "Troubleshoot"), `docs/guides/
implement-grant-type/main/clientcreds/use-flow.md` (the client credentials request, scope `customScope`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import httpx
import jwt

Grant = Literal["authorization_code", "client_credentials", "refresh_token"]
GRANTS = ("authorization_code", "client_credentials", "refresh_token")
SERVER = "default"
# A user's sign-in asks for the ID token's scopes (docs oidc "Scopes"); a service asks for a custom scope, as Okta's
# client credentials guide does (`customScope`): OpenID Connect scopes are refused for that grant.
SIGN_IN_SCOPES = ("openid", "profile", "email")
SERVICE_SCOPES = ("customScope",)
APP_LABEL = "okta_tokens"
HOOK_NAME = "okta_tokens hook under test"
TOKEN_HOOK_TYPE = "com.okta.oauth2.tokens.transform"
# The app's login redirect URI. The flow reads the redirect's Location and never follows it: nothing listens here.
REDIRECT_URI = "http://127.0.0.1/okta_tokens/callback"
# One minting calls the hook once (twice for a refresh: the code exchange, then the refresh).
JOURNAL_LIMIT = 20
STATE_TOKEN = re.compile(r'"stateToken": ?"([^"]+)"')


class OktaTokenError(AssertionError):
    """The org refused to issue tokens: Okta's OAuth `error` and `error_description` (a token hook's error object is
    `server_error` with its errorSummary), and the hook call of that minting when there was one."""

    def __init__(self, error: str, description: str, hook_call: dict[str, Any] | None = None) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.hook_call = hook_call


class TokenHookFailed(AssertionError):
    """The tokens were minted, but not through the hook: it was not called, or its call failed (Okta then issues the
    tokens as minted, which a test of the hook must not take for the hook's answer)."""


@dataclass(frozen=True)
class OktaTokens:
    """What the requester got: the decoded claims of the checked tokens (`id_token` None when none was issued, as
    for client credentials), the token endpoint's answer (`response`, the JWTs as issued) and the journal's record of
    the hook call that minted them (`hook_call`: request, response, outcome; None if the hook was not called)."""

    access_token: dict[str, Any]
    id_token: dict[str, Any] | None
    response: dict[str, Any]
    hook_call: dict[str, Any] | None

    @property
    def expires_in(self) -> int:
        return int(self.response["expires_in"])


@dataclass
class _App:
    client_id: str
    client_secret: str = field(repr=False)  # never shown, also not in a failed test's locals


class TokenIssuer:
    """Callable: `issuer(user="kim@example.com", scopes=[...], grant="authorization_code")` → `OktaTokens`."""

    def __init__(self, base_url: str, api_token: str, hook_url: str, auth_header: str | None) -> None:
        self.base_url = base_url.rstrip("/")
        self.issuer = f"{self.base_url}/oauth2/{SERVER}"
        self.api = httpx.Client(
            base_url=self.base_url, headers={"Authorization": f"SSWS {api_token}"}, timeout=30, follow_redirects=False
        )
        self._apps: dict[str, _App] = {}
        self._passwords: dict[str, str] = {}
        self.hook_id = self._attach(hook_url, auth_header)

    def close(self) -> None:
        self.api.close()

    def __call__(
        self,
        user: str | Mapping[str, Any] | None = None,
        scopes: Sequence[str] | None = None,
        grant: Grant = "authorization_code",
        *,
        app: str = APP_LABEL,
        password: str | None = None,
        allow_hook_failure: bool = False,
    ) -> OktaTokens:
        """Tokens for `user` (a login, or profile attributes with `login` or `email`; created with a password if
        the org has no such user; `password` for one you created) and the app labelled `app` (created if needed),
        as `grant` mints them with `scopes` (default: openid profile email, or for client credentials the custom
        scope `customScope`, created if the server lacks it)."""
        if grant not in GRANTS:
            raise ValueError(f"grant: one of {', '.join(GRANTS)}, not {grant!r}")
        client = self._app(app)
        before = self._last_call_id()
        if grant == "client_credentials":
            if user is not None:
                raise ValueError("the client credentials grant mints tokens for the app alone: give no user")
            wanted = list(scopes or SERVICE_SCOPES)
            self._ensure_scopes(wanted)
            answer = self._token(client, {"grant_type": "client_credentials", "scope": " ".join(wanted)}, before)
            return self._checked(answer, client, None, before, allow_hook_failure)
        login = self._user(user or {"login": f"okta-tokens-{secrets.token_hex(4)}@example.com"}, password)
        wanted = list(scopes or SIGN_IN_SCOPES)
        if grant == "refresh_token" and "offline_access" not in wanted:
            wanted.append("offline_access")  # docs oidc: a refresh token is issued for offline_access only
        nonce = secrets.token_urlsafe(16)
        answer = self._code_flow(client, login, wanted, nonce, before)
        if grant == "refresh_token":
            if "refresh_token" not in answer:
                raise OktaTokenError("invalid_grant", "the code exchange issued no refresh token")
            since = self._last_call_id()
            self._require_hook_call(before, since, allow_hook_failure)  # the code exchange's own call
            refresh = {
                "grant_type": "refresh_token",
                "refresh_token": answer["refresh_token"],
                "scope": " ".join(wanted),
            }
            # A refreshed ID token carries no nonce (OpenID Connect Core §12.2): none is checked.
            return self._checked(self._token(client, refresh, since), client, None, since, allow_hook_failure)
        return self._checked(answer, client, nonce, before, allow_hook_failure)

    # --- the org's objects, through the Management API -----------------------------------------------------------

    def _api(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.api.request(method, path, **kwargs)
        if response.status_code >= 300:
            raise AssertionError(f"okta_tokens: {method} {path} answered {response.status_code}: {response.text[:500]}")
        return response.json() if response.content else None

    def _attach(self, hook_url: str, auth_header: str | None) -> str:
        """A token inline hook calling `hook_url` (with `auth_header` as its HEADER authScheme) on the `default`
        server's rules (docs authorization-servers: a rule's `actions.token.inlineHook.id`)."""
        config: dict[str, Any] = {"uri": hook_url, "method": "POST"}
        if auth_header:
            key, _, value = auth_header.partition(":")
            config["authScheme"] = {"type": "HEADER", "key": key.strip(), "value": value.strip()}
        body = {
            "name": HOOK_NAME,
            "type": TOKEN_HOOK_TYPE,
            "version": "1.0.0",
            "channel": {"type": "HTTP", "version": "1.0.0", "config": config},
        }
        hook_id = str(self._api("POST", "/api/v1/inlineHooks", json=body)["id"])
        policies = f"/api/v1/authorizationServers/{SERVER}/policies"
        for policy in self._api("GET", policies):
            rules = f"{policies}/{policy['id']}/rules"
            for rule in self._api("GET", rules):
                rule.setdefault("actions", {}).setdefault("token", {})["inlineHook"] = {"id": hook_id}
                self._api("PUT", f"{rules}/{rule['id']}", json=rule)
        return hook_id

    def _app(self, label: str) -> _App:
        found = self._apps.get(label)
        if found is not None:
            return found
        body = {
            "name": "oidc_client",
            "label": label,
            "signOnMode": "OPENID_CONNECT",
            "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_basic"}},
            "settings": {
                "oauthClient": {
                    "application_type": "web",
                    "grant_types": ["authorization_code", "refresh_token", "client_credentials"],
                    "response_types": ["code"],
                    "redirect_uris": [REDIRECT_URI],
                }
            },
        }
        created = self._api("POST", "/api/v1/apps", json=body)
        everyone = next(g for g in self._api("GET", "/api/v1/groups") if g["profile"]["name"] == "Everyone")
        self._api("PUT", f"/api/v1/apps/{created['id']}/groups/{everyone['id']}")
        oauth = created["credentials"]["oauthClient"]
        self._apps[label] = _App(oauth["client_id"], oauth["client_secret"])
        return self._apps[label]

    def _user(self, user: str | Mapping[str, Any], password: str | None) -> str:
        profile = {"login": user} if isinstance(user, str) else dict(user)
        login = str(profile.get("login") or profile.get("email") or "")
        if not login:
            raise ValueError("user: a login, or profile attributes with `login` or `email`")
        if login in self._passwords:
            return login
        found = self.api.get(f"/api/v1/users/{quote(login, safe='@')}")
        if found.status_code not in (200, 404):
            raise AssertionError(f"okta_tokens: reading user {login!r} answered {found.status_code}")
        if found.status_code == 200:
            if password is None:
                raise ValueError(f"user {login!r} exists and okta_tokens did not create it: pass its password=")
            self._passwords[login] = password
            return login
        local = login.partition("@")[0]
        profile = {"firstName": local[:50] or "Okta", "lastName": "Tokens", "email": login, **profile, "login": login}
        chosen = password or f"Tk-{secrets.token_urlsafe(12)}-9a"
        body = {"profile": profile, "credentials": {"password": {"value": chosen}}}
        self._api("POST", "/api/v1/users", params={"activate": "true"}, json=body)
        self._passwords[login] = chosen
        return login

    def _ensure_scopes(self, names: Sequence[str]) -> None:
        path = f"/api/v1/authorizationServers/{SERVER}/scopes"
        known = {scope["name"] for scope in self._api("GET", path)}
        for name in names:
            if name not in known:
                self._api("POST", path, json={"name": name, "description": "okta_tokens"})

    # --- the flows ----------------------------------------------------------------------------------------------

    def _code_flow(self, client: _App, login: str, scopes: Sequence[str], nonce: str, before: int) -> dict[str, Any]:
        verifier = secrets.token_urlsafe(48)
        state = secrets.token_urlsafe(16)
        params = {
            "client_id": client.client_id,
            "response_type": "code",
            "scope": " ".join(scopes),
            "redirect_uri": REDIRECT_URI,
            "state": state,
            "nonce": nonce,
            "code_challenge": _s256(verifier),
            "code_challenge_method": "S256",
        }
        with httpx.Client(base_url=self.base_url, timeout=30, follow_redirects=False) as browser:
            page = browser.get(f"/oauth2/{SERVER}/v1/authorize?{urlencode(params)}")
            if page.status_code == 302:  # an error after the redirect URI is trusted
                found = _redirect_params(page)
                raise OktaTokenError(found.get("error", "?"), found.get("error_description", ""))
            match = STATE_TOKEN.search(page.text)
            if page.status_code != 200 or match is None:
                raise OktaTokenError("authorize", f"/v1/authorize answered {page.status_code}: {page.text[:300]}")
            href = self._sign_in(browser, match.group(1), login)
            back = _redirect_params(browser.get(href))
        if "error" in back:
            raise OktaTokenError(back["error"], back.get("error_description", ""))
        if not hmac.compare_digest(back.get("state", ""), state):
            raise AssertionError("okta_tokens: the redirect came back with another state")
        exchange = {
            "grant_type": "authorization_code",
            "code": back.get("code", ""),
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        }
        return self._token(client, exchange, before)

    def _sign_in(self, browser: httpx.Client, handle: str, login: str) -> str:
        """The hosted page's IDX calls a widget makes for a password sign-in; the success redirect's address."""
        steps: list[tuple[str, dict[str, Any]]] = [
            ("/idp/idx/introspect", {"stateToken": handle}),
            ("/idp/idx/identify", {"stateHandle": handle, "identifier": login}),
            ("/idp/idx/challenge/answer", {"stateHandle": handle, "credentials": {"passcode": self._passwords[login]}}),
        ]
        answer: dict[str, Any] = {}
        for path, body in steps:
            response = browser.post(path, json=body)
            answer = response.json() if response.content else {}
            if response.status_code != 200:
                texts = [m.get("message") for m in (answer.get("messages") or {}).get("value", [])]
                raise OktaTokenError(
                    "sign_in", f"{path} answered {response.status_code}: {texts or response.text[:300]}"
                )
        success = answer.get("success") or {}
        if "href" not in success:
            raise OktaTokenError("sign_in", "the org asked for more than the password (okta_tokens signs in with it)")
        return str(success["href"])

    def _token(self, client: _App, form: dict[str, str], before: int) -> dict[str, Any]:
        response = httpx.post(
            f"{self.issuer}/v1/token", data=form, auth=(client.client_id, client.client_secret), timeout=30
        )
        body = response.json()
        if response.status_code != 200:
            calls = self._calls_since(before)
            raise OktaTokenError(
                str(body.get("error")), str(body.get("error_description")), calls[-1] if calls else None
            )
        return dict(body)

    # --- the hook's journal and the checks --------------------------------------------------------------------

    def _journal(self, limit: int) -> list[dict[str, Any]]:
        """The hook's calls, newest first, from the mock's journal (`/_mock/journal`: request, answer, outcome)."""
        found: list[dict[str, Any]] = self._api(
            "GET", "/_mock/journal", params={"inlineHookId": self.hook_id, "limit": limit}
        )
        return found

    def _last_call_id(self) -> int:
        calls = self._journal(1)
        return int(calls[0]["id"]) if calls else 0

    def _calls_since(self, after: int) -> list[dict[str, Any]]:
        return [call for call in reversed(self._journal(JOURNAL_LIMIT)) if call["id"] > after]

    def _require_hook_call(self, before: int, upto: int | None, allow_failure: bool) -> dict[str, Any] | None:
        calls = [c for c in self._journal(JOURNAL_LIMIT) if before < c["id"] <= (upto or c["id"])]
        if not calls:
            if allow_failure:
                return None
            raise TokenHookFailed(
                "the token inline hook was not called while these tokens were minted (is it ACTIVE, and does the "
                "rule that matched name it?)"
            )
        call = calls[0]  # newest first
        dropped, failure = call.get("patchDropped"), call.get("failure")
        if (failure or dropped) and not allow_failure:
            why = f"Okta dropped its patch: {dropped}" if dropped else f"the call failed ({failure})"
            raise TokenHookFailed(
                f"the token inline hook was called, but {why}: Okta issued the tokens as minted.\n"
                + json.dumps(call, indent=2)
            )
        return call

    def _checked(
        self, answer: dict[str, Any], client: _App, nonce: str | None, before: int, allow_failure: bool
    ) -> OktaTokens:
        hook_call = self._require_hook_call(before, None, allow_failure)
        jwks = jwt.PyJWKSet.from_dict(httpx.get(self._discovery()["jwks_uri"], timeout=30).json())
        access_token = str(answer["access_token"])
        access = verified_claims(access_token, jwks, self.issuer, "api://default")
        identity = None
        if "id_token" in answer:
            identity = verified_claims(str(answer["id_token"]), jwks, self.issuer, client.client_id)
            check_id_token(identity, nonce, access_token)
        return OktaTokens(access, identity, answer, hook_call)

    def _discovery(self) -> dict[str, Any]:
        found: dict[str, Any] = httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=30).json()
        if found.get("issuer") != self.issuer:
            raise AssertionError(f"okta_tokens: the discovery document names issuer {found.get('issuer')!r}")
        return found


def verified_claims(token: str, jwks: jwt.PyJWKSet, issuer: str, audience: str) -> dict[str, Any]:
    """The claims of an RS256 JWT signed by the key of `jwks` its `kid` names, for this issuer and audience, not
    expired (PyJWT). Anything else raises `jwt.InvalidTokenError`."""
    kid = jwt.get_unverified_header(token).get("kid")
    key = next((k for k in jwks.keys if k.key_id == kid), None)
    if key is None:
        raise jwt.InvalidTokenError(f"no key {kid!r} in the server's JWKS")
    claims: dict[str, Any] = jwt.decode(
        token,
        key.key,
        algorithms=["RS256"],
        audience=audience,
        issuer=issuer,
        options={"require": ["exp", "iat", "iss", "aud", "sub"]},
    )
    return claims


def check_id_token(claims: Mapping[str, Any], nonce: str | None, access_token: str) -> None:
    """OpenID Connect Core §3.1.3.7 (the nonce sent is the nonce returned) and §3.1.3.6 (`at_hash`: the left half
    of the SHA-256 of the access token, base64url)."""
    if nonce is not None and not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise jwt.InvalidTokenError("the ID token's nonce is not the one the authorize request sent")
    if "at_hash" in claims:
        digest = hashlib.sha256(access_token.encode()).digest()
        expected = base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()
        if not hmac.compare_digest(str(claims["at_hash"]), expected):
            raise jwt.InvalidTokenError("the ID token's at_hash does not match the access token")


def _s256(verifier: str) -> str:
    """RFC 7636 §4.2: BASE64URL(SHA256(code_verifier)), unpadded."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _redirect_params(response: httpx.Response) -> dict[str, str]:
    if response.status_code != 302:
        raise OktaTokenError("sign_in", f"expected a redirect to the app, got {response.status_code}")
    location = response.headers.get("location", "")
    if not location.startswith(REDIRECT_URI):
        raise OktaTokenError("sign_in", "the redirect does not go to the app's redirect URI")
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
