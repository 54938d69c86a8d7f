"""Classic Engine self-service registration over HTTP (the registration API the v1 widget calls, the Authn call it
makes with an activation token, the activation email's link), and what both engines share: the exchange of a session
token for the session cookie, the signed-in end page, and the mailbox the tests read."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import RedirectResponse, Response

from ...hook.ids import event_time
from .. import Org
from ..classic import setting_json
from ..errors import OktaError
from ..models import User
from .deps import base_url, client_ip, get_org
from .oidc_answers import authorize_response
from .templating import templates

router = APIRouter(include_in_schema=False)
control = APIRouter(prefix="/_mock", tags=["control"])
OrgDep = Annotated[Org, Depends(get_org)]
SESSION_COOKIE = "sid"
HOME = "/app/UserHome"


class AuthenticationFailed(OktaError):
    status = 401
    code = "E0000004"
    summary = "Authentication failed"


@router.get("/api/v1/registration/form")
async def registration_form(org: OrgDep) -> dict[str, Any]:
    return org.classic.form()


@router.post("/api/v1/registration/{policy_id}/register")
async def register(
    request: Request, org: OrgDep, policy_id: str, body: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    registered = await org.classic.register(policy_id, body, client_ip(request), base_url(request))
    # With an activation email to click there is no token: the widget then shows "Verification email sent".
    return {"activationToken": registered.activation_token} if registered.activation_token else {}


@router.post("/api/v1/authn")
async def authn(request: Request, org: OrgDep, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """Only the activation-token sign-in the v1 widget makes after a registration that needs no email; a
    username and password sign-in fails as an unknown user does (sign-in is not emulated)."""
    token = body.get("token")
    signed_in = org.sessions.session_token_for_activation(token) if isinstance(token, str) else None
    if signed_in is None:
        raise AuthenticationFailed()
    user, session_token = signed_in
    return {
        "expiresAt": event_time(),
        "status": "SUCCESS",
        "sessionToken": session_token,
        "_embedded": {"user": _authn_user(user)},
    }


@router.get("/login/sessionCookieRedirect")
async def session_cookie_redirect(request: Request, org: OrgDep, token: str = "", redirectUrl: str = "") -> Response:
    """Okta's exchange of a session token for the session cookie, then on to `redirectUrl` (this origin, or the
    configured post-registration redirect: no open redirect)."""
    user_id = org.sessions.redeem_session_token(token)
    if user_id is None:
        return _page(request, "Sign-in link expired", "This sign-in link is no longer valid. Sign in again.", 401)
    configured = org.classic.setting().post_registration_redirect
    return _signed_in(org, user_id, redirectUrl if redirectUrl == configured else _same_origin(request, redirectUrl))


@router.get("/login/token/redirect")
async def token_redirect(request: Request, org: OrgDep, stateToken: str = "") -> Response:
    """Where an Identity Engine sign-in's `success-redirect` goes: the session cookie, then the app the sign-in was
    for, which for the org's own sign-in page is the end-user dashboard (its `app` object, okta_enduser)."""
    pending = org.store.take_authorize_request(stateToken) if stateToken else None
    user_id = org.sessions.redeem_session_token(stateToken)
    if user_id is None:
        return _page(request, "Sign-in link expired", "This sign-in link is no longer valid. Sign in again.", 401)
    if pending is None:
        return _signed_in(org, user_id, HOME)
    # The sign-in was for an app's /v1/authorize: back to its redirect URI with the code (or Okta's error).
    session = org.sessions.start(user_id)
    user, info = org.oidc.session(session)
    assert user is not None
    response = authorize_response(request, org.oidc.authorization.finish(pending, user, info))
    response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="lax", path="/")
    return response


@router.get("/welcome/{token}")
async def activation_link(request: Request, org: OrgDep, token: str) -> Response:
    """The activation email's link: the user becomes ACTIVE, is signed in, and goes to the post-registration
    redirect (the end-user home page by default)."""
    user = org.classic.activate(token, client_ip(request))
    if user is None:
        text = "This activation link is invalid, expired or already used."
        return _page(request, "Activation link not valid", text, 404)
    redirect = org.classic.setting().post_registration_redirect or HOME
    return _signed_in(org, user.id, redirect)


@router.get(HOME)
async def user_home(request: Request, org: OrgDep) -> Response:
    """The end page: who is signed in (the mock's stand-in for the Okta End-User Dashboard)."""
    user = org.sessions.user(request.cookies.get(SESSION_COOKIE, ""))
    if user is None:
        return RedirectResponse("/", 302)
    context = {"user": user, "name": user.profile.get("firstName") or user.profile.get("login")}
    return templates.TemplateResponse(request, "home.html", context)


@control.get("/mailbox")
async def mailbox(org: OrgDep, to: str) -> list[dict[str, Any]]:
    """The emails the org sent to an address, oldest first: subject, text, the action link, the one-time code (the
    email authenticator's), when, which template."""
    return [
        {
            "id": m.id,
            "to": m.to,
            "subject": m.subject,
            "text": m.text,
            "link": m.link,
            "sent": m.sent,
            "template": m.template,
            "code": m.code,
        }
        for m in org.mailbox(to)
    ]


@control.get("/self-service-registration")
async def get_self_service_registration(org: OrgDep) -> dict[str, Any]:
    """The Classic org's self-service registration setting (Okta has no public API for it)."""
    return setting_json(org.classic.setting())


@control.put("/self-service-registration")
async def put_self_service_registration(org: OrgDep, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """Change the setting: `enabled`, `inlineHookId` (the Extension), `fields` ([{name, required}] in order),
    `defaultGroupId`, `activation` (EMAIL or NONE), `postRegistrationRedirect`. Left-out keys stay."""
    return setting_json(org.classic.update(body))


def _authn_user(user: User) -> dict[str, Any]:
    profile = user.profile
    return {
        "id": user.id,
        "passwordChanged": user.password_changed or user.created,  # a Classic sign-up keeps no password
        "profile": {
            "login": profile.get("login"),
            "firstName": profile.get("firstName"),
            "lastName": profile.get("lastName"),
            "locale": "en",
            "timeZone": "America/Los_Angeles",
        },
    }


def _signed_in(org: Org, user_id: str, redirect: str) -> Response:
    response = RedirectResponse(redirect, 302)
    session = org.sessions.start(user_id)
    response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="lax", path="/")
    return response


def _same_origin(request: Request, url: str) -> str:
    """`url` when it is a path or a URL of this origin; else the home page (no open redirect)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return HOME
    if not url or parts.scheme not in ("", "http", "https"):
        return HOME
    if parts.netloc and f"{parts.scheme}://{parts.netloc}" != base_url(request):
        return HOME
    if (not parts.netloc and not url.startswith("/")) or url.startswith("//"):
        return HOME
    return url


def _page(request: Request, title: str, text: str, status: int) -> Response:
    return templates.TemplateResponse(request, "notice.html", {"title": title, "text": text}, status)
