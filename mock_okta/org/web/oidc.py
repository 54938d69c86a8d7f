"""`/oauth2/{authServerId}/...`: every custom authorization server's OpenID Connect and OAuth 2.0 endpoints
(discovery, keys, authorize, token, introspect, revoke, userinfo, logout); the protocol is the org's `oidc`.

The `default` server's token endpoint also serves the clients registered for OAuth 2.0 hooks
(`POST /_mock/oauth-clients`), which are not apps: a request naming one of them goes to the hooks' server as before.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import urlencode

import jwt
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from .. import Org
from ..errors import ResourceNotFound
from ..oauth import OAuthError
from ..oauth_models import AuthorizationServer
from ..oidc import NeedsSignIn, Shown, claimed_client_id, metadata
from ..oidc.errors import ILLEGAL_LOGOUT_URI
from .classic import SESSION_COOKIE
from .deps import base_url, client_ip, get_org
from .hosted_page import authorize_sign_in_page
from .middleware import is_form
from .oidc_answers import NO_STORE, authorize_response
from .templating import templates

router = APIRouter(prefix="/oauth2/{server_id}", tags=["oauth2"])
OrgDep = Annotated[Org, Depends(get_org)]


def _server(org: Org, server_id: str) -> AuthorizationServer:
    server = org.oidc.server(server_id)
    if server is None:
        raise ResourceNotFound(server_id, "AuthorizationServer")
    return server


def _issuer(request: Request, server: AuthorizationServer) -> str:
    return f"{base_url(request)}/oauth2/{server.id}"


def oauth_error_response(error: OAuthError) -> JSONResponse:
    headers = dict(NO_STORE)
    if error.status == 401 and error.error == "invalid_token":
        headers["WWW-Authenticate"] = f'Bearer error="{error.error}", error_description="{error.description}"'
    return JSONResponse(error.to_json(), error.status, headers=headers)


async def _form(request: Request) -> dict[str, str]:
    """The urlencoded form; a parameter given twice is refused, as Okta does (illegal_duplicated_parameters)."""
    if not is_form(request.headers.get("content-type", "")):
        raise OAuthError("invalid_request", "The request must be application/x-www-form-urlencoded.", 400)
    form = await request.form()
    keys = [key for key, _ in form.multi_items()]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        raise OAuthError(
            "invalid_request",
            f"Duplicate parameter provided in request. Duplicated parameters: [{', '.join(twice)}].",
            400,
        )
    return {key: value for key, value in form.items() if isinstance(value, str)}


async def _answer(call: Callable[[], Awaitable[Any]]) -> Response:
    try:
        answer = await call()
    except OAuthError as exc:
        return oauth_error_response(exc)
    return JSONResponse(answer, headers=NO_STORE) if answer is not None else Response(status_code=200, headers=NO_STORE)


@router.get("/.well-known/openid-configuration")
async def openid_configuration(request: Request, org: OrgDep, server_id: str) -> dict[str, Any]:
    server = _server(org, server_id)
    return metadata(_issuer(request, server), base_url(request), openid=True)


@router.get("/.well-known/oauth-authorization-server")
async def oauth_authorization_server(request: Request, org: OrgDep, server_id: str) -> dict[str, Any]:
    server = _server(org, server_id)
    return metadata(_issuer(request, server), base_url(request), openid=False)


@router.get("/v1/keys")
async def keys(org: OrgDep, server_id: str) -> JSONResponse:
    """The public keys the server signs with (what a resource server or a hook checks tokens against)."""
    server = _server(org, server_id)
    return JSONResponse(org.oidc.keys.jwks(server.id), headers={"Cache-Control": "max-age=3600, must-revalidate"})


@router.get("/v1/authorize", include_in_schema=False)
async def authorize(request: Request, org: OrgDep, server_id: str) -> Response:
    """The authorization code flow: a code at the redirect URI, after the sign-in page when there is no session."""
    params = {key: value for key, value in request.query_params.items()}
    user, session = org.oidc.session(request.cookies.get(SESSION_COOKIE, ""))
    outcome = org.oidc.authorization.start(org.oidc.server(server_id), params, user, session)
    if isinstance(outcome, NeedsSignIn):
        if org.settings.engine != "ie":
            outcome = Shown(501, "not_emulated", "mock-okta signs users in to apps on Identity Engine orgs only.")
        else:
            return authorize_sign_in_page(request, org, outcome.request)
    return authorize_response(request, outcome)


@router.post("/v1/token")
async def token(request: Request, org: OrgDep, server_id: str) -> Response:
    """Tokens for the authorization_code, refresh_token and client_credentials grants; the client authenticates as
    its app's `token_endpoint_auth_method` says."""

    async def issue() -> dict[str, Any]:
        form = await _form(request)
        authorization = request.headers.get("authorization", "")
        hooks_server = org.custom_authorization_server
        if server_id == "default":
            client_id = claimed_client_id(form, authorization)
            if client_id and hooks_server.client(client_id) is not None:
                issuer = f"{base_url(request)}/oauth2/default"
                return hooks_server.token(form, f"{issuer}/v1/token", issuer)
        server = _server(org, server_id)
        issuer = _issuer(request, server)
        return await org.oidc.endpoints.token(server, form, authorization, issuer, client_ip(request), org.oidc.hook)

    return await _answer(issue)


