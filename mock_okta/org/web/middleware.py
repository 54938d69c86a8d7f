"""ASGI middleware of the org's app: the Host allow-list, same-origin writes for the browser routes, Okta's rate
limits, and the body limit with JSON that can be stored and sent again."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...hook.jsonsafe import UnrepresentableJson, loads_strict
from ..errors import BodyTooLarge, Forbidden, MalformedBody, RateLimited
from .errors import okta_error_response

MAX_BODY_BYTES = 1024 * 1024
# Routes a developer's browser uses without a token: a page on another site must not drive them (CSRF).
BROWSER_ROUTES = ("/admin", "/_mock")
JSON_TYPES = ("application/json", "application/ion+json")


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def is_json(content_type: str) -> bool:
    media = content_type.partition(";")[0].strip().lower()
    return media in JSON_TYPES or media.endswith("+json")


def is_form(content_type: str) -> bool:
    media = content_type.partition(";")[0].strip().lower()
    return media in ("application/x-www-form-urlencoded", "multipart/form-data")


def host_of(authority: str) -> str:
    """`Host` header → host name, without port or IPv6 brackets."""
    try:
        return (urlsplit(f"//{authority}").hostname or "").lower()
    except ValueError:
        return ""


def _netloc(url: str) -> str | None:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:  # e.g. an Origin of "http://[::1": not ours, whatever it is
        return None


def is_loopback_name(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class RequestGuard:
    """Refuses, with Okta's error JSON and 403:
    - a `Host` that is neither a loopback name nor one the org allows (`serve --host`, `--allowed-host`): a DNS
      rebinding page cannot read the journal or change the org through the developer's browser;
    - a state-changing request to `/admin` or `/_mock` that a browser sent from another site (its `Origin` or
      `Sec-Fetch-Site` says so): no cross-site request forgery of the admin pages and the control API.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        authority = _header(scope, b"host")
        host = host_of(authority)
        if not (is_loopback_name(host) or host in scope["app"].state.org.settings.allowed_hosts):
            error = Forbidden([f"Host {host or '(none)'!r} is not allowed: serve --allowed-host {host or 'NAME'}"])
            await okta_error_response(error)(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD", "OPTIONS") and scope["path"].startswith(BROWSER_ROUTES):
            origin = _header(scope, b"origin")
            cross = (
                _header(scope, b"sec-fetch-site") in ("cross-site", "same-site")
                or origin == "null"
                or (origin != "" and _netloc(origin) != authority.lower())
            )
            if cross:
                error = Forbidden(["cross-site requests cannot change the org: use the admin pages on this origin"])
                await okta_error_response(error)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class RateLimit:
    """Okta's rate-limit headers on every `/api/v1` answer, and 429 E0000047 once a family's quota is spent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/v1/"):
            await self.app(scope, receive, send)
            return
        quota = scope["app"].state.org.rate_limits.take(scope["path"])
        if quota.exceeded:
            response = okta_error_response(RateLimited())
            response.headers.update({k.decode(): v.decode() for k, v in quota.headers()})
            await response(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *quota.headers()]}
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Request bodies over `limit` bytes get Okta's error JSON with 413, whether declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._reject(scope, receive, send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                await self._reject(scope, receive, send)
                return
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        # Any body that parses as JSON, whatever it claims to be: some endpoints read JSON from text/plain too.
        if body.strip() and not is_form(_header(scope, b"content-type")):
            try:
                loads_strict(body)
            except UnrepresentableJson as exc:
                await okta_error_response(MalformedBody([f"the JSON cannot be stored: {exc}"]))(scope, receive, send)
                return
            except ValueError:
                pass  # not JSON at all: each endpoint answers that in its own shape
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        await okta_error_response(BodyTooLarge(self.limit))(scope, receive, send)
