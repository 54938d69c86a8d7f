"""`/v1/authorize` of a custom authorization server: the authorization code flow with PKCE (S256), `state`,
`nonce`, `prompt` (none, login) and the response modes query, fragment and form_post.

Errors follow RFC 6749 §4.1.2.1 as Okta does: while the client or its redirect URI is not trusted (unknown or
inactive client, a redirect URI that is not one of the app's "Login redirect URIs") the error is shown to the user,
never sent to the URI; after that, errors go back to the redirect URI with `error`, `error_description` and `state`.
Texts are Okta's (`oidc/errors`); parameters per okta-developer-docs `docs/reference/api/oidc` (/authorize).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from ...hook.ids import event_time
from ..models import LogTarget, User, UserStatus
from ..oauth import OAuthError
from ..oauth_models import AuthorizationServer, LifecycleStatus, OidcApp
from ..store import Store
from ..system_log import log_event, user_target
from . import errors as E
from .minting import SessionInfo
from .policy import decide, requested_scopes

CODE_SECONDS = 300  # "The code has a lifetime of 300 seconds" (docs /authorize)
RESPONSE_MODES = ("query", "fragment", "form_post")
PROMPTS = ("none", "login", "consent")
# RFC 7636 §4.2: the challenge (S256 of the verifier) is 43 characters of base64url; 43 to 128 unreserved characters.
CHALLENGE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
# docs /authorize: `state` "can contain alphanumeric, comma, period, underscore, and hyphen characters".
STATE = re.compile(r"^[A-Za-z0-9,._\-]{1,2048}$")
MAX_PARAMETER = 2048


@dataclass(frozen=True)
class Shown:
    """An error shown to the user (the redirect URI is not trusted yet)."""

    status: int
    error: str
    description: str


@dataclass(frozen=True)
class Redirect:
    """The answer sent back to the client: `params` at `redirect_uri`, as `mode` says."""

    redirect_uri: str
    params: dict[str, str]
    mode: str = "query"


@dataclass(frozen=True)
class NeedsSignIn:
    """No session (or `prompt=login`): the sign-in page, remembering this request."""

    request: dict[str, Any] = field(default_factory=dict)


Outcome = Shown | Redirect | NeedsSignIn


class Authorization:
    def __init__(self, store: Store) -> None:
        self.store = store

    def start(
        self, server: AuthorizationServer | None, params: dict[str, str], user: User | None, session: SessionInfo | None
    ) -> Outcome:
        """Validate an authorize request and answer it: an error, the sign-in page, or a code."""
        if server is None or server.status != LifecycleStatus.ACTIVE:
            return Shown(404, "not_found", "The authorization server does not exist or is not active.")
        client_id = params.get("client_id", "")
        app = self.store.app_by_client_id(client_id) if client_id and len(client_id) <= 100 else None
        if app is None or not app.active:
            return _shown(E.INVALID_CLIENT_ID)
        redirect_uri = params.get("redirect_uri")
        if not redirect_uri:
            return _shown(E.MISSING_REDIRECT_URI)
        if redirect_uri not in app.redirect_uris:
            return _shown(E.ILLEGAL_REDIRECT_URI)
        state = params.get("state", "")
        mode = params.get("response_mode") or "query"
        if mode not in RESPONSE_MODES:
            if mode == "okta_post_message":
                return Shown(501, "not_emulated", "mock-okta does not emulate response_mode okta_post_message.")
            return _error(redirect_uri, "query", state, E.oauth_error(E.UNSUPPORTED_RESPONSE_MODE))
        try:
            request = self._checked(server, app, params, redirect_uri, mode, state)
        except OAuthError as exc:
            return _error(redirect_uri, mode, state, exc)
        prompts = set(params.get("prompt", "").split())
        if user is None or "login" in prompts:
            if "none" in prompts:
                return _error(redirect_uri, mode, state, E.oauth_error(E.LOGIN_REQUIRED))
            return NeedsSignIn(request)
        return self.finish(request, user, session)

    def _checked(
        self,
        server: AuthorizationServer,
        app: OidcApp,
        params: dict[str, str],
        redirect_uri: str,
        mode: str,
        state: str,
    ) -> dict[str, Any]:
        if any(len(value) > MAX_PARAMETER for value in params.values()):
            raise OAuthError("invalid_request", f"A parameter is longer than {MAX_PARAMETER} characters.", 400)
        response_type = params.get("response_type", "")
        types = set(response_type.split())
        if not types:
            raise E.missing_parameter("response_type")
        if not types <= set(app.response_types):
            raise E.unsupported_response_type(app.response_types)
        if types != {"code"}:
            # The implicit and hybrid flows: tokens in the redirect. The mock emulates the code flow only.
            raise OAuthError("unsupported_response_type", "mock-okta emulates response_type code only.", 400)
        if not STATE.match(state):
            raise E.oauth_error(E.INVALID_STATE)
        if "authorization_code" not in app.grant_types:
            raise E.unauthorized_client(app.grant_types)
        prompts = params.get("prompt", "").split()
        if any(p not in PROMPTS for p in prompts) or ("none" in prompts and len(prompts) > 1):
            raise OAuthError(
                "invalid_request", "Invalid value for 'prompt' parameter. Supported values: [none, consent, login]", 400
            )
        scopes = requested_scopes(self.store, server, params.get("scope"), "authorization_code")
        challenge, method = params.get("code_challenge"), params.get("code_challenge_method")
        if challenge is None and method is None:
            if app.pkce_required:
                raise E.oauth_error(E.PKCE_MISSING_CHALLENGE)
        elif method != "S256":
            raise E.oauth_error(E.PKCE_METHOD)
        elif challenge is None or not CHALLENGE.match(challenge):
            raise E.oauth_error(E.PKCE_INVALID_CHALLENGE)
        return {
            "server_id": server.id,
            "client_id": app.client_id,
            "redirect_uri": redirect_uri,
            "response_type": response_type,
            "response_mode": mode,
            "scopes": [s.name for s in scopes],
            "state": state,
            "nonce": params.get("nonce"),
            "code_challenge": challenge,
        }

    def finish(self, request: dict[str, Any], user: User, session: SessionInfo | None) -> Outcome:
        """A signed-in user: the app must be assigned to them and a rule must allow the code; then the code."""
        redirect_uri, mode, state = request["redirect_uri"], request["response_mode"], request["state"]
        server = self.store.authorization_server(request["server_id"])
        app = self.store.app_by_client_id(request["client_id"])
        if server is None or server.status != LifecycleStatus.ACTIVE or app is None or not app.active:
            return _shown(E.INVALID_CLIENT_ID)
        try:
            if user.status != UserStatus.ACTIVE or not self.store.is_assigned(app.id, user.id):
                raise E.oauth_error(E.USER_NOT_ASSIGNED)
            scopes = requested_scopes(self.store, server, " ".join(request["scopes"]), "authorization_code")
            decision = decide(self.store, server, app, user.id, "authorization_code", scopes)
        except OAuthError as exc:
            return _error(redirect_uri, mode, state, exc)
        code = secrets.token_urlsafe(32)
        grant = {
            **request,
            "user_id": user.id,
            "policy_id": decision.policy.id,
            "rule_id": decision.rule.id,
            "auth_time": int(session.created) if session else None,
            "session": [session.id, session.created, session.expires] if session else None,
            "issued": event_time(),
        }
        with self.store.transaction():
            self.store.save_grant("code", code, grant, CODE_SECONDS)
            event = log_event(
                "app.oauth2.as.authorize.code",
                "OAuth2 authorization code request",
                targets=(LogTarget(app.id, "AppInstance", "oidc_client", app.label),),
                actor=user_target(user),
                debug_data={
                    "grantedScopes": " ".join(decision.scope_names),
                    "requestedScopes": " ".join(request["scopes"]),
                },
            )
            self.store.log_event(event)
        return Redirect(redirect_uri, {"code": code, "state": state}, mode)


def _shown(entry: E.Entry) -> Shown:
    error, description, status = entry
    return Shown(400 if status == 401 else status, error, description)


def _error(redirect_uri: str, mode: str, state: str, exc: OAuthError) -> Redirect:
    params = {"error": exc.error, "error_description": exc.description}
    if state:
        params["state"] = state
    return Redirect(redirect_uri, params, mode)
