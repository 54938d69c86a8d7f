"""`/api/v1/groups`: create, list and read groups and list a group's users (for the rule's `targetGroupIds`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response

from .. import Org
from ..okta_json import render_group, render_user
from .deps import api_access, base_url, get_org
from .users import MAX_LIMIT, paged

router = APIRouter(prefix="/api/v1/groups", tags=["groups"], dependencies=[Depends(api_access("groups"))])
OrgDep = Annotated[Org, Depends(get_org)]


@router.get("")
async def list_groups(
    request: Request, org: OrgDep, q: str | None = None, limit: int = MAX_LIMIT, after: str | None = None
) -> Response:
    """All groups, or those whose name starts with `q`."""
    return paged(request, [render_group(g, base_url(request)) for g in org.groups.find(q)], after, limit)


@router.post("")
async def create_group(request: Request, org: OrgDep, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """An OKTA_GROUP from `profile.name` (unique) and an optional `profile.description`."""
    return render_group(org.groups.create(body), base_url(request))


@router.get("/{group_id}")
async def get_group(request: Request, org: OrgDep, group_id: str) -> dict[str, Any]:
    return render_group(org.groups.get(group_id), base_url(request))


@router.get("/{group_id}/users")
async def list_group_users(
    request: Request, org: OrgDep, group_id: str, limit: int = MAX_LIMIT, after: str | None = None
) -> Response:
    members = org.groups.members(group_id)
    return paged(request, [render_user(u, base_url(request), in_collection=True) for u in members], after, limit)
