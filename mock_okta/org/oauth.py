"""The org's two kinds of OAuth 2.0 authorization server.

- The org authorization server, for the Management API: a service app registered with a public key
  (`private_key_jwt`) and granted Okta API scopes asks `/oauth2/v1/token` for an access token with the client
  credentials grant; API calls then carry `Authorization: Bearer <token>` and need the scope of what they touch
  (`okta.users.read`, `okta.inlineHooks.manage`...) or answer 403 E0000006. Sources: developer docs "Implement OAuth
  for Okta with a service app", the spec's `/oauth2/v1/token`; the client side is the official SDK's
  `authorizationMode: PrivateKey` (okta-sdk-python `okta/oauth.py`, `okta/jwt.py`).
- The custom authorization server `default` (`/oauth2/default`), the one Okta's "Add OAuth 2.0 authentication
  fields to your hook" guide has a hook trust: clients (API Services apps) with `client_secret_post` or
  `private_key_jwt`, custom scopes, tokens with issuer `{org}/oauth2/default` and audience `api://default`, the
  keys at `/oauth2/default/v1/keys` and the metadata at `/.well-known/oauth-authorization-server`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
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
SCOPE_FAMILIES = ("inlineHooks", "users", "groups", "policies", "logs", "schemas", "authorizationServers", "apps")
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


class SigningKey:
    """An authorization server's RS256 key, generated when first needed (a quarter of a second): its public JWKS
    and the access tokens it signs."""

    def __init__(self, kid_prefix: str) -> None:
        self.key_id = kid_prefix + secrets.token_hex(6)

    @cached_property
    def key(self) -> rsa.RSAPrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.key_id, "use": "sig", "alg": "RS256"}]}

    def access_token(self, issuer: str, audience: str, client_id: str, scopes: list[str]) -> dict[str, Any]:
        """The token endpoint's answer: a client credentials access token for these scopes, valid an hour."""
        now = int(time.time())
        claims = {
            "ver": 1,
            "jti": "AT." + secrets.token_urlsafe(24),
            "iss": issuer,
            "aud": audience,
            "iat": now,
            "exp": now + TOKEN_SECONDS,
            "cid": client_id,
            "sub": client_id,
            "scp": scopes,
        }
        token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.key_id})
        return {"token_type": "Bearer", "expires_in": TOKEN_SECONDS, "access_token": token, "scope": " ".join(scopes)}


def jwks_problem(jwks: Any) -> str | None:
    """Why `jwks` is not {keys: [1 to 10 public RSA JWKs]}, or None."""
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list) or not 1 <= len(keys) <= 10:
        return "jwks: {keys: [1 to 10 public RSA JWKs]}"
    for key in keys:
        try:
            _public_key(key)
        except (ValueError, TypeError, KeyError, jwt.PyJWTError):
            return "jwks.keys: each key must be a public RSA JWK (kty RSA, n, e)"
    return None


class SpentAssertions:
    """The `jti` of every client assertion accepted and not yet expired, per client: one is good once (RFC 7523
    §3 item 7 lets the server refuse a replay; OpenID Connect Core §9: "These tokens MUST only be used once"), so an
    assertion captured on the way cannot buy tokens for its whole lifetime. Bounded: past `limit` live entries the
    oldest go first (an assertion lives at most an hour)."""

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self._expiry: dict[tuple[str, str], float] = {}

    def spend(self, client_id: str, jti: str, expires: float, now: float | None = None) -> bool:
        """Record the assertion; False when it was already spent."""
        now = time.time() if now is None else now
        key = (client_id, jti)
        if self._expiry.get(key, now - 1) >= now:
            return False
        if len(self._expiry) >= self.limit:
            self._expiry = {k: v for k, v in self._expiry.items() if v >= now}
            while len(self._expiry) >= self.limit:
                del self._expiry[next(iter(self._expiry))]
        self._expiry[key] = expires
        return True


