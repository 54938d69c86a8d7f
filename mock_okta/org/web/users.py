"""`/api/v1/users`: create, search, read, deactivate and delete, with Okta's `Link` paging."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response
from fastapi.responses import JSONResponse

from .. import Org
from ..okta_json import render_user
from .deps import api_access, base_url, get_org

router = APIRouter(prefix="/api/v1/users", tags=["users"], dependencies=[Depends(api_access("users"))])
OrgDep = Annotated[Org, Depends(get_org)]
MAX_LIMIT = 200


@router.get("")
async def list_users(
    request: Request,
    org: OrgDep,
    search: str | None = None,
    filter: str | None = None,
    q: str | None = None,
    limit: int = MAX_LIMIT,
    after: str | None = None,
) -> Response:
    """Users matching `search` / `filter` (e.g. `profile.email eq "x"`, `status eq "ACTIVE"`) or `q` (prefix of
    first name, last name or email)."""
    found = org.users.find(search=search, filter=filter, q=q)
    users = [render_user(u, base_url(request), in_collection=True) for u in found]
    return paged(request, users, after, limit)


@router.post("")
async def create_user(
    request: Request, org: OrgDep, body: Annotated[dict[str, Any], Body()], activate: bool = True
) -> dict[str, Any]:
    """Create a user (e.g. to seed an existing login for a duplicate sign-up test); `activate` defaults to true."""
    return render_user(org.users.create(body, activate=activate), base_url(request))


@router.get("/{id_or_login}")
async def get_user(request: Request, org: OrgDep, id_or_login: str) -> dict[str, Any]:
    return render_user(org.users.get(id_or_login), base_url(request))


@router.post("/{user_id}/lifecycle/deactivate")
async def deactivate_user(org: OrgDep, user_id: str) -> Response:
    """200 with no body, as Okta answers (okta-sdk-python cassettes test_users_it: deactivate)."""
    org.users.deactivate(org.users.get(user_id))
    return Response(status_code=200)


@router.delete("/{user_id}", status_code=204)
async def delete_user(org: OrgDep, user_id: str) -> Response:
    """As in Okta: the first DELETE of a user that is not DEPROVISIONED deactivates it, the next deletes it."""
    org.users.delete(org.users.get(user_id))
    return Response(status_code=204)


def paged(request: Request, items: list[dict[str, Any]], after: str | None, limit: int) -> JSONResponse:
    """One page and Okta's `Link` headers (rel="self", and rel="next" with an `after` cursor when more remain)."""
    limit = max(1, min(limit, MAX_LIMIT))
    if after:
        ids = [str(item["id"]) for item in items]
        items = items[ids.index(after) + 1 :] if after in ids else []
    page = items[:limit]
    links = [f'<{request.url}>; rel="self"']
    if len(items) > limit:
        links.append(f'<{request.url.include_query_params(after=page[-1]["id"], limit=limit)}>; rel="next"')
    return JSONResponse(page, headers={"Link": ", ".join(links)})
