"""Minting: the claims of the access token and the ID token under the rule that matched, the refresh token, the
token inline hook the rule names, the RS256 signatures, and the System Log's grant events.

Claims as Okta puts them (okta-developer-docs `docs/reference/api/oidc`, last full version): the access token's
reserved claims `ver, jti, iss, aud, iat, exp, cid, uid, scp, auth_time, sub` (`sub` is the user's login, or the
client id without a user: the system claim `sub` = `(appuser != null) ? appuser.userName : app.clientId`, cassette
test_list_oauth2_claims); the ID token's base claims `sub, ver, iss, aud, iat, exp, jti, amr, idp, auth_time`, with
`nonce` when the authorize request had one and `at_hash` when an access token comes with it, and the IDENTITY
claims with `alwaysIncludeInToken` whose scope was granted (a new server's: `name`, `preferred_username`, `email`;
the token hook reference's sample request shows exactly these). Lifetimes: the access token's from the rule
(`accessTokenLifetimeMinutes`), the ID token's 60 minutes ("ID tokens: Not configurable"); custom claims from the
server's claims (`claim_values`)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import jwt

from ..claim_values import evaluate, group_names
from ..errors import HookTypeNotEmulated
from ..models import LogTarget, User
from ..oauth_models import AuthorizationServer, LifecycleStatus, OidcApp
from ..store import Store
from ..system_log import log_event, user_target
from .keys import ServerKeys
from .policy import Decision

ID_TOKEN_SECONDS = 3600
# `idp`: "The Okta org ID or the ID of an Identity Provider" (docs, ID token claims): the mock org's own id.
ORG_IDP_ID = "00o1mokta0org0idp000"
REFRESH_GRANT = "refresh_token"
GRANT_EVENTS = {
    "app.oauth2.as.token.grant.access_token": "OAuth 2.0 access token is granted",
    "app.oauth2.as.token.grant.id_token": "OAuth 2.0 ID token is granted",
    "app.oauth2.as.token.grant.refresh_token": "OAuth2 refresh token is granted",
}


@dataclass(frozen=True)
class SessionInfo:
    """The user's Okta session behind a browser flow (the token hook's `data.context.session`)."""

    id: str
    created: float
    expires: float


@dataclass(frozen=True)
class Minting:
    """What is being minted, and for whom: the input of `Minter.mint`."""

    server: AuthorizationServer
    app: OidcApp
    decision: Decision
    grant_type: str  # authorization_code, client_credentials or refresh_token
    issuer: str
    request_url: str
    client_ip: str
    requested: tuple[str, ...] = ()
    user: User | None = None
    auth_time: int | None = None
    nonce: str | None = None
    session: SessionInfo | None = None
    authorize: dict[str, Any] = field(default_factory=dict)  # the /authorize request behind a code
    original_grant: str | None = None  # a refresh's first grant (authorization_code)
    refresh_token: str | None = None  # the refresh token used (a refresh keeps it: Okta's default, no rotation)


@dataclass
class Draft:
    """The tokens before they are signed: claims without iat/exp, lifetimes in seconds; what a token hook sees and
    patches."""

    access: dict[str, Any]
    access_lifetime: int
    identity: dict[str, Any] | None
    identity_lifetime: int
    refresh_id: str | None


# A token hook step: the draft in, the draft to sign out (or an OAuthError server_error). It is given every minting
# whose rule names a hook, and leaves the draft as it is when that hook is gone or INACTIVE.
HookStep = Callable[[Minting, Draft], Awaitable[Draft]]


def at_hash(access_token: str) -> str:
    """OpenID Connect Core §3.1.3.6: the left half of the SHA-256 of the token, base64url without padding."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")


