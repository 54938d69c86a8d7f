"""The Preview tab of an inline hook (Admin Console, Workflow > Inline Hooks > Preview), for every emulated hook
type: the type's own form builds a request (from the org's users or a generated one), "View Response" calls the
hook through the org's one call path and shows what Okta does with the answer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from ...hook.jsonsafe import loads_strict
from ...hook.overrides import OverrideError
from ...hook.registry import HookType, PreviewContext
from .. import Org
from ..errors import HookTypeNotEmulated
from ..models import InlineHook
from .deps import client_ip, get_org
from .templating import templates

router = APIRouter(prefix="/admin/inline-hooks/{hook_id}/preview", include_in_schema=False)
OrgDep = Annotated[Org, Depends(get_org)]


def preview_context(org: Org) -> PreviewContext:
    return PreviewContext(
        users=tuple((user.id, dict(user.profile)) for user in org.users.find()),
        engine=org.settings.engine,
        classic_policy_id=org.classic.setting().policy_id,
    )


def _hook_type(org: Org, hook: InlineHook) -> HookType[Any] | JSONResponse:
    """The stored hook's type, or the answer the Preview tab shows for a type the mock does not call."""
    try:
        return org.inline_hooks.hook_type(hook)
    except HookTypeNotEmulated as exc:
        return JSONResponse({"error": exc.summary}, exc.status)


@router.get("")
async def preview(request: Request, org: OrgDep, hook_id: str) -> Response:
    hook = org.inline_hooks.get(hook_id)
    hook_type = org.inline_hooks.hook_type(hook)
    return templates.TemplateResponse(
        request,
        "admin/preview.html",
        {
            "title": f"Preview: {hook.name}",
            "hook": hook,
            "hook_type": hook_type,
            "fields": hook_type.preview_fields(preview_context(org)),
        },
    )


@router.post("/request")
async def preview_request(request: Request, org: OrgDep, hook_id: str) -> Response:
    hook_type = _hook_type(org, org.inline_hooks.get(hook_id))
    if isinstance(hook_type, JSONResponse):
        return hook_type
    try:
        choice = loads_strict(await request.body())
    except ValueError:
        choice = None
    if not isinstance(choice, dict):
        return JSONResponse({"error": "Choose the request's options."}, 400)
    try:
        return JSONResponse(hook_type.preview_request(choice, preview_context(org)))
    except (ValueError, OverrideError) as exc:
        return JSONResponse({"error": str(exc)}, 400)


@router.post("/response")
async def preview_response(request: Request, org: OrgDep, hook_id: str) -> Response:
    hook = org.inline_hooks.get(hook_id)
    hook_type = _hook_type(org, hook)
    if isinstance(hook_type, JSONResponse):
        return hook_type
    try:
        body = loads_strict(await request.body())
    except ValueError as exc:
        return JSONResponse({"error": f"The request is not valid JSON: {exc}"}, 400)
    if not isinstance(body, dict):
        return JSONResponse({"error": "The request must be a JSON object."}, 400)
    run = await org.inline_hooks.call_as(hook_type, hook, body, client_ip(request))
    return JSONResponse(run.to_json())
