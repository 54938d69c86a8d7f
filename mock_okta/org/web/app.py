"""The org's ASGI app: a short list of routers and middleware over one `Org`."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .. import Org
from . import (
    admin,
    apps,
    authorization_servers,
    classic,
    control,
    groups,
    hook_keys,
    hosted_page,
    idx,
    inline_hooks,
    logs,
    oauth,
    oidc,
    policies,
    preview,
    schemas,
    users,
)
from .errors import EXCEPTION_HANDLERS
from .middleware import BodyLimit, RateLimit, RequestGuard

# Routes are matched in this order, one by one: the sign-up flow's, the busiest, come first.
ROUTERS = (
    idx.router,
    hosted_page.router,
    classic.router,
    inline_hooks.router,
    hook_keys.router,
    users.router,
    groups.router,
    schemas.router,
    policies.router,
    logs.router,
    authorization_servers.router,
    apps.router,
    oauth.router,
    oidc.router,
    control.router,
    classic.control,
    preview.router,
    admin.router,
)


def create_app(org: Org | None = None) -> FastAPI:
    """The app serving `org` (a new in-memory org when None); `app.state.org` is how every route reaches it."""
    app = FastAPI(
        title="mock-okta",
        description="Mock Okta org for Okta's hooks: Okta's Management API subset and the control API.",
        docs_url="/_mock/docs",
        redoc_url=None,
        exception_handlers=dict(EXCEPTION_HANDLERS),
    )
    app.state.org = org or Org()
    app.add_middleware(BodyLimit)
    app.add_middleware(RateLimit)
    app.add_middleware(RequestGuard)  # added last, so it runs first
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    assets = hosted_page.widget_dir()
    if assets.is_dir():
        app.mount("/widget", StaticFiles(directory=assets), name="widget")
    return app
