"""`/api/v1/inlineHooks`: Okta's Inline Hooks Management API, including `execute`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Body, Request, Response
from fastapi.responses import JSONResponse

from .errors import OktaError
from .inline_hooks import (
    call_inline_hook,
    create_hook,
    delete_hook,
    find_hook,
    render_hook,
    set_hook_status,
    update_hook,
)
from .web import base_url, client_ip

if TYPE_CHECKING:
    from .server import MockOrg

# execute answers 400 with these codes (Okta's error-code list: callback timeout / execution exception).
EXECUTE_ERRORS = {"timeout": "E0000137"}


def router(org: MockOrg) -> APIRouter:
    api = APIRouter(prefix="/api/v1/inlineHooks", tags=["inlineHooks"], dependencies=[org.require_token])
    store, settings = org.store, org.settings

    @api.get("")
    def list_inline_hooks(request: Request, type: str | None = None) -> list[dict[str, Any]]:
        """All inline hooks, or those of one `type`."""
        return [render_hook(h, base_url(request)) for h in store.inline_hooks(type)]

    @api.post("")
    def create_inline_hook(request: Request, body: dict[str, Any] = Body(...)) -> dict[str, Any]:
        """Create an inline hook; it starts ACTIVE."""
        return render_hook(create_hook(store, settings, body), base_url(request))

    @api.get("/{inline_hook_id}")
    def get_inline_hook(request: Request, inline_hook_id: str) -> dict[str, Any]:
        return render_hook(find_hook(store, inline_hook_id), base_url(request))

    @api.put("/{inline_hook_id}")
    def replace_inline_hook(request: Request, inline_hook_id: str, body: dict[str, Any] = Body(...)) -> dict[str, Any]:
        """Replace name, version and channel; the type cannot change."""
        hook = update_hook(store, settings, find_hook(store, inline_hook_id), body, partial=False)
        return render_hook(hook, base_url(request))

    @api.post("/{inline_hook_id}")
    def update_inline_hook(request: Request, inline_hook_id: str, body: dict[str, Any] = Body(...)) -> dict[str, Any]:
        """Change only the fields given."""
        hook = update_hook(store, settings, find_hook(store, inline_hook_id), body, partial=True)
        return render_hook(hook, base_url(request))

    @api.delete("/{inline_hook_id}", status_code=204)
    def delete_inline_hook(inline_hook_id: str) -> Response:
        """Only an INACTIVE hook can be deleted."""
        delete_hook(store, find_hook(store, inline_hook_id))
        return Response(status_code=204)

    @api.post("/{inline_hook_id}/lifecycle/activate")
    def activate_inline_hook(request: Request, inline_hook_id: str) -> dict[str, Any]:
        return render_hook(set_hook_status(store, find_hook(store, inline_hook_id), "ACTIVE"), base_url(request))

    @api.post("/{inline_hook_id}/lifecycle/deactivate")
    def deactivate_inline_hook(request: Request, inline_hook_id: str) -> dict[str, Any]:
        return render_hook(set_hook_status(store, find_hook(store, inline_hook_id), "INACTIVE"), base_url(request))

    @api.post("/{inline_hook_id}/execute")
    async def execute_inline_hook(request: Request, inline_hook_id: str, body: dict[str, Any] = Body(...)) -> Response:
        """Send `body` to the hook exactly as Okta would; answer with the hook's body or Okta's error."""
        hook = find_hook(store, inline_hook_id)
        if hook["status"] != "ACTIVE":
            raise OktaError(400, "E0000001", "The inline hook is INACTIVE", ["The inline hook is INACTIVE"])
        run = await call_inline_hook(store, settings, hook, body, client_ip(request))
        last = run.exchange.attempts[-1]
        if last.error is not None:
            code = EXECUTE_ERRORS.get(last.error, "E0000134")
            raise OktaError(400, code, causes=[last.detail or last.error])
        parsed = run.response_body()
        if run.exchange.status == 204:
            return JSONResponse({})
        if not isinstance(parsed, dict):
            raise OktaError(400, "E0000134", causes=["The inline hook's response is not a JSON object"])
        return JSONResponse(parsed)

    return api