class OrgAuthorizationServer:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.signing = SigningKey("mokta")
        self.spent = SpentAssertions()

    def jwks(self) -> dict[str, Any]:
        return self.signing.jwks()

    # -- service apps -------------------------------------------------------------------------------------------
    def register(self, body: Any) -> ServiceApp:
        """A service app: `name`, `jwks` (its public keys) and the `scopes` granted to it."""
        if not isinstance(body, dict):
            raise ApiValidationError(["The request body must be a JSON object"])
        causes = []
        name, jwks, scopes = body.get("name"), body.get("jwks"), body.get("scopes")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 100:
            causes.append("name: 1 to 100 characters")
        problem = jwks_problem(jwks)
        if problem:
            causes.append(problem)
        if not isinstance(scopes, list) or not all(isinstance(s, str) and s in SCOPES for s in scopes):
            causes.append(f"scopes: a list of {', '.join(SCOPES)}")
        if causes or not isinstance(name, str) or not isinstance(scopes, list) or not isinstance(jwks, dict):
            raise ApiValidationError(causes)
        app = ServiceApp("0oa" + secrets.token_urlsafe(15)[:17], name.strip(), {"keys": jwks["keys"]}, tuple(scopes))
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
        return self.signing.access_token(issuer, issuer, app.client_id, requested)

    def _verify_assertion(self, assertion: str, app: ServiceApp, token_url: str) -> None:
        verify_assertion(assertion, app.jwks["keys"], app.client_id, token_url, self.spent)

    # -- API calls ----------------------------------------------------------------------------------------------
    def access(self, token: str, issuer: str) -> AccessToken:
        try:
            claims = jwt.decode(
                token, self.signing.key.public_key(), algorithms=["RS256"], audience=issuer, issuer=issuer
            )
        except jwt.InvalidTokenError:
            raise InvalidToken() from None
        return AccessToken(str(claims["cid"]), frozenset(claims.get("scp") or ()))

    @staticmethod
    def require(token: AccessToken, family: str, write: bool) -> None:
        """403 E0000006 unless the token has okta.<family>.manage, or .read for a read."""
        wanted = {f"okta.{family}.manage"} if write else {f"okta.{family}.manage", f"okta.{family}.read"}
        if not token.scopes & wanted:
            raise Forbidden([f"The access token lacks the scope {sorted(wanted)[0]}"])


def verify_assertion(
    assertion: str, keys: list[dict[str, Any]], client_id: str, token_url: str, spent: SpentAssertions
) -> None:
    """A `private_key_jwt` client assertion (RFC 7523): signed by one of `keys`, iss = sub = the client, aud = the
    token endpoint, expiring within an hour, and never seen before (its `jti`); else OAuthError invalid_client."""
    try:
        header = jwt.get_unverified_header(assertion)
    except jwt.InvalidTokenError:
        raise OAuthError("invalid_client", "The client_assertion is not a JWT.", 401) from None
    candidates = [k for k in keys if "kid" not in header or k.get("kid") in (None, header["kid"])]
    for key in candidates:
        try:
            claims = jwt.decode(
                assertion,
                _public_key(key),
                algorithms=["RS256", "RS384", "RS512"],
                audience=token_url,
                issuer=client_id,
                options={"require": ["exp", "iat", "aud", "iss", "sub", "jti"]},
            )
        except jwt.InvalidSignatureError:
            continue
        except jwt.InvalidTokenError as exc:
            raise OAuthError("invalid_client", f"The client_assertion is invalid: {exc}", 401) from None
        if claims["sub"] != client_id:
            raise OAuthError("invalid_client", "The client_assertion's sub must be the client id.", 401)
        if claims["exp"] - claims["iat"] > ASSERTION_MAX_SECONDS:
            raise OAuthError("invalid_client", "The client_assertion must expire within an hour.", 401)
        if not spent.spend(client_id, str(claims["jti"]), float(claims["exp"])):
            raise OAuthError("invalid_client", "The client_assertion was already used (its jti): make a new one.", 401)
        return
    raise OAuthError("invalid_client", "The client_assertion signature does not match a key of the client.", 401)


CUSTOM_AUDIENCE = "api://default"
CLIENT_AUTH_METHODS = ("client_secret_post", "private_key_jwt")
SCOPE_NAME = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]{1,100}$")  # RFC 6749 scope-token characters


@dataclass(frozen=True)
class HookClient:
    """An API Services app of the `default` authorization server: the client a hook's channel names."""

    client_id: str
    name: str
    auth_method: str
    scopes: tuple[str, ...]
    secret_digest: str | None = field(default=None, repr=False)
    jwks: dict[str, Any] | None = field(default=None, repr=False)


