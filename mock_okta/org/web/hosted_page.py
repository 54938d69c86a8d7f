"""The org's hosted sign-in page: the genuine Okta Sign-In Widget (npm `@okta/okta-signin-widget`), Gen2 or Gen3
booted with a fresh IDX state handle the way Okta's own hosted page boots it, or, for a Classic Engine org, the
package's Classic (v1) bundle."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ...hook.settings import ENGINES, Engine
from .. import Org
from ..magic_link import DEVICE_COOKIE
from ..settings import WIDGET_GENERATIONS, WidgetGeneration
from .deps import get_org
from .templating import templates

WIDGET_PACKAGE = "@okta/okta-signin-widget"
# The version widget/package-lock.json pins; `mock-okta widget install` installs the same one.
WIDGET_VERSION = "7.49.0"
REPO_WIDGET_ROOT = Path(__file__).resolve().parents[3] / "widget"
WIDGET_ASSETS = {
    "gen2": ("js/okta-sign-in.min.js", "css/okta-sign-in.min.css"),
    "gen3": ("js/okta-sign-in.next.js", "css/okta-sign-in.next.css"),
    # The Classic Engine (v1) bundle of the same package; it reads `/api/v1/registration/form`.
    "classic": ("js/okta-sign-in.classic.min.js", "css/okta-sign-in.min.css"),
}

router = APIRouter(include_in_schema=False)
DEVICE_COOKIE_SECONDS = 5 * 365 * 24 * 3600  # a device cookie outlives sessions: it names the browser


def user_widget_root() -> Path:
    """Where `mock-okta widget install` puts the widget when mock-okta is installed outside a checkout."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "mock-okta" / "widget"


def dist_of(root: Path) -> Path:
    return root / "node_modules" / "@okta" / "okta-signin-widget" / "dist"


def widget_dir() -> Path:
    """The widget's `dist` folder: `MOCK_OKTA_WIDGET_DIR`; else the checkout's (`make widget`) or the user's
    (`mock-okta widget install`), whichever is installed; else where `mock-okta widget install` would put it."""
    if os.environ.get("MOCK_OKTA_WIDGET_DIR"):
        return Path(os.environ["MOCK_OKTA_WIDGET_DIR"])
    cache = os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME")
    found = _found_widget.get(cache)
    if found is not None:
        return found
    candidates = [dist_of(REPO_WIDGET_ROOT), dist_of(user_widget_root())]
    installed = [c for c in candidates if (c / WIDGET_ASSETS["gen2"][0]).is_file()]
    if installed:
        # Every page asks; an installed widget stays where it is, so its place is looked up once. A missing one is
        # looked for again on the next page: `mock-okta widget install` may run while the org serves.
        _found_widget[cache] = installed[0]
        return installed[0]
    return candidates[0] if (REPO_WIDGET_ROOT / "package.json").is_file() else candidates[1]


_found_widget: dict[tuple[str | None, str | None], Path] = {}


def widget_installed() -> bool:
    return (widget_dir() / WIDGET_ASSETS[WidgetGeneration.GEN2][0]).is_file()


@router.get("/")
async def hosted_sign_in_page(
    request: Request, org: Annotated[Org, Depends(get_org)], widget: str | None = None, engine: str | None = None
) -> Response:
    engine = engine or org.settings.engine
    if engine not in ENGINES:
        return templates.TemplateResponse(request, "unknown_widget.html", {"generation": engine, "engine": True}, 400)
    return _sign_in_page(request, org, engine, widget or org.settings.widget, None)


@router.get("/email/verify/{app_id}")
async def email_magic_link(
    request: Request, org: Annotated[Org, Depends(get_org)], app_id: str, token: str = ""
) -> Response:
    """The email authenticator's magic link, `/email/verify/{app id}?token=...`: in the browser the transaction
    started in, the address is verified; in another, the page shows the code to enter there (`Journey.magic_link`).
    """
    handle = org.flow.journey.magic_link(token, request.cookies.get(DEVICE_COOKIE, ""))
    if handle is None:
        text = "This email verification link is invalid, expired or already used. Enter the code instead."
        context = {"title": "Email link not valid", "text": text}
        return templates.TemplateResponse(request, "notice.html", context, 404)
    return _sign_in_page(request, org, Engine.IE, org.settings.widget, handle)


def authorize_sign_in_page(request: Request, org: Org, authorize_request: dict[str, object]) -> Response:
    """The sign-in page for `/v1/authorize` without a session: a new Identity Engine transaction that remembers
    the authorize request, which `/login/token/redirect` finishes once the user is signed in."""
    device = request.cookies.get(DEVICE_COOKIE) or secrets.token_urlsafe(16)
    handle = org.flow.start(device)
    org.store.save_authorize_request(handle, authorize_request)
    return _sign_in_page(request, org, Engine.IE, org.settings.widget, handle, device)


def _sign_in_page(
    request: Request, org: Org, engine: str, widget: str, state_token: str | None, device: str | None = None
) -> Response:
    generation = "classic" if engine == Engine.CLASSIC else widget
    if engine == Engine.IE and generation not in WIDGET_GENERATIONS:
        return templates.TemplateResponse(request, "unknown_widget.html", {"generation": generation}, 400)
    script, css = WIDGET_ASSETS[generation]
    assets = widget_dir()
    if not (assets / script).is_file():
        return templates.TemplateResponse(request, "missing_widget.html", {"assets": str(assets)}, 503)
    config: dict[str, object] = {"language": "en", "logo": "/static/logo.svg", "assets": {"baseUrl": "/widget"}}
    if engine == Engine.CLASSIC:
        ssr = org.classic.setting()
        # A Classic org's page: no state token; "Sign up" shows when self-service registration is on (widget ≥ 2.9).
        config.update(useClassicEngine=True, features={"registration": ssr.enabled})
        redirect = ssr.post_registration_redirect or "/app/UserHome"
    device = device or request.cookies.get(DEVICE_COOKIE) or secrets.token_urlsafe(16)
    if engine != Engine.CLASSIC:
        config["stateToken"] = state_token or org.flow.start(device)
        redirect = ""
    context = {"config": config, "script": script, "css": css, "generation": generation, "redirect": redirect}
    response = templates.TemplateResponse(request, "sign_in.html", context)
    # The browser's device cookie, which binds the transactions it starts to it (magic_link).
    response.set_cookie(DEVICE_COOKIE, device, max_age=DEVICE_COOKIE_SECONDS, httponly=True, samesite="lax")
    return response


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/favicon.ico")
async def favicon() -> Response:
    return Response(status_code=204)