class Minter:
    def __init__(self, store: Store, keys: ServerKeys) -> None:
        self.store = store
        self.keys = keys

    def draft(self, minting: Minting) -> Draft:
        granted = minting.decision.scope_names
        user = minting.user
        app = minting.app
        access: dict[str, Any] = {
            "ver": 1,
            "jti": "AT." + secrets.token_urlsafe(32),
            "iss": minting.issuer,
            "aud": minting.server.audiences[0],
            "cid": app.client_id,
        }
        if user is not None:
            access["uid"] = user.id
        access["scp"] = list(granted)
        if user is not None and minting.auth_time is not None:
            access["auth_time"] = minting.auth_time
        access["sub"] = user.login if user is not None else app.client_id
        identity: dict[str, Any] | None = None
        if user is not None and "openid" in granted:
            identity = {
                "sub": user.id,
                "ver": 1,
                "iss": minting.issuer,
                "aud": app.client_id,
                "jti": "ID." + secrets.token_urlsafe(32),
                "amr": ["pwd"],
                "idp": ORG_IDP_ID,
            }
            if minting.nonce:
                identity["nonce"] = minting.nonce
            identity["auth_time"] = minting.auth_time or int(time.time())
        self._custom_claims(minting, access, identity)
        refresh_id = None
        if user is not None and "offline_access" in granted and REFRESH_GRANT in app.grant_types:
            refresh_id = "oar" + secrets.token_hex(9)
        minutes = minting.decision.rule.token.access_token_minutes
        return Draft(access, minutes * 60, identity, ID_TOKEN_SECONDS, refresh_id)

    def _custom_claims(self, minting: Minting, access: dict[str, Any], identity: dict[str, Any] | None) -> None:
        granted = set(minting.decision.scope_names)
        user = minting.user
        profile = dict(user.profile) if user is not None else None
        groups = [name for _, name in self.store.user_groups(user.id)] if user is not None else []
        for claim in self.store.claims(minting.server.id):
            if claim.status != LifecycleStatus.ACTIVE or (claim.scopes and not granted & set(claim.scopes)):
                continue
            target = access if claim.claim_type == "RESOURCE" else identity
            if target is None or claim.name in target:
                continue
            if claim.value_type == "SYSTEM":
                if claim.claim_type == "IDENTITY" and claim.always_include_in_token and user is not None:
                    value = _system_claim(claim.name, user)
                    if value is not None:
                        target[claim.name] = value
                continue
            if claim.claim_type == "IDENTITY" and not claim.always_include_in_token:
                continue  # only /userinfo returns it (docs, "Details for alwaysIncludeInToken")
            if claim.value_type == "GROUPS":
                target[claim.name] = group_names(claim, groups)
            elif claim.value:
                value = evaluate(claim.value, profile, minting.app.client_id)
                if value is not None:
                    target[claim.name] = value

    async def mint(self, minting: Minting, hook: HookStep | None = None) -> dict[str, Any]:
        """The token endpoint's answer; with `hook`, the rule's token inline hook may change the draft first."""
        draft = self.draft(minting)
        hook_id = minting.decision.rule.token.inline_hook_id
        if hook_id and hook is not None:
            draft = await hook(minting, draft)  # the step reads the hook once, and calls it only when ACTIVE
        elif hook_id:
            named = self.store.inline_hook(hook_id)
            if named is not None and named.active:
                # The rule names a token inline hook and this org has no way to call it: an honest 501, never
                # tokens that pass for what the hook would have made.
                raise HookTypeNotEmulated(named.type)
        key = self.keys.key(minting.server.id)
        now = int(time.time())
        access = {**draft.access, "iat": now, "exp": now + draft.access_lifetime}
        signed = jwt.encode(access, key.key, algorithm="RS256", headers={"kid": key.key_id})
        granted = " ".join(minting.decision.scope_names)
        answer: dict[str, Any] = {
            "token_type": "Bearer",
            "expires_in": draft.access_lifetime,
            "access_token": signed,
            "scope": granted,
        }
        refresh = self._refresh_token(minting, draft) if draft.refresh_id else None
        if refresh is not None:
            answer["refresh_token"] = refresh
        if draft.identity is not None:
            identity = {**draft.identity, "iat": now, "exp": now + draft.identity_lifetime, "at_hash": at_hash(signed)}
            answer["id_token"] = jwt.encode(identity, key.key, algorithm="RS256", headers={"kid": key.key_id})
        with self.store.transaction():
            self._log("app.oauth2.as.token.grant.access_token", minting)
            if "id_token" in answer:
                self._log("app.oauth2.as.token.grant.id_token", minting)
            if refresh is not None:
                self._log("app.oauth2.as.token.grant.refresh_token", minting)
        return answer

    def _refresh_token(self, minting: Minting, draft: Draft) -> str:
        """A refresh keeps its refresh token (its idle window starts again); a first grant gets a new one. Lifetime:
        the rule's idle window, within `refreshTokenLifetimeMinutes` when set (0: unlimited)."""
        token_rules = minting.decision.rule.token
        lifetime = token_rules.refresh_window_minutes * 60
        if token_rules.refresh_token_minutes:
            lifetime = min(lifetime, token_rules.refresh_token_minutes * 60)
        secret = minting.refresh_token or secrets.token_urlsafe(32)
        user = minting.user
        grant = {
            "id": draft.refresh_id,
            "server_id": minting.server.id,
            "client_id": minting.app.client_id,
            "user_id": user.id if user is not None else None,
            "scopes": list(minting.decision.scope_names),
            "auth_time": minting.auth_time,
            "original_grant": minting.original_grant or minting.grant_type,
            "authorize": minting.authorize,
        }
        if minting.refresh_token:
            self.store.drop_grant("refresh_token", minting.refresh_token)
        self.store.save_grant("refresh_token", secret, grant, lifetime)
        return secret

    def _log(self, event_type: str, minting: Minting) -> None:
        app = minting.app
        client = LogTarget(app.client_id, "PublicClientApp", app.client_id, app.label)
        actor = user_target(minting.user) if minting.user is not None else client
        server = LogTarget(minting.server.id, "AuthorizationServer", minting.server.name, minting.server.name)
        debug = {
            "grantType": minting.grant_type,
            "requestedScopes": " ".join(minting.requested),
            "grantedScopes": " ".join(minting.decision.scope_names),
            "clientAuthType": app.token_endpoint_auth_method,
        }
        event = log_event(
            event_type,
            GRANT_EVENTS[event_type],
            targets=(LogTarget(app.id, "AppInstance", "oidc_client", app.label), server),
            debug_data=debug,
            client_ip=minting.client_ip,
            actor=actor,
        )
        self.store.log_event(event)


