"""The back-channel endpoints of a custom authorization server: `/v1/token` (authorization_code with PKCE,
refresh_token, client_credentials), `/v1/introspect`, `/v1/revoke` and `/v1/userinfo` (okta-developer-docs
`docs/reference/api/oidc`, last full version: request parameters, response properties and possible errors of
each; an invalid, expired or revoked token is `{"active": false}`; revoking an unknown token is still 200)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import jwt

from ..models import User, UserStatus
from ..oauth import OAuthError
from ..oauth_models import AuthorizationServer, OidcApp
from ..store import Store
from . import errors as E
from .clients import ClientAuthentication
from .keys import ServerKeys
from .minting import HookStep, Minter, Minting, SessionInfo, userinfo_claims
from .policy import Decision, decide, requested_scopes

GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials")


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class Endpoints:
    def __init__(self, store: Store, keys: ServerKeys, clients: ClientAuthentication, minter: Minter) -> None:
        self.store = store
        self.keys = keys
        self.clients = clients
        self.minter = minter

    # -- /v1/token --------------------------------------------------------------------------------------------
    async def token(
        self,
        server: AuthorizationServer,
        form: dict[str, str],
        authorization: str,
        issuer: str,
        client_ip: str,
        hook: HookStep | None,
    ) -> dict[str, Any]:
        grant_type = form.get("grant_type")
        if not grant_type:
            raise E.oauth_error(E.MISSING_GRANT_TYPE)
        if grant_type not in GRANT_TYPES:
            raise E.unsupported_grant_type(grant_type)
        url = f"{issuer}/v1/token"
        app = self.clients.authenticate(form, authorization, url)
        if grant_type not in app.grant_types:
            raise E.unauthorized_client(app.grant_types)
        base: dict[str, Any] = {
            "server": server,
            "app": app,
            "issuer": issuer,
            "request_url": url,
            "client_ip": client_ip,
        }
        if grant_type == "client_credentials":
            scopes = requested_scopes(self.store, server, form.get("scope"), grant_type)
            decision = decide(self.store, server, app, None, grant_type, scopes)
            minting = Minting(**base, decision=decision, grant_type=grant_type, requested=_names(form))
        elif grant_type == "authorization_code":
            minting = self._code(server, app, form, base)
        else:
            minting = self._refresh(server, app, form, base)
        return await self.minter.mint(minting, hook)

    def _code(self, server: AuthorizationServer, app: OidcApp, form: dict[str, str], base: dict[str, Any]) -> Minting:
        code = form.get("code")
        if not code:
            raise E.missing_parameter("code")
        grant = self.store.redeem_grant("code", code)
        if grant is None:
            raise E.oauth_error(E.INVALID_CODE)
        if grant["server_id"] != server.id:
            raise E.oauth_error(E.MISMATCHED_SERVER)
        if grant["client_id"] != app.client_id:
            raise E.oauth_error(E.MISMATCHED_CLIENT)
        if form.get("redirect_uri") != grant["redirect_uri"]:
            raise E.oauth_error(E.MISMATCHED_REDIRECT_URI)
        verifier = form.get("code_verifier")
        challenge = grant.get("code_challenge")
        if challenge is not None:
            if not verifier:
                raise E.oauth_error(E.PKCE_MISSING_VERIFIER)
            if not hmac.compare_digest(s256(verifier), str(challenge)):
                raise E.oauth_error(E.PKCE_FAILED)
        elif verifier:
            raise OAuthError(
                "invalid_request",
                "PKCE code challenge should be specified in the authorize request for code verification.",
                400,
            )
        user = self._user(grant["user_id"])
        decision = self._decision(server, grant["policy_id"], grant["rule_id"], grant["scopes"])
        session = grant.get("session")
        return Minting(
            **base,
            decision=decision,
            grant_type="authorization_code",
            requested=tuple(grant["scopes"]),
            user=user,
            auth_time=grant.get("auth_time"),
            nonce=grant.get("nonce"),
            session=SessionInfo(*session) if session else None,
            authorize={k: grant[k] for k in ("redirect_uri", "response_type", "response_mode", "state")},
        )

    def _refresh(
        self, server: AuthorizationServer, app: OidcApp, form: dict[str, str], base: dict[str, Any]
    ) -> Minting:
        token = form.get("refresh_token")
        if not token:
            raise E.missing_parameter("refresh_token")
        grant = self.store.grant("refresh_token", token)
        if grant is None or grant["client_id"] != app.client_id:
            raise E.oauth_error(E.INVALID_REFRESH_TOKEN)
        if grant["server_id"] != server.id:
            raise E.oauth_error(E.MISMATCHED_SERVER)
        original = list(grant["scopes"])
        asked = form.get("scope")
        wanted = list(dict.fromkeys(asked.split())) if asked else original
        denied = [s for s in wanted if s not in original]
        if denied:
            raise OAuthError(
                "access_denied",
                "Some of the scopes requested for the refresh request were not granted in the original authorize "
                f"request. Denied scopes: {', '.join(denied)}.",
                400,
            )
        user = self._user(grant["user_id"])
        scopes = requested_scopes(self.store, server, " ".join(wanted), "refresh_token")
        decision = decide(self.store, server, app, user.id, grant["original_grant"], scopes)
        return Minting(
            **base,
            decision=decision,
            grant_type="refresh_token",
            requested=tuple(wanted),
            user=user,
            auth_time=grant.get("auth_time"),
            authorize=grant.get("authorize") or {},
            original_grant=grant["original_grant"],
            refresh_token=token,
        )

    def _user(self, user_id: str | None) -> User:
        user = self.store.user(user_id) if user_id else None
        if user is None or user.status != UserStatus.ACTIVE:
            raise OAuthError("invalid_grant", "Invalid grant", 400)
        return user

    def _decision(self, server: AuthorizationServer, policy_id: str, rule_id: str, names: list[str]) -> Decision:
        """The rule that allowed the code: "the policy isn't evaluated again" at the token request (docs, Subtle
        behavior); a rule or policy deleted meanwhile allows nothing."""
        policy = next((p for p in self.store.as_policies(server.id) if p.id == policy_id), None)
        rule = next((r for r in self.store.as_rules(policy_id) if r.id == rule_id), None) if policy else None
        if policy is None or rule is None:
            raise E.oauth_error(E.NO_MATCHING_POLICY)
        known = {s.name: s for s in self.store.scopes(server.id)}
        return Decision(policy, rule, tuple(known[n] for n in names if n in known))

    # -- /v1/introspect, /v1/revoke, /v1/userinfo -------------------------------------------------------------
    def verified_access_token(self, server: AuthorizationServer, token: str, issuer: str) -> dict[str, Any] | None:
        """The claims of an access token this server issued that is still good (signature, issuer, audience,
        expiry, not revoked, its client still active), else None."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self.keys.key(server.id).key.public_key(),
                algorithms=["RS256"],
                audience=server.audiences[0],
                issuer=issuer,
                options={"require": ["exp", "iat", "jti", "cid"]},
            )
        except jwt.InvalidTokenError:
            return None
        app = self.store.app_by_client_id(str(claims["cid"]))
        if self.store.jti_revoked(str(claims["jti"])) or app is None or not app.active:
            return None
        return claims

    def introspect(
        self, server: AuthorizationServer, form: dict[str, str], authorization: str, issuer: str
    ) -> dict[str, Any]:
        app = self.clients.authenticate(form, authorization, f"{issuer}/v1/introspect")
        token = form.get("token")
        if not token:
            raise E.oauth_error(E.REQUEST_MISSING_TOKEN)
        hint = form.get("token_type_hint")
        if hint != "refresh_token":
            claims = self.verified_access_token(server, token, issuer)
            if claims is not None and claims["cid"] == app.client_id:
                answer = {
                    "active": True,
                    "token_type": "Bearer",
                    "scope": " ".join(claims.get("scp", [])),
                    "client_id": claims["cid"],
                    "exp": claims["exp"],
                    "iat": claims["iat"],
                    "sub": claims["sub"],
                    "aud": claims["aud"],
                    "iss": claims["iss"],
                    "jti": claims["jti"],
                }
                if "uid" in claims:
                    answer.update(username=claims["sub"], uid=claims["uid"])
                return answer
        grant = self.store.grant("refresh_token", token) if len(token) < 200 else None
        if grant is not None and grant["client_id"] == app.client_id and grant["server_id"] == server.id:
            user = self.store.user(grant["user_id"]) if grant["user_id"] else None
            login = user.login if user else grant["client_id"]
            return {
                "active": True,
                "token_type": "Bearer",
                "scope": " ".join(grant["scopes"]),
                "client_id": grant["client_id"],
                "username": login,
                "sub": login,
                "iss": issuer,
            }
        return {"active": False}

    def revoke(self, server: AuthorizationServer, form: dict[str, str], authorization: str, issuer: str) -> None:
        """A client revokes its own access or refresh token; an unknown one is still a success."""
        app = self.clients.authenticate(form, authorization, f"{issuer}/v1/revoke")
        token = form.get("token")
        if not token:
            raise E.oauth_error(E.REQUEST_MISSING_TOKEN)
        claims = self.verified_access_token(server, token, issuer)
        if claims is not None and claims["cid"] == app.client_id:
            self.store.revoke_jti(str(claims["jti"]), float(claims["exp"]))
            return
        grant = self.store.grant("refresh_token", token) if len(token) < 200 else None
        if grant is not None and grant["client_id"] == app.client_id:
            self.store.drop_grant("refresh_token", token)

    def userinfo(self, server: AuthorizationServer, authorization: str, issuer: str) -> dict[str, Any]:
        scheme, _, token = authorization.partition(" ")
        claims = self.verified_access_token(server, token.strip(), issuer) if scheme.lower() == "bearer" else None
        user = self.store.user(str(claims["uid"])) if claims and "uid" in claims else None
        if claims is None or user is None or user.status != UserStatus.ACTIVE:
            raise E.oauth_error(E.ACCESS_TOKEN_INVALID)
        scopes = set(claims.get("scp", []))
        if "openid" not in scopes:
            raise OAuthError(
                "insufficient_scope",
                "The access token must provide access to at least one of these scopes - profile, email, address or "
                "phone",
                403,
            )
        return userinfo_claims(self.store, server.id, user, scopes)


def _names(form: dict[str, str]) -> tuple[str, ...]:
    return tuple((form.get("scope") or "").split())
