"""The mock Okta org as one ASGI app: the hosted sign-in page with the genuine Sign-In Widget, the IDX
registration endpoints, and the Management API's user read. Request parsing and replies only; the flow lives in
`idx`, the state in `store`, the hook call in the engine."""

from __future__ import annotations

import hmac
import html
import json
import os
import secrets
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from .idx import ION_CONTENT_TYPE, IdxReply, RegistrationFlow, message, messages
from .search import SearchError, matches, parse_search
from .settings import WIDGET_GENERATIONS, MockOktaSettings
from .store import Store

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
        self.app = build_app(self)


def build_app(mock: MockOrg) -> FastAPI:
    app = FastAPI(title="mock-okta", description="Mock Okta for Registration Inline Hooks", docs_url="/_mock/docs")
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

    @app.post("/idp/idx/introspect", include_in_schema=False)
    async def introspect(request: Request) -> Response:
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        handle = body.get("stateToken") or body.get("stateHandle") or body.get("interactionHandle")
        return _ion(mock.flow.introspect(handle, _origin(request)))

    @app.post("/idp/idx/enroll", include_in_schema=False)
    async def enroll(request: Request) -> Response:
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        return _ion(mock.flow.select_enroll_profile(body.get("stateHandle"), _origin(request)))

    @app.post("/idp/idx/enroll/new", include_in_schema=False)
    async def enroll_new(request: Request) -> Response:
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        client_ip = request.client.host if request.client else "127.0.0.1"
        reply = await mock.flow.enroll_new(
            body.get("stateHandle"), body.get("userProfile"), _origin(request), client_ip
        )
        return _ion(reply)

    @app.post("/idp/idx/identify/select", include_in_schema=False)
    async def identify_select(request: Request) -> Response:
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        return _ion(mock.flow.select_identify(body.get("stateHandle"), _origin(request)))

    @app.post("/idp/idx/identify", include_in_schema=False)
    async def identify(request: Request) -> Response:
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        return _ion(mock.flow.identify(body.get("stateHandle"), _origin(request)))

    @app.post("/idp/idx/cancel", include_in_schema=False)
    async def cancel(request: Request) -> Response:
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        return _ion(mock.flow.cancel(body.get("stateHandle"), _origin(request)))

    @app.get("/api/v1/users", tags=["users"])
    async def list_users(request: Request, search: str | None = None, limit: int = 200) -> Response:
        """Users, optionally matching an Okta search expression such as `profile.email eq "pat@example.com"`."""
        denied = _check_token(request, mock.settings.api_token)
        if denied is not None:
            return denied
        try:
            terms = parse_search(search) if search else []
        except SearchError as exc:
            return okta_error(400, "E0000031", "Invalid search criteria.", [str(exc)])
        users = [user for user in mock.store.users() if matches(user, terms)]
        return JSONResponse(users[: max(1, min(limit, 200))])

    return app


async def _json_body(request: Request) -> dict[str, Any] | Response:
    raw = await request.body()
    try:
        body = json.loads(raw or b"{}")
    except (ValueError, RecursionError):
        body = None
    if not isinstance(body, dict):
        doc = {"version": "1.0.0", "messages": messages(message("The request body must be a JSON object."))}
        return Response(json.dumps(doc), 400, media_type=ION_CONTENT_TYPE)
    return body


def _ion(reply: IdxReply) -> Response:
    return Response(json.dumps(reply.body), reply.status, media_type=ION_CONTENT_TYPE)


def _origin(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def okta_error(status: int, code: str, summary: str, causes: list[str] | None = None) -> JSONResponse:
    """Okta's error JSON: errorCode, errorSummary, errorLink (= the code), errorId, errorCauses."""
    body = {
        "errorCode": code,
        "errorSummary": summary,
        "errorLink": code,
        "errorId": "oae" + secrets.token_urlsafe(16)[:19],
        "errorCauses": [{"errorSummary": cause} for cause in causes or []],
    }
    return JSONResponse(body, status)


def _check_token(request: Request, token: str) -> Response | None:
    scheme, _, supplied = request.headers.get("authorization", "").partition(" ")
    if scheme != "SSWS" or not hmac.compare_digest(supplied.strip().encode(), token.encode()):
        return okta_error(401, "E0000011", "Invalid token provided")
    return None


def _sign_in_page(handle: str, script: str, css: str, generation: str) -> str:
    config = json.dumps({"stateToken": handle, "language": "en", "assets": {"baseUrl": "/widget"}})
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
