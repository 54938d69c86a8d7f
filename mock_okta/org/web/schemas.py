"""`/api/v1/meta/schemas/user/{default}`: the user profile schema (the Admin Console's Profile Editor)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request

from .. import Org
from ..errors import ResourceNotFound
from ..okta_json import DEFAULT_SCHEMA_ID, render_user_schema
from ..user_schema import BASE_FORMATS
from .deps import api_access, base_url, get_org

router = APIRouter(prefix="/api/v1/meta/schemas/user", tags=["schemas"], dependencies=[Depends(api_access("schemas"))])
OrgDep = Annotated[Org, Depends(get_org)]


def _render(request: Request, org: Org) -> dict[str, Any]:
    return render_user_schema(org.user_schema.attributes(), base_url(request), BASE_FORMATS)


def _check(schema_id: str) -> None:
    # The org has one user type, so one schema: `default`, or its id as the links name it.
    if schema_id not in ("default", DEFAULT_SCHEMA_ID):
        raise ResourceNotFound(schema_id, "UserSchema")


@router.get("/{schema_id}")
async def get_user_schema(request: Request, org: OrgDep, schema_id: str) -> dict[str, Any]:
    _check(schema_id)
    return _render(request, org)


@router.post("/{schema_id}")
async def update_user_schema(
    request: Request, org: OrgDep, schema_id: str, body: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Add or change custom attributes (`definitions.custom.properties`); a null definition removes one."""
    _check(schema_id)
    org.user_schema.update(body)
    return _render(request, org)
