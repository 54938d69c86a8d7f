"""`/api/v1/apps`: OpenID Connect apps (`signOnMode: OPENID_CONNECT`), their lifecycle (200 `{}`, as the docs'
examples answer) and their user and group assignments. Other sign-on modes answer 501."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response
from fastapi.responses import JSONResponse

from .. import Org
from ..oauth_json import render_app
from ..oauth_models import LifecycleStatus
from .deps import api_access, base_url, get_org
from .users import MAX_LIMIT, paged

router = APIRouter(prefix="/api/v1/apps", tags=["apps"], dependencies=[Depends(api_access("apps"))])
OrgDep = Annotated[Org, Depends(get_org)]
JsonBody = Annotated[dict[str, Any], Body()]


@router.get("")
async def list_applications(
    request: Request, org: OrgDep, q: str | None = None, limit: int = MAX_LIMIT, after: str | None = None
) -> Response:
    return paged(request, [render_app(a, base_url(request)) for a in org.apps.find(q)], after, limit)


@router.post("")
async def create_application(request: Request, org: OrgDep, body: JsonBody, activate: bool = True) -> dict[str, Any]:
    """An OpenID Connect app; its generated client secret is in this answer only."""
    app, secret = org.apps.create(body, activate=activate)
    return render_app(app, base_url(request), secret)


@router.get("/{app_id}")
async def get_application(request: Request, org: OrgDep, app_id: str) -> dict[str, Any]:
    return render_app(org.apps.get(app_id), base_url(request))


@router.put("/{app_id}")
async def replace_application(request: Request, org: OrgDep, app_id: str, body: JsonBody) -> dict[str, Any]:
    app, secret = org.apps.replace(app_id, body)
    return render_app(app, base_url(request), secret)


@router.delete("/{app_id}", status_code=204)
async def delete_application(org: OrgDep, app_id: str) -> Response:
    """Only an INACTIVE app (else 403 E0000056)."""
    org.apps.delete(app_id)
    return Response(status_code=204)


@router.post("/{app_id}/lifecycle/activate")
async def activate_application(org: OrgDep, app_id: str) -> dict[str, Any]:
    org.apps.set_status(app_id, LifecycleStatus.ACTIVE)
    return {}


@router.post("/{app_id}/lifecycle/deactivate")
async def deactivate_application(org: OrgDep, app_id: str) -> dict[str, Any]:
    org.apps.set_status(app_id, LifecycleStatus.INACTIVE)
    return {}


def _app_user(request: Request, org: Org, app_id: str, user_id: str, assigned: str) -> dict[str, Any]:
    """The Application User object (docs `reference/api/apps`, "Assign user to application for SSO"), without the
    nulls the docs' example has where the spec says string."""
    user = org.users.get(user_id)
    origin = base_url(request)
    return {
        "id": user.id,
        "created": assigned,
        "lastUpdated": assigned,
        "scope": "USER",
        "status": "ACTIVE",
        "statusChanged": assigned,
        "syncState": "DISABLED",
        "credentials": {"userName": user.login},
        "profile": {},
        "_links": {
            "app": {"href": f"{origin}/api/v1/apps/{app_id}"},
            "user": {"href": f"{origin}/api/v1/users/{user.id}"},
        },
    }


@router.get("/{app_id}/users")
async def list_application_users(request: Request, org: OrgDep, app_id: str) -> list[dict[str, Any]]:
    app = org.apps.get(app_id)
    assigned = org.store.assignments(app.id, "USER")
    return [_app_user(request, org, app.id, uid, when) for uid, when in assigned if org.store.user(uid)]


@router.post("/{app_id}/users")
async def assign_user_to_application(request: Request, org: OrgDep, app_id: str, body: JsonBody) -> dict[str, Any]:
    """`{"id": <user id>}`: the user may sign in to the app (Okta refuses tokens to unassigned users)."""
    user_id, when = org.apps.assign_user(app_id, body)
    return _app_user(request, org, app_id, user_id, when)


@router.delete("/{app_id}/users/{user_id}", status_code=204)
async def unassign_application_from_user(org: OrgDep, app_id: str, user_id: str) -> Response:
    org.apps.unassign_user(app_id, user_id)
    return Response(status_code=204)


@router.get("/{app_id}/groups")
async def list_application_group_assignments(request: Request, org: OrgDep, app_id: str) -> list[dict[str, Any]]:
    app = org.apps.get(app_id)
    origin = base_url(request)
    return [
        {"id": gid, "lastUpdated": when, "priority": 0, "_links": {"group": {"href": f"{origin}/api/v1/groups/{gid}"}}}
        for gid, when in org.store.assignments(app.id, "GROUP")
    ]


@router.put("/{app_id}/groups/{group_id}")
async def assign_group_to_application(org: OrgDep, app_id: str, group_id: str) -> JSONResponse:
    """The group's members may sign in to the app; the Application Group object answers."""
    when = org.apps.assign_group(app_id, group_id)
    return JSONResponse({"id": group_id, "lastUpdated": when, "priority": 0})


@router.delete("/{app_id}/groups/{group_id}", status_code=204)
async def unassign_application_from_group(org: OrgDep, app_id: str, group_id: str) -> Response:
    org.apps.unassign_group(app_id, group_id)
    return Response(status_code=204)
