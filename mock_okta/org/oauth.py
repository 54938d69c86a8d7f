"""OAuth 2.0 for the Management API, as Okta's org authorization server does it for service apps: a client
registered with a public key (`private_key_jwt`) and granted Okta API scopes asks `/oauth2/v1/token` for an
access token with the client credentials grant; API calls then carry `Authorization: Bearer <token>` and need the
scope of what they touch (`okta.users.read`, `okta.inlineHooks.manage`...) or answer 403 E0000006.
Sources: developer docs "Implement OAuth for Okta with a service app", the OAuth spec's `/oauth2/v1/token`; the
client side is the official SDK's `authorizationMode: PrivateKey` (okta-sdk-python `okta/oauth.py`, `okta/jwt.py`).
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from .errors import ApiValidationError, Forbidden, InvalidToken
from .store import Store

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
TOKEN_SECONDS = 3600
ASSERTION_MAX_SECONDS = 3600
# The Okta API scopes of the families the mock serves (developer docs "OAuth 2.0 Scopes": okta.<family>.read and
# okta.<family>.manage; manage includes read).
SCOPE_FAMILIES = ("inlineHooks", "users", "groups", "policies", "logs", "schemas")
SCOPES = tuple(f"okta.{family}.{kind}" for family in SCOPE_FAMILIES for kind in ("read", "manage"))


class OAuthError(Exception):
    """An error of the token endpoint, in OAuth's shape (RFC 6749 §5.2): `error` and `error_description`."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status

    def to_json(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


@dataclass(frozen=True)
class ServiceApp:
    client_id: str
    name: str
    jwks: dict[str, Any] = field(repr=False)
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class AccessToken:
    client_id: str
    scopes: frozenset[str]


class OrgAuthorizationServer:
    def __init__(self, store: Store) -> None:
        self.store = store

    @cached_property
    def _key(self) -> rsa.RSAPrivateKey:
        # One signing key per running org; generated when first needed (a quarter of a second).
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    @cached_property
    def key_id(self) -> str:
        return "mokta" + secrets.token_hex(8)

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        return {"keys": [{**public, "kid": self.key_id, "use": "sig", "alg": "RS256"}]}

    # -- service apps -------------------------------------------------------------------------------------------
    def register(self, body: Any) -> ServiceApp:
        """A service app: `name`, `jwks` (its public keys) and the `scopes` granted to it."""
        if not isinstance(body, dict):
            raise ApiValidationError(["The request body must be a JSON object"])
        causes = []
        name, jwks, scopes = body.get("name"), body.get("jwks"), body.get("scopes")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 100:
            causes.append("name: 1 to 100 characters")
        keys = jwks.get("keys") if isinstance(jwks, dict) else None
        if not isinstance(keys, list) or not 1 <= len(keys) <= 10:
            causes.append("jwks: {keys: [1 to 10 public RSA JWKs]}")
        else:
            for key in keys:
                try:
                    _public_key(key)
                except (ValueError, TypeError, KeyError, jwt.PyJWTError):
                    causes.append("jwks.keys: each key must be a public RSA JWK (kty RSA, n, e)")
                    break
        if not isinstance(scopes, list) or not all(isinstance(s, str) and s in SCOPES for s in scopes):
            causes.append(f"scopes: a list of {', '.join(SCOPES)}")
        if causes or not isinstance(name, str) or not isinstance(scopes, list) or not isinstance(jwks, dict):
            raise ApiValidationError(causes)
        app = ServiceApp("0oa" + secrets.token_urlsafe(15)[:17], name.strip(), {"keys": keys}, tuple(scopes))
        self.store.save_service_app(app.client_id, app.name, app.jwks, app.scopes)
        return app

    # -- the token endpoint -------------------------------------------------------------------------------------
    def token(self, form: dict[str, str], token_url: str, issuer: str) -> dict[str, Any]:
        """The client credentials grant with a `private_key_jwt` client assertion."""
        if form.get("grant_type") != "client_credentials":
            raise OAuthError("unsupported_grant_type", "The authorization server only supports client_credentials.")
        if form.get("client_assertion_type") != ASSERTION_TYPE or not form.get("client_assertion"):
            raise OAuthError("invalid_client", "A client_assertion (private_key_jwt) is required.", 401)
        assertion = form["client_assertion"]
        try:
            claimed = jwt.decode(assertion, options={"verify_signature": False})
        except jwt.InvalidTokenError:
            raise OAuthError("invalid_client", "The client_assertion is not a JWT.", 401) from None
        client_id = claimed.get("sub")
        found = self.store.service_app(client_id) if isinstance(client_id, str) else None
        if found is None:
            raise OAuthError("invalid_client", "The client_assertion's sub is not a registered service app.", 401)
        app = ServiceApp(*found)
        self._verify_assertion(assertion, app, token_url)
        requested = form.get("scope", "").split()
        if not requested:
            raise OAuthError("invalid_scope", "One or more scopes are required.")
        refused = [s for s in requested if s not in app.scopes]
        if refused:
            raise OAuthError("invalid_scope", f"The requested scope is invalid, unknown, or malformed: {refused[0]}")
        now = int(time.time())
        claims = {
            "ver": 1,
            "jti": "AT." + secrets.token_urlsafe(24),
            "iss": issuer,
            "aud": issuer,
            "iat": now,
            "exp": now + TOKEN_SECONDS,
            "cid": app.client_id,
            "sub": app.client_id,
            "scp": requested,
        }
        token = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.key_id})
        return {
            "token_type": "Bearer",
            "expires_in": TOKEN_SECONDS,
            "access_token": token,
            "scope": " ".join(requested),
        }

    def _verify_assertion(self, assertion: str, app: ServiceApp, token_url: str) -> None:
        header = jwt.get_unverified_header(assertion)
        keys = [k for k in app.jwks["keys"] if "kid" not in header or k.get("kid") in (None, header["kid"])]
        for key in keys:
            try:
                claims = jwt.decode(
                    assertion,
                    _public_key(key),
                    algorithms=["RS256", "RS384", "RS512"],
                    audience=token_url,
                    issuer=app.client_id,
                    options={"require": ["exp", "iat", "aud", "iss", "sub", "jti"]},
                )
            except jwt.InvalidSignatureError:
                continue
            except jwt.InvalidTokenError as exc:
                raise OAuthError("invalid_client", f"The client_assertion is invalid: {exc}", 401) from None
            if claims["exp"] - claims["iat"] > ASSERTION_MAX_SECONDS:
                raise OAuthError("invalid_client", "The client_assertion must expire within an hour.", 401)
            return
        raise OAuthError("invalid_client", "The client_assertion signature does not match a key of the app.", 401)

    # -- API calls ----------------------------------------------------------------------------------------------
    def access(self, token: str, issuer: str) -> AccessToken:
        try:
            claims = jwt.decode(token, self._key.public_key(), algorithms=["RS256"], audience=issuer, issuer=issuer)
        except jwt.InvalidTokenError:
            raise InvalidToken() from None
        return AccessToken(str(claims["cid"]), frozenset(claims.get("scp") or ()))

    @staticmethod
    def require(token: AccessToken, family: str, write: bool) -> None:
        """403 E0000006 unless the token has okta.<family>.manage, or .read for a read."""
        wanted = {f"okta.{family}.manage"} if write else {f"okta.{family}.manage", f"okta.{family}.read"}
        if not token.scopes & wanted:
            raise Forbidden([f"The access token lacks the scope {sorted(wanted)[0]}"])


def _public_key(jwk: Any) -> Any:
    if not isinstance(jwk, dict) or jwk.get("kty") != "RSA" or "d" in jwk:
        raise ValueError("a public RSA key")
    return jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(jwk))
