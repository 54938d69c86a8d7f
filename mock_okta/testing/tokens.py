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

On a real org (`--okta-target org`) the same calls go through `org_tokens.OrgTokenIssuer`: the rule `mock-okta org
attach --type token` chose, a run app and users, the browser on the org's own sign-in page, and the System Log as
the proof of the hook's call. `TokenIssuer(..., sign_in=browser_sign_in(page))` drives the mock's page the same way.

Sources: okta-developer-docs `docs/reference/api/oidc/index.md` (last full version: /authorize, /token, the
tokens' claims), `docs/reference/token-hook/index.md` (the error object, "Troubleshoot"), `docs/guides/
implement-grant-type/main/clientcreds/use-flow.md` (the client credentials request, scope `customScope`).
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import httpx
import jwt

from .token_parts import (
    TOKEN_HOOK_TYPE,
    check_id_token,
    new_password,
    s256,
    token_hook_body,
    user_profile,
    verified_claims,
    web_app_body,
)

__all__ = [
    "TOKEN_HOOK_TYPE",
    "OktaTokenError",
    "OktaTokens",
    "TokenHookFailed",
    "TokenIssuer",
    "check_id_token",
    "verified_claims",
]

Grant = Literal["authorization_code", "client_credentials", "refresh_token"]
GRANTS = ("authorization_code", "client_credentials", "refresh_token")
SERVER = "default"
# A user's sign-in asks for the ID token's scopes (docs oidc "Scopes"); a service asks for a custom scope, as Okta's
# client credentials guide does (`customScope`): OpenID Connect scopes are refused for that grant.
SIGN_IN_SCOPES = ("openid", "profile", "email")
SERVICE_SCOPES = ("customScope",)
APP_LABEL = "okta_tokens"
HOOK_NAME = "okta_tokens hook under test"
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
    app_id: str = ""


# Signs a user in on the org's page for an /authorize address: `(authorize_url, login, password)` → the address the
# org's redirect to the app's redirect URI carries (`code` and `state`, or Okta's `error`).
SignIn = Callable[[str, str, str], str]


class Issuer:
    """What both targets share: the call (`issuer(user=..., scopes=[...], grant=...)` → `OktaTokens`), the
    authorization code flow with PKCE, the token endpoint and the checks of the tokens. Where the app, the user and
    the proof of the hook's call come from is the target's (`TokenIssuer` on a mock org, `OrgTokenIssuer` on an
    org)."""

    base_url: str
    server: str = SERVER
    audience: str = "api://default"
    redirect_uri: str = REDIRECT_URI

    def __init__(self, base_url: str, sign_in: SignIn | None) -> None:
        self.base_url = base_url.rstrip("/")
        self._sign_in_with = sign_in
        self._passwords: dict[str, str] = {}

    @property
    def issuer(self) -> str:
        return f"{self.base_url}/oauth2/{self.server}"

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
        before = self._mark(client)
        if grant == "client_credentials":
            if user is not None:
                raise ValueError("the client credentials grant mints tokens for the app alone: give no user")
            wanted = list(scopes or SERVICE_SCOPES)
            self._ensure_scopes(wanted)
            answer = self._token(client, {"grant_type": "client_credentials", "scope": " ".join(wanted)}, before)
            return self._checked(answer, client, None, before, allow_hook_failure)
        login = self._user(user or {"login": self._new_login()}, password)
        wanted = list(scopes or SIGN_IN_SCOPES)
        if grant == "refresh_token" and "offline_access" not in wanted:
            wanted.append("offline_access")  # docs oidc: a refresh token is issued for offline_access only
        nonce = secrets.token_urlsafe(16)
        answer = self._code_flow(client, login, wanted, nonce, before)
        if grant == "refresh_token":
            if "refresh_token" not in answer:
                raise OktaTokenError("invalid_grant", "the code exchange issued no refresh token")
            self._require_hook_call(client, before, allow_hook_failure)  # the code exchange's own call
            since = self._mark(client)
            refresh = {
                "grant_type": "refresh_token",
                "refresh_token": answer["refresh_token"],
                "scope": " ".join(wanted),
            }
            # A refreshed ID token carries no nonce (OpenID Connect Core §12.2): none is checked.
            return self._checked(self._token(client, refresh, since), client, None, since, allow_hook_failure)
        return self._checked(answer, client, nonce, before, allow_hook_failure)

    # --- what each target does its own way ----------------------------------------------------------------------

    def _app(self, label: str) -> _App:
        raise NotImplementedError

    def _user(self, user: str | Mapping[str, Any], password: str | None) -> str:
        raise NotImplementedError

    def _new_login(self) -> str:
        return f"okta-tokens-{secrets.token_hex(4)}@example.com"

    def _ensure_scopes(self, names: Sequence[str]) -> None:
        raise NotImplementedError

    def _mark(self, client: _App) -> Any:
        """Where the proof of the hook's calls stands before a minting (compared by `_calls_since`)."""
        raise NotImplementedError

    def _calls_since(self, client: _App, mark: Any) -> list[dict[str, Any]]:
        """The hook's calls after `mark`, oldest first (for an error's report: no waiting)."""
        raise NotImplementedError

    def _require_hook_call(self, client: _App, before: Any, allow_failure: bool) -> dict[str, Any] | None:
        """The hook's call of the (last) minting after `before`; `TokenHookFailed` when it was not called or the
        call failed, unless `allow_failure`."""
        raise NotImplementedError

    # --- the flows ----------------------------------------------------------------------------------------------

    def _code_flow(self, client: _App, login: str, scopes: Sequence[str], nonce: str, before: Any) -> dict[str, Any]:
        verifier = secrets.token_urlsafe(48)
        state = secrets.token_urlsafe(16)
        params = {
            "client_id": client.client_id,
            "response_type": "code",
            "scope": " ".join(scopes),
            "redirect_uri": self.redirect_uri,
            "state": state,
            "nonce": nonce,
            "code_challenge": s256(verifier),
            "code_challenge_method": "S256",
        }
        authorize = f"{self.issuer}/v1/authorize?{urlencode(params)}"
        sign_in = self._sign_in_with or self._sign_in_over_idx
        back = self._redirect_params(sign_in(authorize, login, self._passwords[login]))
        if "error" in back:
            raise OktaTokenError(back["error"], back.get("error_description", ""))
        if not hmac.compare_digest(back.get("state", ""), state):
            raise AssertionError("okta_tokens: the redirect came back with another state")
        exchange = {
            "grant_type": "authorization_code",
            "code": back.get("code", ""),
            "redirect_uri": self.redirect_uri,
            "code_verifier": verifier,
        }
        return self._token(client, exchange, before)

    def _sign_in_over_idx(self, authorize: str, login: str, password: str) -> str:
        """The hosted page's IDX calls a widget makes for a password sign-in, without a browser: the mock's page
        carries the transaction's `stateToken` in its HTML. A real org's page does not hand it out this way (its
        widget bootstraps from an interaction handle): there, a browser signs in (`browser_sign_in`)."""
        with httpx.Client(base_url=self.base_url, timeout=30, follow_redirects=False) as browser:
            page = browser.get(authorize)
            if page.status_code == 302:  # an error after the redirect URI is trusted
                return str(page.headers.get("location", ""))
            match = STATE_TOKEN.search(page.text)
            if page.status_code != 200 or match is None:
                raise OktaTokenError("authorize", f"/v1/authorize answered {page.status_code}: {page.text[:300]}")
            handle = match.group(1)
            steps: list[tuple[str, dict[str, Any]]] = [
                ("/idp/idx/introspect", {"stateToken": handle}),
                ("/idp/idx/identify", {"stateHandle": handle, "identifier": login}),
                ("/idp/idx/challenge/answer", {"stateHandle": handle, "credentials": {"passcode": password}}),
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
                raise OktaTokenError("sign_in", MORE_THAN_A_PASSWORD)
            redirect = browser.get(str(success["href"]))
            if redirect.status_code != 302:
                raise OktaTokenError("sign_in", f"expected a redirect to the app, got {redirect.status_code}")
            return str(redirect.headers.get("location", ""))

    def _redirect_params(self, location: str) -> dict[str, str]:
        if not location.startswith(self.redirect_uri):
            raise OktaTokenError("sign_in", "the redirect does not go to the app's redirect URI")
        return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}

    def _token(self, client: _App, form: dict[str, str], before: Any) -> dict[str, Any]:
        response = httpx.post(
            f"{self.issuer}/v1/token", data=form, auth=(client.client_id, client.client_secret), timeout=30
        )
        body = response.json()
        if response.status_code != 200:
            calls = self._calls_since(client, before)
            raise OktaTokenError(
                str(body.get("error")), str(body.get("error_description")), calls[-1] if calls else None
            )
        return dict(body)

    def _checked(
        self, answer: dict[str, Any], client: _App, nonce: str | None, before: Any, allow_failure: bool
    ) -> OktaTokens:
        hook_call = self._require_hook_call(client, before, allow_failure)
        jwks = jwt.PyJWKSet.from_dict(httpx.get(self._discovery()["jwks_uri"], timeout=30).json())
        access_token = str(answer["access_token"])
        access = verified_claims(access_token, jwks, self.issuer, self.audience)
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


class TokenIssuer(Issuer):
    """A mock org: `issuer(user="kim@example.com", scopes=[...], grant="authorization_code")` → `OktaTokens`. The
    hook is attached to the `default` server's rules; the proof of its calls is the mock's journal."""

    def __init__(
        self, base_url: str, api_token: str, hook_url: str, auth_header: str | None, *, sign_in: SignIn | None = None
    ) -> None:
        super().__init__(base_url, sign_in)
        self.api = httpx.Client(
            base_url=self.base_url, headers={"Authorization": f"SSWS {api_token}"}, timeout=30, follow_redirects=False
        )
        self._apps: dict[str, _App] = {}
        self.hook_id = self._attach(hook_url, auth_header)

    def close(self) -> None:
        self.api.close()

    # --- the org's objects, through the Management API -----------------------------------------------------------

    def _api(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.api.request(method, path, **kwargs)
        if response.status_code >= 300:
            raise AssertionError(f"okta_tokens: {method} {path} answered {response.status_code}: {response.text[:500]}")
        return response.json() if response.content else None

    def _attach(self, hook_url: str, auth_header: str | None) -> str:
        """A token inline hook calling `hook_url` (with `auth_header` as its HEADER authScheme) on the `default`
        server's rules (docs authorization-servers: a rule's `actions.token.inlineHook.id`)."""
        hook_id = str(
            self._api("POST", "/api/v1/inlineHooks", json=token_hook_body(HOOK_NAME, hook_url, auth_header))["id"]
        )
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
        created = self._api("POST", "/api/v1/apps", json=web_app_body(label, self.redirect_uri))
        everyone = next(g for g in self._api("GET", "/api/v1/groups") if g["profile"]["name"] == "Everyone")
        self._api("PUT", f"/api/v1/apps/{created['id']}/groups/{everyone['id']}")
        oauth = created["credentials"]["oauthClient"]
        self._apps[label] = _App(oauth["client_id"], oauth["client_secret"], created["id"])
        return self._apps[label]

    def _user(self, user: str | Mapping[str, Any], password: str | None) -> str:
        login, profile = user_profile(user)
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
        chosen = password or new_password()
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

    # --- the hook's journal ---------------------------------------------------------------------------------------

    def _journal(self, limit: int) -> list[dict[str, Any]]:
        """The hook's calls, newest first, from the mock's journal (`/_mock/journal`: request, answer, outcome)."""
        found: list[dict[str, Any]] = self._api(
            "GET", "/_mock/journal", params={"inlineHookId": self.hook_id, "limit": limit}
        )
        return found

    def _mark(self, client: _App) -> int:
        calls = self._journal(1)
        return int(calls[0]["id"]) if calls else 0

    def _calls_since(self, client: _App, mark: Any) -> list[dict[str, Any]]:
        return [call for call in reversed(self._journal(JOURNAL_LIMIT)) if call["id"] > mark]

    def _require_hook_call(self, client: _App, before: Any, allow_failure: bool) -> dict[str, Any] | None:
        calls = [c for c in self._journal(JOURNAL_LIMIT) if c["id"] > before]
        if not calls:
            if allow_failure:
                return None
            raise TokenHookFailed(NOT_CALLED)
        call = calls[0]  # newest first
        dropped, failure = call.get("patchDropped"), call.get("failure")
        if (failure or dropped) and not allow_failure:
            why = f"Okta dropped its patch: {dropped}" if dropped else f"the call failed ({failure})"
            raise TokenHookFailed(
                f"the token inline hook was called, but {why}: Okta issued the tokens as minted.\n"
                + json.dumps(call, indent=2)
            )
        return call


NOT_CALLED = (
    "the token inline hook was not called while these tokens were minted (is it ACTIVE, and does the rule that "
    "matched name it?)"
)
MORE_THAN_A_PASSWORD = "the org asked for more than the password (okta_tokens signs in with it)"
