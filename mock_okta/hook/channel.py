"""The inline hook channel: how Okta calls a hook over HTTP, and a record of every attempt.

Okta's rules (developer docs, "Inline hooks" concept page and best practices):
- HTTPS POST with `Accept` and `Content-Type: application/json`, the authScheme header and custom headers;
- 3 s timeout; at most one retry, only after a timeout, a network error or a 5xx, never after 2xx or 4xx;
- redirects are not followed; a response body of 256 KB or more is a failure.
The deadline here covers connect, sending, and reading the whole body: a hook that trickles one byte at a time
is cut at the deadline just like one that never answers.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import re
import ssl
import time
import zlib
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property, lru_cache
from typing import Any
from urllib.parse import urlsplit

import certifi
import httpx

from .oauth import TOKENS, OAuthClient, TokenError
from .secrets import REDACTED, Scrubber
from .settings import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, MAX_RESPONSE_BYTES, CallSettings, ConfigError
from .wire import WireTransport

MAX_URI_LENGTH = 1024
# Okta sets these itself; a custom header may not replace them.
RESERVED_HEADERS = frozenset(
    {"accept", "accept-encoding", "content-type", "content-length", "host", "transfer-encoding"}
)
# Okta sends no Accept-Encoding, which by RFC 9110 §12.5.3 accepts any coding; the channel decodes these itself
# (zlib reads both gzip and zlib-wrapped deflate) and fails any other.
DECODABLE = ("identity", "gzip", "deflate")


class Failure(StrEnum):
    """Why Okta gave up on a hook call: all but the last end an attempt, the last is the verdict's."""

    TIMEOUT = "timeout"
    CONNECTION = "connection"
    REDIRECT = "redirect"
    HTTP_STATUS = "http_status"
    TOO_LARGE = "too_large"
    # OAuth 2.0 channels: no access token from the token endpoint (refused, unreachable, too slow); not retried.
    TOKEN = "token"
    INVALID_RESPONSE = "invalid_response"


# Okta retries only after a timeout, a network error or a 5xx (the 5xx is checked on the status).
RETRIED = frozenset({Failure.TIMEOUT, Failure.CONNECTION})


@dataclass(frozen=True)
class AuthScheme:
    """authScheme type HEADER: Okta sends `key: value` verbatim with every call."""

    key: str
    value: str = field(repr=False)


# RFC 9110 field names are tokens; values are visible ASCII with inner spaces (obs-text is not sent by Okta).
_FIELD_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_FIELD_VALUE = re.compile(r"[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?")


def header_problem(name: str, value: str) -> str | None:
    """Why this header cannot be sent as it is, without repeating the value (it may be a secret), or None."""
    if not _FIELD_NAME.fullmatch(name):
        return "a header name is one word of letters, digits and !#$%&'*+-.^_`|~ (e.g. Authorization)"
    if not _FIELD_VALUE.fullmatch(value):
        return (
            f"the value of {name} must be printable ASCII, without control characters and without spaces at its "
            "start or end (it is sent verbatim)"
        )
    return None


def parse_header(text: str) -> tuple[str, str]:
    """`'Name: value'` → `('Name', 'value')`. Errors never repeat the text: it usually holds a secret."""
    name, sep, value = text.partition(":")
    name, value = name.strip(), value.strip()
    if not sep or not name:
        raise ConfigError("a header must look like 'Name: value' (the value is not shown: it may be a secret)")
    problem = header_problem(name, value)
    if problem:
        raise ConfigError(problem)
    return name, value


