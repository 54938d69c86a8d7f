"""OAuth 2.0 for inline hooks (channel type `OAUTH`): Okta gets an access token from the channel's `tokenUrl` with
the client credentials grant and calls the hook with `Authorization: Bearer <token>`.

Okta's inline hook docs and Management API spec (`InlineHookOAuthClientSecretConfig`,
`InlineHookOAuthPrivateKeyJwtConfig`): `client_secret_post` sends `client_id` and `client_secret` in the token
request's body; `private_key_jwt` sends a client assertion signed (RS256) with the org's hook key
(`/api/v1/hook-keys`), whose `kid` is the key's `keyId`. `scope` is optional. The token is kept until shortly before
it expires (Okta documents no cache; calling the token endpoint for every sign-up would double each call's time).
"""

from __future__ import annotations

import asyncio
import json
import math
import secrets
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

from .secrets import Scrubber

CLIENT_SECRET_POST = "client_secret_post"
PRIVATE_KEY_JWT = "private_key_jwt"
AUTH_TYPES = (CLIENT_SECRET_POST, PRIVATE_KEY_JWT)
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_SECONDS = 300
# A cached token this close to its expiry is not used: the hook would receive it after it expired, or (with the
# expiry read from the token's own `exp`) our clock and the server's may disagree by that much.
EXPIRY_MARGIN_SECONDS = 30.0
MAX_TOKEN_RESPONSE_BYTES = 64 * 1024
MAX_CACHED = 256


@dataclass(frozen=True)
class OAuthClient:
    """The channel's OAuth settings. `client_secret` (client_secret_post) or `private_key` (a PEM RSA private key,
    private_key_jwt, with `key_id` its hook key's keyId) is never printed."""

    token_url: str
    client_id: str
    auth_type: str = CLIENT_SECRET_POST
    client_secret: str | None = field(default=None, repr=False)
    private_key: str | None = field(default=None, repr=False)
    key_id: str | None = None
    scope: str | None = None

    def problems(self) -> list[str]:
        causes = []
        if self.auth_type not in AUTH_TYPES:
            causes.append(f"authType: {' or '.join(AUTH_TYPES)}")
        if not self.client_id:
            causes.append("clientId: required")
        if self.auth_type == CLIENT_SECRET_POST and not self.client_secret:
            causes.append("clientSecret: required for client_secret_post")
        if self.auth_type == PRIVATE_KEY_JWT and not self.private_key:
            causes.append("hookKeyId: required for private_key_jwt (a key of /api/v1/hook-keys)")
        return causes

    def token_form(self) -> dict[str, str]:
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        if self.auth_type == CLIENT_SECRET_POST:
            form.update(client_id=self.client_id, client_secret=self.client_secret or "")
        else:
            form.update(client_assertion_type=ASSERTION_TYPE, client_assertion=self.assertion())
        return form

    def assertion(self, now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        claims = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": self.token_url,
            "iat": issued,
            "exp": issued + ASSERTION_SECONDS,
            "jti": secrets.token_urlsafe(16),
        }
        headers = {"kid": self.key_id} if self.key_id else None
        return jwt.encode(claims, self.private_key or "", algorithm="RS256", headers=headers)


class TokenError(Exception):
    """The token endpoint gave no usable access token; the message never holds the secret."""


@dataclass
class CachedToken:
    value: str
    expires_at: float  # time.time() seconds

    def usable(self, now: float) -> bool:
        return self.expires_at - EXPIRY_MARGIN_SECONDS > now


