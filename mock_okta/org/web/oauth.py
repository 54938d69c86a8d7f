"""The org authorization server: `/oauth2/v1/token` and `/oauth2/v1/keys`, which issue access tokens for the
Management API to service apps (client credentials with `private_key_jwt`). The custom authorization servers
(`/oauth2/{authServerId}/...`, `default` among them, whose tokens OAuth 2.0 inline hooks receive) are `oidc`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from .. import Org
from ..oauth import OAuthError
from .deps import base_url, get_org

router = APIRouter(prefix="/oauth2/v1", tags=["oauth2"])
OrgDep = Annotated[Org, Depends(get_org)]
FORM = "application/x-www-form-urlencoded"


@router.post("/token")
async def token(request: Request, org: OrgDep) -> JSONResponse:
    """An access token for a service app: `grant_type=client_credentials`, `scope`, and a `client_assertion`
    signed with the app's private key, whose `aud` is this URL."""
    issuer = base_url(request)
    return await _token_answer(
        request, lambda form: org.authorization_server.token(form, f"{issuer}/oauth2/v1/token", issuer)
    )


async def _token_answer(request: Request, issue: Callable[[dict[str, str]], dict[str, Any]]) -> JSONResponse:
    if request.headers.get("content-type", "").split(";")[0].strip() != FORM:
        error = OAuthError("invalid_request", f"The token request must be {FORM}.")
        return JSONResponse(error.to_json(), error.status)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        issued = issue(form)
    except OAuthError as exc:
        return JSONResponse(exc.to_json(), exc.status, headers={"Cache-Control": "no-store"})
    return JSONResponse(issued, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


@router.get("/keys")
async def keys(org: OrgDep) -> dict[str, Any]:
    """The public keys access tokens are signed with."""
    return org.authorization_server.jwks()
