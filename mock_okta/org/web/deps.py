"""What every route needs from a request: the org behind the app, the API token check, the org's origin and the
client's address."""

from __future__ import annotations

import hmac

from fastapi import Request

from .. import Org
from ..errors import InvalidToken


def get_org(request: Request) -> Org:
    org: Org = request.app.state.org
    return org


def require_api_token(request: Request) -> None:
    """`Authorization: SSWS <token>`, compared in constant time."""
    header = request.headers.get("authorization", "")
    token = get_org(request).settings.api_token
    # Okta's own Python SDK (3.4) sends "SSWS<token>" without the space, and Okta accepts it.
    if not header.startswith("SSWS") or not hmac.compare_digest(header[4:].strip().encode(), token.encode()):
        raise InvalidToken()


def base_url(request: Request) -> str:
    """The org's origin as the client reached it (IDX hrefs and API `_links` point there)."""
    return str(request.base_url).rstrip("/")


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "127.0.0.1"