def _system_claim(name: str, user: User) -> Any:
    profile = user.profile
    if name == "name":
        return user.display_name
    if name == "preferred_username":
        return user.login
    if name == "email":
        return profile.get("email")
    if name == "email_verified":
        return True
    if name == "given_name":
        return profile.get("firstName")
    if name == "family_name":
        return profile.get("lastName")
    if name in ("locale", "zoneinfo", "nickname", "middle_name"):
        source = {"zoneinfo": "timezone", "nickname": "nickName", "middle_name": "middleName"}.get(name, name)
        return profile.get(source)
    if name == "phone_number":
        return profile.get("mobilePhone") or profile.get("primaryPhone")
    return None


def userinfo_claims(store: Store, server_id: str, user: User, scopes: set[str]) -> dict[str, Any]:
    """/userinfo: `sub` and every IDENTITY system claim of a granted scope ("calling this endpoint always returns
    all of the user's claims" for the scopes, docs /userinfo), with a value."""
    claims: dict[str, Any] = {"sub": user.id}
    for claim in store.claims(server_id):
        if claim.claim_type != "IDENTITY" or claim.status != LifecycleStatus.ACTIVE:
            continue
        if claim.scopes and not scopes & set(claim.scopes):
            continue
        value = _system_claim(claim.name, user) if claim.value_type == "SYSTEM" else None
        if claim.value_type == "EXPRESSION" and claim.value:
            value = evaluate(claim.value, dict(user.profile), "")
        if value is not None:
            claims[claim.name] = value
    return claims