class TokenCache:
    """Access tokens by OAuth client, until shortly before they expire; concurrent callers share one fetch."""

    def __init__(self) -> None:
        self._tokens: OrderedDict[OAuthClient, CachedToken] = OrderedDict()
        # asyncio locks belong to one event loop; the CLI, the org's server and the tests each run their own.
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[OAuthClient, asyncio.Lock]] = (
            weakref.WeakKeyDictionary()
        )

    def clear(self) -> None:
        self._tokens.clear()

    def cached(self, client: OAuthClient, now: float | None = None) -> str | None:
        found = self._tokens.get(client)
        return found.value if found and found.usable(now if now is not None else time.time()) else None

    async def token(self, client: OAuthClient, transport: httpx.AsyncBaseTransport, timeout: float) -> str:
        """A cached token, or a new one from the token endpoint within `timeout` seconds (TokenError, TimeoutError)."""
        found = self.cached(client)
        if found:
            return found
        lock = self._locks.setdefault(asyncio.get_running_loop(), {}).setdefault(client, asyncio.Lock())
        async with asyncio.timeout(timeout):
            async with lock:
                found = self.cached(client)
                if found:
                    return found
                issued = await fetch_token(client, transport)
        self._tokens[client] = issued
        self._tokens.move_to_end(client)
        while len(self._tokens) > MAX_CACHED:
            self._tokens.popitem(last=False)
        return issued.value


async def fetch_token(client: OAuthClient, transport: httpx.AsyncBaseTransport) -> CachedToken:
    form = client.token_form()
    # The token endpoint may repeat what it got ("bad secret <it>"): the secret and the assertion never show.
    scrub = Scrubber([form.get("client_secret"), form.get("client_assertion")])
    request = httpx.Request(
        "POST",
        client.token_url,
        headers={"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
        content=urlencode(form).encode(),
    )
    try:
        response = await transport.handle_async_request(request)
        try:
            body = b""
            stream = response.stream
            assert isinstance(stream, httpx.AsyncByteStream)  # an async transport's
            async for chunk in stream:
                body += chunk
                if len(body) > MAX_TOKEN_RESPONSE_BYTES:
                    raise TokenError("the token endpoint's answer is too large")
        finally:
            await response.aclose()
    except (httpx.TransportError, OSError) as exc:
        raise TokenError(f"the token endpoint cannot be reached ({type(exc).__name__})") from None
    return read_token(response.status_code, body, time.time(), scrub)


def read_token(status: int, body: bytes, now: float, scrub: Scrubber = Scrubber(())) -> CachedToken:
    """The token endpoint's answer (RFC 6749 §5.1, §5.2) as a token and its expiry, or TokenError (whose text
    `scrub` cleans of what the request sent)."""
    try:
        document: Any = json.loads(body)
    except ValueError:
        document = None
    if status != 200:
        error = document.get("error") if isinstance(document, dict) else None
        # Scrubbed before it is cut: a secret cut in half would still show its first half.
        reason = f": {scrub.text(error)[:60]}" if isinstance(error, str) else ""
        raise TokenError(f"the token endpoint answered HTTP {status}{reason}")
    if not isinstance(document, dict) or not isinstance(document.get("access_token"), str):
        raise TokenError("the token endpoint's answer has no access_token")
    token = document["access_token"]
    if str(document.get("token_type", "Bearer")).lower() != "bearer":
        raise TokenError("the token endpoint's token_type is not Bearer")
    expires_in = document.get("expires_in")
    if isinstance(expires_in, int | float) and not isinstance(expires_in, bool) and expires_in > 0:
        return CachedToken(token, now + _seconds(expires_in, 0.0))
    try:  # no expires_in: the token's own `exp`, on the server's clock (the margin absorbs a small skew)
        exp = jwt.decode(token, options={"verify_signature": False}).get("exp")
    except jwt.InvalidTokenError:
        exp = None
    return CachedToken(token, _seconds(exp, now))


def _seconds(exp: Any, now: float) -> float:
    """A JWT `exp` as a timestamp, or `now` (not cached) when it is no usable number: a 401-digit integer
    overflows a float, and `1e400` reads as infinity."""
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        return now
    try:
        seconds = float(exp)
    except OverflowError:
        return now
    return seconds if math.isfinite(seconds) else now


# One cache per process, like Okta's per org: every channel to the same token endpoint with the same client reuses
# the token.
TOKENS = TokenCache()
