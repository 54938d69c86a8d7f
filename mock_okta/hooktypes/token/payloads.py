"""Token inline hook requests: `build_request(minting)` turns what an authorization server is minting into the
request Okta sends, and `generate_minting` makes up a minting (faker users) for `fire`, `verify`, the cases file
and Preview.

The request's shape is the reference's sample and the spec's `TokenRequest` (TOKREF: okta-developer-docs
`docs/reference/token-hook/index.md` before commit 982a3bc1c1): `data.context` (request, protocol, session, user,
policy), `data.identity` only when an ID token is minted, `data.access` with its granted scopes, and
`data.refresh_token` when a refresh token is issued or used.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
import string
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ...hook.ids import event_time, okta_id
from ...hook.overrides import OverrideError, apply_override
from ...hook.people import fake_person
from .contract import AUTHORIZATION_CODE, CLIENT_CREDENTIALS, EVENT_TYPE, GRANT_TYPES, REFRESH_TOKEN

# A made-up org for requests without one (`fire`, `verify`): Okta's sample says `${yourOktaDomain}`.
EXAMPLE_ORG = "https://example.okta.com"
DEFAULT_LIFETIME = 3600  # the sample's `expiration` for both tokens, and a default access policy rule's hour
DEFAULT_SCOPES = ("openid", "profile", "email")


@dataclass(frozen=True)
class TokenClient:
    """The OAuth 2.0 client the tokens are minted for (`data.context.protocol.client`)."""

    id: str
    name: str
    type: str = "CONFIDENTIAL"  # PUBLIC (SPA, native) or CONFIDENTIAL (web, service)


@dataclass(frozen=True)
class TokenUser:
    """The user the tokens are about (`data.context.user`): id, profile (login, firstName, lastName, locale,
    timeZone...), and when the password last changed."""

    id: str
    profile: Mapping[str, Any]
    password_changed: str | None = None


@dataclass(frozen=True)
class TokenSession:
    """The user's Okta session (`data.context.session`), sent for a flow through the browser (authorization code)."""

    id: str
    created_at: str
    expires_at: str
    idp_id: str
    amr: tuple[str, ...] = ("PASSWORD",)
    last_password_verification: str | None = None
    idp_type: str = "OKTA"
    mfa_active: bool = False
    status: str = "ACTIVE"


@dataclass(frozen=True)
class MintedToken:
    """One token as Okta shows it to the hook: its claims (as sent; the server adds iat/exp and signs after the
    hook) and its lifetime in seconds."""

    claims: Mapping[str, Any]
    lifetime: int = DEFAULT_LIFETIME


@dataclass(frozen=True)
class AuthorizeRequest:
    """The `/v1/authorize` request behind an authorization code (in a refresh token grant: behind the original
    grant), as `protocol.request` repeats it."""

    redirect_uri: str
    response_type: str = "code"
    response_mode: str = "query"
    state: str | None = None


@dataclass(frozen=True)
class TokenMinting:
    """What an authorization server is about to issue, and why: the input of `build_request` and of the verdict's
    `apply`. `scopes`: the granted scopes by name → the scope's id, in order. `identity` is None when no ID token
    is minted (client credentials; no `openid` scope); `access` is None only when an ID token alone is minted.
    `request_url`: the URL of the HTTP request that mints (default: the issuer's `/v1/token`)."""

    issuer: str
    client: TokenClient
    grant_type: str
    scopes: Mapping[str, str]
    access: MintedToken | None
    identity: MintedToken | None = None
    user: TokenUser | None = None
    session: TokenSession | None = None
    policy_id: str = ""
    rule_id: str = ""
    authorize: AuthorizeRequest | None = None
    # data.refresh_token.jti: the id of the refresh token issued with these tokens, or used to get them.
    refresh_token_id: str | None = None
    request_url: str = ""
    request_method: str = "POST"
    request_id: str = field(default_factory=lambda: "req" + uuid.uuid4().hex[:22])
    ip_address: str = "127.0.0.1"

    def __post_init__(self) -> None:
        if self.grant_type not in GRANT_TYPES:
            raise ValueError(f"grant type {self.grant_type!r}: the mock mints with {', '.join(GRANT_TYPES)}")
        if self.access is None and self.identity is None:
            raise ValueError("a minting mints at least one token")
        if self.grant_type == CLIENT_CREDENTIALS and (self.user or self.session or self.identity):
            raise ValueError("client credentials mint an access token for the client alone: no user, session or ID")

    @property
    def token_url(self) -> str:
        return self.request_url or f"{self.issuer}/v1/token"


