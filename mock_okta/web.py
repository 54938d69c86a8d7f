"""Request facts every web door of the org needs."""

from __future__ import annotations

from starlette.requests import Request


def base_url(request: Request) -> str:
    """The org's origin as the client reached it (IDX hrefs and API `_links` point there)."""
    return str(request.base_url).rstrip("/")


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "127.0.0.1"