class CustomAuthorizationServer:
    """`/oauth2/default`: access tokens for the clients the hooks' OAuth channels use."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.issued = 0  # tokens issued since the org started (tests check that a hook's token is reused)
        self.signing = SigningKey("mokta-default-")
        self.spent = SpentAssertions()

    def jwks(self) -> dict[str, Any]:
        return self.signing.jwks()

    @staticmethod
    def metadata(issuer: str) -> dict[str, Any]:
        """RFC 8414 metadata, as `/.well-known/oauth-authorization-server` serves it."""
        return {
            "issuer": issuer,
            "token_endpoint": f"{issuer}/v1/token",
            "jwks_uri": f"{issuer}/v1/keys",
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": list(CLIENT_AUTH_METHODS),
            "token_endpoint_auth_signing_alg_values_supported": ["RS256", "RS384", "RS512"],
            "response_types_supported": ["token"],
        }

    def register(self, body: Any, hook_key_jwk: dict[str, Any] | None = None) -> tuple[HookClient, str | None]:
        """A client: `name`, `tokenEndpointAuthMethod`, `scopes`, and for private_key_jwt `jwks` (or a hook key's
        public key, `hook_key_jwk`). Returns the client and, for client_secret_post, its secret (shown once)."""
        if not isinstance(body, dict):
            raise ApiValidationError(["The request body must be a JSON object"])
        causes = []
        name, method, scopes = body.get("name"), body.get("tokenEndpointAuthMethod"), body.get("scopes")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 100:
            causes.append("name: 1 to 100 characters")
        if method not in CLIENT_AUTH_METHODS:
            causes.append(f"tokenEndpointAuthMethod: {' or '.join(CLIENT_AUTH_METHODS)}")
        if not isinstance(scopes, list) or not 1 <= len(scopes) <= 20:
            causes.append("scopes: a list of 1 to 20 scope names")
        elif not all(isinstance(x, str) and SCOPE_NAME.match(x) for x in scopes):
            causes.append("scopes: names of printable ASCII characters without spaces, quotes or backslashes")
        jwks = body.get("jwks")
        if method == "private_key_jwt":
            if hook_key_jwk is not None:
                jwks = {"keys": [hook_key_jwk]}
            problem = jwks_problem(jwks)
            if problem:
                causes.append(
                    f"{problem}, or hookKeyId: a hook key of this org" if problem.startswith("jwks:") else problem
                )
        if causes or not isinstance(name, str) or not isinstance(method, str) or not isinstance(scopes, list):
            raise ApiValidationError(causes)
        secret = secrets.token_urlsafe(30) if method == "client_secret_post" else None
        client = HookClient(
            client_id="0oa" + secrets.token_urlsafe(15)[:17],
            name=name.strip(),
            auth_method=method,
            scopes=tuple(scopes),
            secret_digest=_digest(secret) if secret else None,
            jwks=jwks if method == "private_key_jwt" and isinstance(jwks, dict) else None,
        )
        self.store.save_oauth_client(
            client.client_id,
            {
                "name": client.name,
                "auth_method": client.auth_method,
                "scopes": list(client.scopes),
                "secret_digest": client.secret_digest,
                "jwks": client.jwks,
            },
        )
        return client, secret

    def client(self, client_id: str) -> HookClient | None:
        found = self.store.oauth_client(client_id)
        if found is None:
            return None
        return HookClient(client_id=client_id, **{**found, "scopes": tuple(found["scopes"])})

    def token(self, form: dict[str, str], token_url: str, issuer: str) -> dict[str, Any]:
        """The client credentials grant, the client authenticated as it was registered."""
        if form.get("grant_type") != "client_credentials":
            raise OAuthError("unsupported_grant_type", "The authorization server only supports client_credentials.")
        client = self._authenticated(form, token_url)
        requested = form.get("scope", "").split()
        if not requested:
            raise OAuthError(
                "invalid_scope",
                "The authorization server resource does not have any configured default scopes, 'scope' must be "
                "provided.",
            )
        refused = [s for s in requested if s not in client.scopes]
        if refused:
            raise OAuthError("invalid_scope", f"The requested scope is invalid, unknown, or malformed: {refused[0]}")
        self.issued += 1
        return self.signing.access_token(issuer, CUSTOM_AUDIENCE, client.client_id, requested)

    def _authenticated(self, form: dict[str, str], token_url: str) -> HookClient:
        assertion = form.get("client_assertion")
        if form.get("client_assertion_type") == ASSERTION_TYPE and assertion:
            try:
                client_id = jwt.decode(assertion, options={"verify_signature": False}).get("sub")
            except jwt.InvalidTokenError:
                raise OAuthError("invalid_client", "The client_assertion is not a JWT.", 401) from None
            client = self.client(client_id) if isinstance(client_id, str) else None
            if client is None or client.auth_method != "private_key_jwt" or not client.jwks:
                raise OAuthError("invalid_client", "Client authentication failed.", 401)
            verify_assertion(assertion, client.jwks["keys"], client.client_id, token_url, self.spent)
            return client
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        client = self.client(client_id) if client_id else None
        expected = client.secret_digest if client and client.auth_method == "client_secret_post" else None
        # Compared as digests in constant time, so neither the secret's length nor its first wrong byte shows.
        if client is None or expected is None or not hmac.compare_digest(_digest(secret), expected):
            raise OAuthError("invalid_client", "Client authentication failed.", 401)
        return client


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _public_key(jwk: Any) -> Any:
    if not isinstance(jwk, dict) or jwk.get("kty") != "RSA" or "d" in jwk:
        raise ValueError("a public RSA key")
    return jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(jwk))