def build_request(minting: TokenMinting, sets: Sequence[str] = ()) -> dict[str, Any]:
    """The request Okta sends for this minting, with `path=value` overrides applied last."""
    url = minting.token_url
    parts = urlsplit(url)
    context: dict[str, Any] = {
        "request": {
            "id": minting.request_id,
            "method": minting.request_method,
            "url": {"value": url},
            "ipAddress": minting.ip_address,
        },
        "protocol": _protocol(minting),
    }
    if minting.session is not None and minting.user is not None:
        context["session"] = _session(minting.session, minting.user)
    if minting.user is not None:
        context["user"] = _user(minting.user, minting.issuer)
    context["policy"] = {"id": minting.policy_id, "rule": {"id": minting.rule_id}}
    data: dict[str, Any] = {"context": context}
    if minting.identity is not None:
        data["identity"] = _token(minting.identity)
    if minting.access is not None:
        data["access"] = {
            **_token(minting.access),
            "scopes": {name: {"id": scope_id, "action": "GRANT"} for name, scope_id in minting.scopes.items()},
        }
    if minting.refresh_token_id is not None:
        data["refresh_token"] = {"jti": minting.refresh_token_id}
    request = {
        # The sample's `source` is the minting endpoint without its query.
        "source": urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
        "eventId": secrets.token_urlsafe(16)[:22],
        "eventTime": event_time(),
        "eventTypeVersion": "1.0",
        "cloudEventVersion": "0.1",
        "contentType": "application/json",
        "eventType": EVENT_TYPE,
        "data": data,
    }
    for assignment in sets:
        apply_override(request, assignment)
    return request


def _protocol(minting: TokenMinting) -> dict[str, Any]:
    scope = " ".join(minting.scopes)
    request: dict[str, Any] = {"client_id": minting.client.id, "grant_type": minting.grant_type, "scope": scope}
    authorize = minting.authorize
    if minting.grant_type == AUTHORIZATION_CODE and authorize is not None:
        request.update(_authorize_params(authorize))
    protocol: dict[str, Any] = {"type": "OAUTH2.0", "request": request}
    if minting.grant_type == REFRESH_TOKEN:
        # Spec TokenPayLoad: "Information about the original token request used to get the refresh token".
        original: dict[str, Any] = {}
        if authorize is not None:
            original["authorization"] = {
                "client_id": minting.client.id,
                "grant_type": AUTHORIZATION_CODE,
                "scope": scope,
                **_authorize_params(authorize),
            }
        if minting.refresh_token_id is not None:
            original["refresh_token"] = {"jti": minting.refresh_token_id}
        protocol["OriginalGrant"] = original
    protocol["issuer"] = {"uri": minting.issuer}
    protocol["client"] = {"id": minting.client.id, "name": minting.client.name, "type": minting.client.type}
    return protocol


def _authorize_params(authorize: AuthorizeRequest) -> dict[str, Any]:
    params = {
        "redirect_uri": authorize.redirect_uri,
        "response_mode": authorize.response_mode,
        "response_type": authorize.response_type,
    }
    return {**params, **({"state": authorize.state} if authorize.state is not None else {})}


def _session(session: TokenSession, user: TokenUser) -> dict[str, Any]:
    return {
        "id": session.id,
        "userId": user.id,
        "login": str(user.profile.get("login", "")),
        "createdAt": session.created_at,
        "expiresAt": session.expires_at,
        "status": session.status,
        "lastPasswordVerification": session.last_password_verification or session.created_at,
        "amr": list(session.amr),
        "idp": {"id": session.idp_id, "type": session.idp_type},
        "mfaActive": session.mfa_active,
    }


def _user(user: TokenUser, issuer: str) -> dict[str, Any]:
    org = _org_url(issuer)
    return {
        "id": user.id,
        "passwordChanged": user.password_changed,
        "profile": _json_copy(dict(user.profile)),
        "_links": {
            "groups": {"href": f"{org}/api/v1/users/{user.id}/groups"},
            "factors": {"href": f"{org}/api/v1/users/{user.id}/factors"},
        },
    }


def _token(token: MintedToken) -> dict[str, Any]:
    return {"claims": _json_copy(dict(token.claims)), "token": {"lifetime": {"expiration": token.lifetime}}}


def _json_copy(value: dict[str, Any]) -> dict[str, Any]:
    # The request must not share members with the minting: a hook's answer is applied to copies of both.
    return copy.deepcopy(value)


def _org_url(issuer: str) -> str:
    parts = urlsplit(issuer)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


# -- generated mintings (fire, verify, cases, Preview) -------------------------------------------------------------
def fake_profile(
    *, seed: int | None = None, locale: str = "en_US", login: str | None = None, domain: str | None = None
) -> dict[str, Any]:
    """The profile members the sample request shows: login, firstName, lastName, locale, timeZone."""
    first, last, address = fake_person(seed=seed, locale=locale, domain=domain)
    login = address if login is None else login
    return {"login": login, "firstName": first, "lastName": last, "locale": "en", "timeZone": "America/Los_Angeles"}


