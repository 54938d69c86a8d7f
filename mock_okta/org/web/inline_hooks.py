"""`/api/v1/inlineHooks`: Okta's Inline Hooks Management API, including `execute`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response
from fastapi.responses import JSONResponse

from ...hook.channel import Failure
from .. import Org
from ..errors import ApiValidationError, HookCommunicationError, HookTimeout
from ..models import HookStatus
from ..okta_json import render_hook
from .deps import api_access, base_url, client_ip, get_org

router = APIRouter(
    prefix="/api/v1/inlineHooks", tags=["inlineHooks"], dependencies=[Depends(api_access("inlineHooks"))]
)
OrgDep = Annotated[Org, Depends(get_org)]
JsonBody = Annotated[dict[str, Any], Body()]


@router.get("")
async def list_inline_hooks(request: Request, org: OrgDep, type: str | None = None) -> list[dict[str, Any]]:
    """All inline hooks, or those of one `type`."""
    return [render_hook(h, base_url(request)) for h in org.inline_hooks.all(type)]


@router.post("")
async def create_inline_hook(request: Request, org: OrgDep, body: JsonBody) -> dict[str, Any]:
    """Create an inline hook; it starts ACTIVE."""
    return render_hook(org.inline_hooks.create(body), base_url(request))


@router.get("/{inline_hook_id}")
async def get_inline_hook(request: Request, org: OrgDep, inline_hook_id: str) -> dict[str, Any]:
    return render_hook(org.inline_hooks.get(inline_hook_id), base_url(request))


@router.put("/{inline_hook_id}")
async def replace_inline_hook(request: Request, org: OrgDep, inline_hook_id: str, body: JsonBody) -> dict[str, Any]:
    """Replace name, version and channel; the type cannot change."""
    hooks = org.inline_hooks
    return render_hook(hooks.update(hooks.get(inline_hook_id), body, partial=False), base_url(request))


@router.post("/{inline_hook_id}")
async def update_inline_hook(request: Request, org: OrgDep, inline_hook_id: str, body: JsonBody) -> dict[str, Any]:
    """Change only the fields given."""
    hooks = org.inline_hooks
    return render_hook(hooks.update(hooks.get(inline_hook_id), body, partial=True), base_url(request))


@router.delete("/{inline_hook_id}", status_code=204)
async def delete_inline_hook(org: OrgDep, inline_hook_id: str) -> Response:
    """Only an INACTIVE hook can be deleted."""
    org.inline_hooks.delete(org.inline_hooks.get(inline_hook_id))
    return Response(status_code=204)


@router.post("/{inline_hook_id}/lifecycle/activate")
async def activate_inline_hook(request: Request, org: OrgDep, inline_hook_id: str) -> dict[str, Any]:
    hooks = org.inline_hooks
    return render_hook(hooks.set_status(hooks.get(inline_hook_id), HookStatus.ACTIVE), base_url(request))


@router.post("/{inline_hook_id}/lifecycle/deactivate")
async def deactivate_inline_hook(request: Request, org: OrgDep, inline_hook_id: str) -> dict[str, Any]:
    hooks = org.inline_hooks
    return render_hook(hooks.set_status(hooks.get(inline_hook_id), HookStatus.INACTIVE), base_url(request))


@router.post("/{inline_hook_id}/execute")
async def execute_inline_hook(request: Request, org: OrgDep, inline_hook_id: str, body: JsonBody) -> Response:
    """Send `body` to the hook exactly as Okta would; answer with the hook's body or Okta's error."""
    hook = org.inline_hooks.get(inline_hook_id)
    if not hook.active:
        raise ApiValidationError(["The inline hook is INACTIVE"])
    run = await org.inline_hooks.call(hook, body, client_ip(request))
    last = run.exchange.attempts[-1]
    if last.error is not None:
        # Okta's error codes: E0000137 for a callback timeout, E0000134 for every other failed call.
        error = HookTimeout if last.error == Failure.TIMEOUT else HookCommunicationError
        raise error([last.detail or last.error])
    if run.exchange.status == 204:
        return JSONResponse({})
    parsed = run.response_body()
    if not isinstance(parsed, dict):
        raise HookCommunicationError(["The inline hook's response is not a JSON object"])
    if run.verdict.failure:
        # Okta returns the answer only when it fits the hook's data contract (Inline Hooks API, execute).
        raise HookCommunicationError([f"{v.path}: {v.message}" for v in run.verdict.violations if v.fatal])
    return JSONResponse(parsed)