@dataclass(frozen=True)
class ChannelConfig:
    uri: str
    auth_scheme: AuthScheme | None = None
    headers: tuple[tuple[str, str], ...] = ()
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    strict_https: bool = False
    max_response_bytes: int = MAX_RESPONSE_BYTES
    # Channel type OAUTH: a Bearer token from the token endpoint instead of an authScheme header.
    oauth: OAuthClient | None = None
    # Whether fetching the token counts in the attempt's deadline (Okta's knowledge base: the token request and the
    # hook call must both fit in the timeout); off, the token request gets a deadline of its own.
    token_in_budget: bool = True

    def __post_init__(self) -> None:
        CallSettings(self.timeout, self.max_retries, self.strict_https)  # the one place numbers are checked
        problem = uri_problem(self.uri, strict_https=self.strict_https)
        if problem:
            raise ConfigError(problem)
        if self.oauth is not None:
            if self.auth_scheme is not None:
                raise ConfigError("an OAuth 2.0 channel has no authScheme: Okta sends the access token instead")
            causes = self.oauth.problems()
            token_url_problem = uri_problem(self.oauth.token_url, strict_https=self.strict_https)
            if token_url_problem:
                causes.append("tokenUrl: " + token_url_problem.replace("hook URI", "the URL"))
            if causes:
                raise ConfigError("; ".join(causes))
        sent = [*self.headers, *([(self.auth_scheme.key, self.auth_scheme.value)] if self.auth_scheme else [])]
        for name, value in sent:
            problem = header_problem(name, value)
            if problem:
                raise ConfigError(problem)
            if name.lower() in RESERVED_HEADERS:
                raise ConfigError(f"header {name!r} is reserved: Okta sets it itself")

    @property
    def settings(self) -> CallSettings:
        return CallSettings(self.timeout, self.max_retries, self.strict_https)

    @classmethod
    def from_header_lines(
        cls,
        uri: str,
        auth_header: str | None = None,
        headers: tuple[str, ...] | list[str] = (),
        settings: CallSettings = CallSettings(),
        *,
        oauth: OAuthClient | None = None,
    ) -> ChannelConfig:
        """A channel from `'Name: value'` lines, as the CLI and the test harness take them (and, for an OAuth 2.0
        channel, its client)."""
        return cls(
            uri,
            auth_scheme=AuthScheme(*parse_header(auth_header)) if auth_header else None,
            headers=tuple(parse_header(h) for h in headers),
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            strict_https=settings.strict_https,
            oauth=oauth,
        )

    def scrubber(self, *more: str) -> Scrubber:
        """What removes this channel's secrets (the auth header's value, custom header values, the OAuth client
        secret) and `more` (an attempt's access token) from anything shown or stored."""
        return _scrubber((*self._secrets, *more)) if more else self._own_scrubber

    # The config is frozen, so what follows from it is worked out once per config rather than on every attempt
    # (`fire` and the org's sign-ups call the same config thousands of times). cached_property writes the
    # instance's __dict__ directly, which a frozen dataclass allows; equality and hashing see only the fields.
    @cached_property
    def _secrets(self) -> tuple[str, ...]:
        values = [value for _, value in self.headers]
        values += [self.auth_scheme.value] if self.auth_scheme else []
        values += [self.oauth.client_secret] if self.oauth and self.oauth.client_secret else []
        return tuple(values)

    @cached_property
    def _own_scrubber(self) -> Scrubber:
        return _scrubber(self._secrets)

    def redact(self, text: str) -> str:
        """`text` without the secret (and other header values), e.g. an HTTP library's error that quotes them."""
        return self.scrubber().text(text)

    def request_headers(self, *, redact: bool = False) -> dict[str, str]:
        """The headers of every call; with OAuth the Bearer token is added per attempt (shown redacted here)."""
        return dict(self._redacted_headers if redact else self._headers)

    @cached_property
    def _headers(self) -> dict[str, str]:
        return self._build_headers(redact=False)

    @cached_property
    def _redacted_headers(self) -> dict[str, str]:
        return self._build_headers(redact=True)

    def _build_headers(self, *, redact: bool) -> dict[str, str]:
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        headers.update(self.headers)
        if self.auth_scheme is not None:
            headers[self.auth_scheme.key] = REDACTED if redact else self.auth_scheme.value
        if self.oauth is not None and redact:
            headers["Authorization"] = f"Bearer {REDACTED}"
        return headers


def uri_problem(uri: str, *, strict_https: bool = False) -> str | None:
    """Why Okta would reject this hook URI, or None."""
    if not uri or len(uri) > MAX_URI_LENGTH:
        return f"hook URI must be 1 to {MAX_URI_LENGTH} characters"
    if any(ch.isspace() for ch in uri):
        return "hook URI must not contain whitespace"
    if not uri.isascii() or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in uri):
        return "hook URI must be ASCII without control characters (percent-encode the rest)"
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - reading it is what validates it
    except ValueError as exc:
        return f"hook URI is not a valid URL ({exc})"
    if parts.scheme not in ("https", "http") or not parts.hostname:
        # Plain http is fine on loopback (`127.0.0.1:8080/hook` without a scheme is the usual slip): say both.
        return f"hook URI must be an absolute URL, https:// (or http:// on loopback), got {uri!r}"
    if parts.scheme == "http":
        if strict_https:
            return "hook URI must use https:// (strict HTTPS is on, as in Okta)"
        if not is_loopback(parts.hostname):
            return "hook URI must use https:// (plain http is allowed only for loopback hosts)"
    return None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Attempt:
    """One HTTP try. `error` is None for a usable answer."""

    number: int
    status: int | None
    ms: float
    bytes: int
    error: Failure | None = None
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "status": self.status,
            "ms": round(self.ms, 2),
            "bytes": self.bytes,
            "error": self.error,
            "detail": self.detail,
        }