def generate_minting(
    grant_type: str = AUTHORIZATION_CODE,
    *,
    seed: int | None = None,
    locale: str = "en_US",
    profile: Mapping[str, Any] | None = None,
    user_id: str | None = None,
    scopes: Sequence[str] | None = None,
    client: TokenClient | None = None,
    issuer: str | None = None,
    domain: str | None = None,
) -> TokenMinting:
    """A minting as the `default` custom authorization server makes it, for a generated user (or `profile`, its
    missing members generated) and client, with the claims Okta's sample request shows. Client credentials drop
    the user scopes (openid, profile, email, offline_access) and mint an access token for the client alone."""
    if grant_type not in GRANT_TYPES:
        raise OverrideError(f"unknown grant type {grant_type!r}: choose {', '.join(GRANT_TYPES)}")
    issuer = issuer or f"{EXAMPLE_ORG}/oauth2/default"
    wanted = tuple(dict.fromkeys(scopes if scopes is not None else DEFAULT_SCOPES))
    if grant_type == REFRESH_TOKEN:
        # Okta issues a refresh token only for `offline_access` (refresh-tokens guide, "Get a refresh token": the
        # scope table's `refresh_token` row), so a refresh always holds it among its granted scopes.
        wanted = tuple(dict.fromkeys((*wanted, "offline_access")))
    policy_id, rule_id = _stable_id("00p", seed, "policy"), _stable_id("0pr", seed, "rule")
    if grant_type == CLIENT_CREDENTIALS:
        granted = {name: _stable_id("scp", seed, name) for name in wanted if name not in USER_SCOPES} or {
            "api:read": _stable_id("scp", seed, "api:read")
        }
        client = client or TokenClient(_stable_id("0oa", seed, "client"), "Service client", "CONFIDENTIAL")
        access = {
            "ver": 1,
            "jti": "AT." + secrets.token_urlsafe(32),
            "iss": issuer,
            "aud": "api://default",
            "cid": client.id,
            "sub": client.id,
        }
        return TokenMinting(
            issuer, client, grant_type, granted, MintedToken(access), policy_id=policy_id, rule_id=rule_id
        )
    granted = {name: _stable_id("scp", seed, name) for name in wanted}
    client = client or TokenClient(_stable_id("0oa", seed, "client"), "Web client", "CONFIDENTIAL")
    login = str(profile["login"]) if profile and "login" in profile else None
    generated = fake_profile(seed=seed, locale=locale, login=login, domain=domain)
    user_profile = {**generated, **(profile or {})}
    user = TokenUser(user_id or _stable_id("00u", seed, "user"), user_profile, event_time(NOW_ANCHOR))
    login = str(user_profile["login"])
    now = datetime.now(UTC)
    idp = _stable_id("00o", seed, "idp")
    session = TokenSession(
        _stable_id("102", seed, "session"),
        created_at=event_time(now - timedelta(minutes=3)),
        expires_at=event_time(now + timedelta(hours=2)),
        idp_id=idp,
    )
    nonce = secrets.token_urlsafe(8)
    access = {
        "ver": 1,
        "jti": "AT." + secrets.token_urlsafe(32),
        "iss": issuer,
        "aud": "api://default",
        "cid": client.id,
        "uid": user.id,
        "sub": login,
    }
    identity: dict[str, Any] | None = None
    if "openid" in granted:
        identity = {"sub": user.id}
        if "profile" in granted:
            identity["name"] = f"{user_profile.get('firstName', '')} {user_profile.get('lastName', '')}".strip()
        if "email" in granted:
            identity["email"] = login
        identity.update(ver=1, iss=issuer, aud=client.id, jti="ID." + secrets.token_urlsafe(32), amr=["pwd"], idp=idp)
        if grant_type == AUTHORIZATION_CODE:
            identity["nonce"] = nonce
        if "profile" in granted:
            identity["preferred_username"] = login
        identity["auth_time"] = int((now - timedelta(minutes=3)).timestamp())
        access["preferred_username"] = login
    authorize = AuthorizeRequest("https://app.example.com/authorization-code/callback", state=secrets.token_urlsafe(8))
    refresh = "offline_access" in granted or grant_type == REFRESH_TOKEN
    return TokenMinting(
        issuer,
        client,
        grant_type,
        granted,
        MintedToken(access),
        MintedToken(identity) if identity is not None else None,
        user=user,
        # A refresh token grant is a back-channel call: no browser, so no session (a choice: the sources show the
        # session only in the sample's browser flow).
        session=session if grant_type == AUTHORIZATION_CODE else None,
        authorize=authorize,
        refresh_token_id=_stable_id("oar", seed, "refresh") if refresh else None,
        policy_id=policy_id,
        rule_id=rule_id,
    )


USER_SCOPES = frozenset({"openid", "profile", "email", "address", "phone", "offline_access", "groups"})
# The passwordChanged of generated users: a fixed past moment, so a seeded request is the same on every run.
NOW_ANCHOR = datetime(2024, 1, 15, 23, 19, 12, tzinfo=UTC)


def _stable_id(prefix: str, seed: int | None, salt: object) -> str:
    """An Okta-shaped id, the same for the same seed and salt (reproducible requests), random without a seed."""
    if seed is None:
        return okta_id(prefix)
    digest = hashlib.sha256(f"{seed}:{salt}".encode()).digest()
    alphabet = string.ascii_letters + string.digits
    return prefix + "".join(alphabet[b % len(alphabet)] for b in digest[: 20 - len(prefix)])
