"""The mock Okta org as one ASGI app: the hosted sign-in page with the genuine Sign-In Widget, the IDX
registration endpoints, and the Management API's user read. Request parsing and replies only; the flow lives in
`idx`, the state in `store`, the hook call in the engine."""

from __future__ import annotations

import html
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import admin, api_directory, api_inline_hooks, control
from .errors import SUMMARIES, BodyLimit, OktaError, check_ssws, handle_okta_error, okta_error_response
from .idx import ION_CONTENT_TYPE, IdxReply, RegistrationFlow, message, messages
from .settings import WIDGET_GENERATIONS, MockOktaSettings
from .store import Store
from .web import base_url, client_ip

REPO_WIDGET_DIR = (
    Path(__file__).resolve().parent.parent / "widget" / "node_modules" / "@okta" / "okta-signin-widget" / "dist"
)
WIDGET_ASSETS = {
    "gen2": ("js/okta-sign-in.min.js", "css/okta-sign-in.min.css"),
    "gen3": ("js/okta-sign-in.next.js", "css/okta-sign-in.next.css"),
}


def widget_dir() -> Path:
    return Path(os.environ.get("MOCK_OKTA_WIDGET_DIR") or REPO_WIDGET_DIR)


class MockOrg:
    """The app plus the state behind it, so tests and the CLI can reach the store directly."""

    def __init__(self, store: Store | None = None, settings: MockOktaSettings | None = None) -> None:
        self.store = store or Store()
        self.settings = settings or MockOktaSettings()
        self.flow = RegistrationFlow(self.store, self.settings)
        self.require_token = Depends(self._check_token)
        self.app = build_app(self)

    def _check_token(self, request: Request) -> None:
        check_ssws(request, self.settings.api_token)


def build_app(mock: MockOrg) -> FastAPI:
    app = FastAPI(
        title="mock-okta",
        description="Mock Okta org for Registration Inline Hooks: Okta's Management API subset and the control API.",
        docs_url="/_mock/docs",
        redoc_url=None,
        exception_handlers={
            OktaError: handle_okta_error,
            RequestValidationError: _invalid_request,
            StarletteHTTPException: _http_error,
        },
    )
    app.add_middleware(BodyLimit)
    for router in (
        api_inline_hooks.router(mock),
        api_directory.users_router(mock),
        api_directory.policies_router(mock),
        api_directory.logs_router(mock),
        control.router(mock),
        admin.router(mock),
    ):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    assets = widget_dir()
    if assets.is_dir():
        app.mount("/widget", StaticFiles(directory=assets), name="widget")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def hosted_sign_in_page(widget: str | None = None) -> Response:
        generation = widget or mock.settings.widget
        if generation not in WIDGET_GENERATIONS:
            return HTMLResponse(
                _page("Unknown widget", f"<p>widget must be gen2 or gen3, not {html.escape(generation)}.</p>"), 400
            )
        script, css = WIDGET_ASSETS[generation]
        if not (assets / script).is_file():
            return HTMLResponse(_missing_widget_page(assets), 503)
        return HTMLResponse(_sign_in_page(mock.flow.start(), script, css, generation))

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    flow = mock.flow

    async def enroll_new(body: dict[str, Any], request: Request) -> IdxReply:
        ip = client_ip(request)
        return await flow.enroll_new(body.get("stateHandle"), body.get("userProfile"), base_url(request), ip)

    async def introspect(body: dict[str, Any], request: Request) -> IdxReply:
        # The hosted page boots the widget with a stateToken; later calls carry the stateHandle.
        return flow.introspect(body.get("stateToken") or body.get("stateHandle"), base_url(request))

    def by_handle(step: Callable[[Any, str], IdxReply]) -> Callable[..., Awaitable[IdxReply]]:
        async def call(body: dict[str, Any], request: Request) -> IdxReply:
            return step(body.get("stateHandle"), base_url(request))

        return call

    idx_routes: dict[str, Callable[[dict[str, Any], Request], Awaitable[IdxReply]]] = {
        "/idp/idx/introspect": introspect,
        "/idp/idx/enroll": by_handle(flow.select_enroll_profile),
        "/idp/idx/enroll/new": enroll_new,
        "/idp/idx/identify/select": by_handle(flow.select_identify),
        "/idp/idx/identify": by_handle(flow.identify),
        "/idp/idx/cancel": by_handle(flow.cancel),
    }
    for path, action in idx_routes.items():
        app.add_api_route(path, _idx_endpoint(action), methods=["POST"], include_in_schema=False)

    return app


async def _invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    causes = [f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()]
    if any(error["loc"][:1] == ("body",) for error in exc.errors()):
        return okta_error_response(400, "E0000003", SUMMARIES["E0000003"], causes)
    return okta_error_response(400, "E0000001", SUMMARIES["E0000001"].format("; ".join(causes)), causes)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Okta's error JSON for unknown routes and methods too."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 405:
        return okta_error_response(405, "E0000022", SUMMARIES["E0000022"])
    if exc.status_code == 404:
        return okta_error_response(404, "E0000007", SUMMARIES["E0000007"].format(request.url.path))
    return okta_error_response(exc.status_code, "E0000001", str(exc.detail))


def _idx_endpoint(
    action: Callable[[dict[str, Any], Request], Awaitable[IdxReply]],
) -> Callable[..., Awaitable[Response]]:
    """An IDX endpoint: a JSON object in, an ion document out."""

    async def endpoint(request: Request) -> Response:
        try:
            body = json.loads(await request.body() or b"{}")
        except (ValueError, RecursionError):
            body = None
        if isinstance(body, dict):
            reply = await action(body, request)
        else:
            reply = IdxReply(
                400, {"version": "1.0.0", "messages": messages(message("The request body must be a JSON object."))}
            )
        return Response(json.dumps(reply.body), reply.status, media_type=ION_CONTENT_TYPE)

    return endpoint


def _sign_in_page(handle: str, script: str, css: str, generation: str) -> str:
    config = json.dumps(
        {"stateToken": handle, "language": "en", "logo": "/static/logo.svg", "assets": {"baseUrl": "/widget"}}
    )
    head = f'<link href="/widget/{css}" type="text/css" rel="stylesheet"/>'
    body = f"""<div id="okta-login-container"></div>
<script src="/widget/{script}" type="text/javascript"></script>
<script type="text/javascript">
  const config = {config};
  config.baseUrl = window.location.origin;
  const signIn = new OktaSignIn(config);
  // renderEl with a stateToken is how Okta's own hosted page boots the widget (showSignIn needs an OAuth app).
  signIn.renderEl({{el: "#okta-login-container"}}, function () {{}}, function (error) {{ console.error(error); }});
</script>"""
    return _page(f"mock-okta - Sign In ({generation})", body, head)


def _missing_widget_page(assets: Path) -> str:
    return _page(
        "Sign-In Widget not installed",
        f"""<h1>The Okta Sign-In Widget is not installed</h1>
<p>mock-okta serves the genuine <code>@okta/okta-signin-widget</code> from <code>{html.escape(str(assets))}</code>,
which does not exist yet.</p>
<p>Install it from the project folder with <code>make widget</code> (or <code>npm ci --prefix widget</code>), or point
<code>MOCK_OKTA_WIDGET_DIR</code> at the package's <code>dist</code> folder, then reload this page.</p>""",
    )


def _page(title: str, body: str, head: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>{head}</head>
<body>{body}</body>
</html>"""
