"""What every route needs from a request: the org behind the app, the API token check, the org's origin and the
client's address."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request

from .. import Org
from ..errors import InvalidToken


def org_of(request: Request) -> Org:
    org: Org = request.app.state.org
    return org


async def get_org(request: Request) -> Org:
    """The org, as a dependency. Dependencies and routes are `async`: FastAPI would run a plain `def` on a worker
    thread, a dozen thread hops per request for work that never blocks for long."""
    return org_of(request)


def api_access(family: str) -> Callable[[Request], Coroutine[Any, Any, None]]:
    """The Management API's two ways in: `Authorization: SSWS <API token>` (compared in constant time), or
    `Bearer <access token>` from the org authorization server with a scope of `family` (okta.<family>.read for
    a read, .manage for a change), else 403 E0000006."""

    async def check(request: Request) -> None:
        header = request.headers.get("authorization", "")
        org = org_of(request)
        if header.startswith("Bearer "):
            token = org.authorization_server.access(header[7:].strip(), base_url(request))
            org.authorization_server.require(token, family, request.method not in ("GET", "HEAD"))
            return
        expected = org.settings.api_token.encode()
        # Okta's own Python SDK (3.4) sends "SSWS<token>" without the space, and Okta accepts it.
        if not header.startswith("SSWS") or not hmac.compare_digest(header[4:].strip().encode(), expected):
            raise InvalidToken()

    return check


def base_url(request: Request) -> str:
    """The org's origin as the client reached it (IDX hrefs and API `_links` point there)."""
    return str(request.base_url).rstrip("/")


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "127.0.0.1"
