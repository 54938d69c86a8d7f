"""What the `okta_tokens` issuers (mock and org) and the token browser cases share: the objects they create through
the Management API (a token inline hook, an OIDC web app, a user) and the checks of the tokens an org issues.

Sources: okta-developer-docs `docs/reference/api/inline-hooks/index.md` (a hook's channel and HEADER authScheme),
`docs/reference/api/apps/index.md` (an OIDC client application), OpenID Connect Core §3.1.3.6-7 (`at_hash`,
`nonce`), RFC 7636 §4.2 (S256)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Any

import jwt

TOKEN_HOOK_TYPE = "com.okta.oauth2.tokens.transform"


def token_hook_body(name: str, hook_url: str, auth_header: str | None) -> dict[str, Any]:
    """An ACTIVE token inline hook (`com.okta.oauth2.tokens.transform`) calling `hook_url` with `auth_header` as its
    HEADER authScheme (docs inline-hooks API)."""
    config: dict[str, Any] = {"uri": hook_url, "method": "POST"}
    if auth_header:
        key, _, value = auth_header.partition(":")
        config["authScheme"] = {"type": "HEADER", "key": key.strip(), "value": value.strip()}
    return {
        "name": name,
        "type": TOKEN_HOOK_TYPE,
        "version": "1.0.0",
        "channel": {"type": "HTTP", "version": "1.0.0", "config": config},
    }


def web_app_body(label: str, redirect_uri: str) -> dict[str, Any]:
    """An OpenID Connect web app (docs api/apps, "Add OAuth 2.0 Client application"): the authorization code, refresh
    token and client credentials grants, `client_secret_basic`, one login redirect URI."""
    return {
        "name": "oidc_client",
        "label": label,
        "signOnMode": "OPENID_CONNECT",
        "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_basic"}},
        "settings": {
            "oauthClient": {
                "application_type": "web",
                "grant_types": ["authorization_code", "refresh_token", "client_credentials"],
                "response_types": ["code"],
                "redirect_uris": [redirect_uri],
            }
        },
    }


def user_profile(user: str | Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The login and the full profile of a user to create from a login or profile attributes."""
    profile = {"login": user} if isinstance(user, str) else dict(user)
    login = str(profile.get("login") or profile.get("email") or "")
    if not login:
        raise ValueError("user: a login, or profile attributes with `login` or `email`")
    local = login.partition("@")[0]
    return login, {"firstName": local[:50] or "Okta", "lastName": "Tokens", "email": login, **profile, "login": login}


def new_password() -> str:
    """A password Okta's default password policy accepts (length, upper, lower, digit, symbol-free is fine)."""
    return f"Tk-{secrets.token_urlsafe(12)}-9a"


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


def s256(verifier: str) -> str:
    """RFC 7636 §4.2: BASE64URL(SHA256(code_verifier)), unpadded."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