@router.post("/v1/introspect")
async def introspect(request: Request, org: OrgDep, server_id: str) -> Response:
    async def call() -> dict[str, Any]:
        server = _server(org, server_id)
        form = await _form(request)
        authorization = request.headers.get("authorization", "")
        return org.oidc.endpoints.introspect(server, form, authorization, _issuer(request, server))

    return await _answer(call)


@router.post("/v1/revoke")
async def revoke(request: Request, org: OrgDep, server_id: str) -> Response:
    async def call() -> None:
        server = _server(org, server_id)
        form = await _form(request)
        authorization = request.headers.get("authorization", "")
        org.oidc.endpoints.revoke(server, form, authorization, _issuer(request, server))

    return await _answer(call)


@router.get("/v1/userinfo")
async def userinfo(request: Request, org: OrgDep, server_id: str) -> Response:
    """The signed-in user's claims for the access token's scopes (`Authorization: Bearer <access token>`)."""
    return await _userinfo(request, org, server_id)


@router.post("/v1/userinfo")
async def userinfo_post(request: Request, org: OrgDep, server_id: str) -> Response:
    return await _userinfo(request, org, server_id)


async def _userinfo(request: Request, org: Org, server_id: str) -> Response:
    async def call() -> dict[str, Any]:
        server = _server(org, server_id)
        authorization = request.headers.get("authorization", "")
        return org.oidc.endpoints.userinfo(server, authorization, _issuer(request, server))

    return await _answer(call)


@router.get("/v1/logout", include_in_schema=False)
async def logout(
    request: Request,
    org: OrgDep,
    server_id: str,
    id_token_hint: str = "",
    post_logout_redirect_uri: str = "",
    state: str = "",
) -> Response:
    """Ends the Okta session of the ID token's user and goes to a registered post-logout redirect URI (with
    `state`), else to the sign-in page (docs /logout)."""
    server = _server(org, server_id)
    key = org.oidc.keys.key(server.id).key.public_key()
    try:
        claims = jwt.decode(
            id_token_hint,
            key,
            algorithms=["RS256"],
            issuer=_issuer(request, server),
            options={"verify_aud": False, "verify_exp": False},
        )
    except jwt.InvalidTokenError:
        context = {"title": "invalid_request", "text": "The id_token_hint is invalid."}
        return templates.TemplateResponse(request, "notice.html", context, 400)
    app = org.store.app_by_client_id(str(claims.get("aud", "")))
    target = "/"
    if post_logout_redirect_uri:
        if app is None or post_logout_redirect_uri not in app.post_logout_redirect_uris:
            error, description, status = ILLEGAL_LOGOUT_URI
            return templates.TemplateResponse(request, "notice.html", {"title": error, "text": description}, status)
        target = post_logout_redirect_uri + (
            ("&" if "?" in post_logout_redirect_uri else "?") + urlencode({"state": state}) if state else ""
        )
    cookie = request.cookies.get(SESSION_COOKIE, "")
    user, _ = org.oidc.session(cookie)
    response = RedirectResponse(target, 302)
    if user is not None and user.id == claims.get("sub"):
        org.store.end_token("session", cookie)
        response.delete_cookie(SESSION_COOKIE, path="/")
    return response
