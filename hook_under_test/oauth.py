"""Bearer token validation for a hook behind OAuth 2.0 (Okta's "Add OAuth 2.0 authentication fields to your hook"):
the token must be a JWT signed by one of the authorization server's keys (found through its RFC 8414 metadata),
with the expected issuer and audience, not expired, and carrying the required scope. Anything else is a 401."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import jwt

LEEWAY_SECONDS = 30  # clock difference tolerated on exp/iat/nbf
KEYS_REFRESH_SECONDS = 300  # an unknown kid refetches the keys at most this often (key rotation, not per request)


@dataclass
class TokenValidator:
    issuer: str
    audience: str = "api://default"
    scope: str | None = None
    _keys: dict[str, Any] = field(default_factory=dict, repr=False)
    _fetched: float = 0.0

    async def valid(self, authorization: bytes | None) -> bool:
        """Whether `Authorization: Bearer <token>` carries a token this hook accepts."""
        # The scheme is case-insensitive (RFC 7235 §2.1): `bearer x` is as good as `Bearer x`.
        scheme, _, credentials = (authorization or b"").partition(b" ")
        if scheme.lower() != b"bearer" or not credentials.strip():
            return False
        token = credentials.strip().decode("latin-1")
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.InvalidTokenError:
            return False
        key = self._keys.get(kid) if isinstance(kid, str) else None
        if key is None and time.monotonic() - self._fetched > (KEYS_REFRESH_SECONDS if self._keys else 0):
            await asyncio.to_thread(self._fetch_keys)
            key = self._keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            return False
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.InvalidTokenError:
            return False
        granted = claims.get("scp") or str(claims.get("scope", "")).split()
        return self.scope is None or (isinstance(granted, list) and self.scope in granted)

    def _fetch_keys(self) -> None:
        self._fetched = time.monotonic()
        try:
            metadata = _get_json(f"{self.issuer.rstrip('/')}/.well-known/oauth-authorization-server")
            jwks = _get_json(str(metadata["jwks_uri"]))
            self._keys = {
                k["kid"]: jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(k))
                for k in jwks.get("keys", [])
                if isinstance(k, dict) and k.get("kty") == "RSA" and isinstance(k.get("kid"), str)
            }
        except (OSError, ValueError, KeyError, TypeError, jwt.PyJWTError):
            pass  # the authorization server is unreachable or odd: no token validates until it answers


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read(1024 * 1024))