@dataclass
class Exchange:
    """A hook call as Okta saw it: what was sent, every attempt, and the final answer."""

    uri: str
    request: dict[str, Any]
    request_headers: dict[str, str]
    attempts: list[Attempt]
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def failed(self) -> bool:
        return self.attempts[-1].error is not None

    @property
    def total_ms(self) -> float:
        return sum(attempt.ms for attempt in self.attempts)


class BodyReader:
    """A hook's answer as it streams in, decoded here (identity, gzip, deflate) one bounded piece at a time: a
    compressed answer counts by the bytes it expands to, and a gzip bomb stops at the limit instead of filling
    memory. `feed` is False once the answer reached the limit (Okta's 256 KB)."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.received = 0
        self._chunks: list[bytes] = []
        self._decoder = zlib.decompressobj(wbits=47) if encoding != "identity" else None

    @property
    def body(self) -> bytes:
        return b"".join(self._chunks)

    @property
    def too_large(self) -> str:
        return f"response body reached {self.limit} bytes; Okta's limit is 256 KB"

    def feed(self, raw: bytes) -> bool:
        self.received += len(raw)
        decoder = self._decoder
        piece = decoder.decompress(raw, self.limit - self.size + 1) if decoder else raw
        self.size += len(piece)
        if self.size >= self.limit or self.received >= self.limit or (decoder and decoder.unconsumed_tail):
            return False
        self._chunks.append(piece)
        return True


class HookChannel:
    """Calls one hook the way Okta does. Use as an async context manager; the connection pool is reused.

    `transport` swaps the network for e.g. `httpx.ASGITransport(app)`, so fast tests run a hook in-process
    through exactly the same code.
    """

    def __init__(self, config: ChannelConfig, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.config = config
        self._given = transport
        self._transport: httpx.AsyncBaseTransport | None = None
        self._url = httpx.URL(config.uri)

    async def __aenter__(self) -> HookChannel:
        # Requests go to httpx's transport directly: no client defaults (its User-Agent and Accept-Encoding would
        # let a hook depend on headers Okta never sends, CONCEPT lists Accept, Content-Type, the authScheme and
        # custom headers), no cookies, no redirects, and a third of httpx's time per call saved. The per-attempt
        # deadline is enforced with asyncio; httpx's own timeouts would split it per phase.
        self._transport = self._given or WireTransport(_tls_context())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._transport is not None:
            await self._transport.aclose()
            self._transport = None

    @property
    def transport(self) -> httpx.AsyncBaseTransport:
        if self._transport is None:
            raise RuntimeError("open the channel first: async with HookChannel(config) as channel")
        return self._transport

    async def send(self, request: dict[str, Any]) -> Exchange:
        if self._transport is None:
            raise RuntimeError("open the channel first: async with HookChannel(config) as channel")
        payload = json.dumps(request, separators=(",", ":")).encode()
        exchange = Exchange(
            uri=self.config.uri,
            request=request,
            request_headers=self.config.request_headers(redact=True),
            attempts=[],
        )
        headers = self.config.request_headers()
        for number in range(1, self.config.max_retries + 2):
            attempt = await self._attempt(self._transport, number, payload, headers, exchange)
            exchange.attempts.append(attempt)
            if not should_retry(attempt):
                break
        return exchange

    async def _attempt(
        self,
        transport: httpx.AsyncBaseTransport,
        number: int,
        payload: bytes,
        headers: dict[str, str],
        exchange: Exchange,
    ) -> Attempt:
        limit = self.config.max_response_bytes
        status: int | None = None
        reader = BodyReader("identity", limit)
        encoding = "identity"
        started = time.perf_counter()
        token_seconds = 0.0  # the part of the deadline the token request used

        scrub = self.config.scrubber()

        def done(error: Failure | None = None, detail: str = "") -> Attempt:
            # Whatever the hook answered, its echo of a secret is neither shown nor stored (and so never decided on).
            exchange.body = scrub.bytes(exchange.body)
            exchange.response_headers = scrub.texts(exchange.response_headers)
            detail = scrub.text(detail)
            return Attempt(number, status, (time.perf_counter() - started) * 1000, reader.size, error, detail)

        if self.config.oauth is not None:
            try:
                token = await TOKENS.token(self.config.oauth, transport, self.config.timeout)
            except TimeoutError:
                return done(Failure.TOKEN, f"no access token from the token endpoint within {self.config.timeout:g} s")
            except TokenError as exc:
                return done(Failure.TOKEN, str(exc))
            if self.config.token_in_budget:
                token_seconds = time.perf_counter() - started
            else:
                started = time.perf_counter()
            headers = {**headers, "Authorization": f"Bearer {token}"}
            scrub = self.config.scrubber(token)

        try:
            async with asyncio.timeout(self.config.timeout - token_seconds) as deadline:

                def sent() -> None:
                    # The deadline measures the hook: it starts once the request is on the wire, not while this
                    # process was still busy connecting and writing (a loaded machine made those count against
                    # hooks that answered in time); connecting and writing have their own bound of the same length.
                    # The attempt's time is the hook's from then on too (plus the token request's, when it counts).
                    nonlocal started
                    started = time.perf_counter() - token_seconds
                    remaining = self.config.timeout - token_seconds
                    deadline.reschedule(asyncio.get_running_loop().time() + remaining)

                outgoing = httpx.Request("POST", self._url, headers=headers, content=payload, extensions={"sent": sent})
                resp = await transport.handle_async_request(outgoing)
                try:
                    status = resp.status_code
                    exchange.status = status
                    exchange.response_headers = dict(resp.headers)
                    encoding = resp.headers.get("content-encoding", "identity").strip().lower()
                    if encoding not in DECODABLE:
                        return done(Failure.INVALID_RESPONSE, f"Content-Encoding {encoding[:40]!r} cannot be decoded")
                    reader = BodyReader(encoding, limit)
                    # The transport's stream is the body as sent: still compressed, decoded by the reader.
                    stream = resp.stream
                    assert isinstance(stream, httpx.AsyncByteStream)  # an async transport's
                    async for raw in stream:
                        if not reader.feed(raw):
                            exchange.body = reader.body
                            return done(Failure.TOO_LARGE, reader.too_large)
                finally:
                    await resp.aclose()
        except TimeoutError:
            exchange.body = reader.body
            return done(Failure.TIMEOUT, f"no complete response within {self.config.timeout:g} s")
        except httpx.TimeoutException as exc:
            return done(Failure.TIMEOUT, str(exc) or type(exc).__name__)
        except zlib.error as exc:
            exchange.body = b""
            return done(Failure.INVALID_RESPONSE, f"the {encoding} body could not be decompressed ({exc})")
        except (httpx.TransportError, OSError) as exc:
            return done(Failure.CONNECTION, self.config.redact(f"{type(exc).__name__}: {exc}".rstrip(": ")))
        exchange.body = reader.body
        if status is not None and 300 <= status < 400:
            return done(Failure.REDIRECT, f"HTTP {status}: Okta does not follow redirects")
        if status is not None and not 200 <= status < 300:
            return done(Failure.HTTP_STATUS, f"HTTP {status}")
        return done()


@lru_cache(maxsize=256)
def _scrubber(secrets: tuple[str, ...]) -> Scrubber:
    # Built once per set of secrets: every attempt needs one, and working out a secret's forms (base64, JSON) per
    # call cost `fire` a tenth of its throughput.
    return Scrubber(secrets)


@cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~20 ms; channels are opened per worker and per sign-up, so load it once.
    return ssl.create_default_context(cafile=certifi.where())


def should_retry(attempt: Attempt) -> bool:
    """Okta's retry rule: after a timeout, a network error or a 5xx; never after a 2xx or a 4xx."""
    if attempt.error in RETRIED:
        return True
    return attempt.status is not None and attempt.status >= 500


async def call_hook(
    config: ChannelConfig, request: dict[str, Any], *, transport: httpx.AsyncBaseTransport | None = None
) -> Exchange:
    async with HookChannel(config, transport=transport) as channel:
        return await channel.send(request)
