"""`/api/v1/groups`: create, list and read groups and list a group's users (for the rule's `targetGroupIds`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response

from .. import Org
from ..errors import ApiValidationError, ResourceNotFound
from ..models import Group
from ..okta_json import render_group, render_user
from .deps import api_access, base_url, get_org
from .users import MAX_LIMIT, paged

router = APIRouter(prefix="/api/v1/groups", tags=["groups"], dependencies=[Depends(api_access("groups"))])
OrgDep = Annotated[Org, Depends(get_org)]


def _group(org: Org, group_id: str) -> Group:
    group = org.store.group(group_id)
    if group is None:
        raise ResourceNotFound(group_id, "UserGroup")
    return group


@router.get("")
async def list_groups(
    request: Request, org: OrgDep, q: str | None = None, limit: int = MAX_LIMIT, after: str | None = None
) -> Response:
    """All groups, or those whose name starts with `q`."""
    groups = [g for g in org.store.groups() if not q or g.name.lower().startswith(q.lower())]
    return paged(request, [render_group(g, base_url(request)) for g in groups], after, limit)


@router.post("")
async def create_group(request: Request, org: OrgDep, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """An OKTA_GROUP from `profile.name` (unique) and an optional `profile.description`."""
    profile = body.get("profile")
    name = profile.get("name") if isinstance(profile, dict) else None
    description = profile.get("description") if isinstance(profile, dict) else None
    causes = []
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 255:
        causes.append("profile.name: The field cannot be left blank and must be at most 255 characters")
    elif any(g.name.lower() == name.strip().lower() for g in org.store.groups()):
        causes.append("profile.name: An object with this field already exists in the current organization")
    if description is not None and (not isinstance(description, str) or len(description) > 1024):
        causes.append("profile.description: Must be a string of at most 1024 characters")
    if causes or not isinstance(name, str):
        raise ApiValidationError(causes)
    return render_group(org.store.create_group(name.strip(), description), base_url(request))


@router.get("/{group_id}")
async def get_group(request: Request, org: OrgDep, group_id: str) -> dict[str, Any]:
    return render_group(_group(org, group_id), base_url(request))


@router.get("/{group_id}/users")
async def list_group_users(
    request: Request, org: OrgDep, group_id: str, limit: int = MAX_LIMIT, after: str | None = None
) -> Response:
    members = org.store.members(_group(org, group_id).id)
    return paged(request, [render_user(u, base_url(request), in_collection=True) for u in members], after, limit)
