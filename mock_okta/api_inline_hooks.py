"""`/api/v1/inlineHooks`: Okta's Inline Hooks Management API, including `execute`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Body, Request, Response
from fastapi.responses import JSONResponse

from .errors import OktaError, not_found
from .inline_hooks import HookValidationError, call_inline_hook, create_hook, render_hook, validate_hook
from .syslog import hook_lifecycle

if TYPE_CHECKING:
    from .server import MockOrg

# execute answers 400 with these codes (Okta's error-code list: callback timeout / execution exception).
EXECUTE_ERRORS = {"timeout": "E0000137"}


def router(org: MockOrg) -> APIRouter:
    api = APIRouter(prefix="/api/v1/inlineHooks", tags=["inlineHooks"], dependencies=[org.require_token])

    def base(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    def load(hook_id: str) -> dict[str, Any]:
        hook = org.store.inline_hook(hook_id)
        if hook is None:
            raise not_found(hook_id, "InlineHook")
        return hook

    @api.get("")
    def list_inline_hooks(request: Request, type: str | None = None) -> list[dict[str, Any]]:
        """All inline hooks, or those of one `type`."""
        return [render_hook(h, base(request)) for h in org.store.inline_hooks(type)]

    @api.post("")
    def create_inline_hook(request: Request, body: dict[str, Any] = Body(...)) -> dict[str, Any]:
        """Create an inline hook; it starts ACTIVE."""
        try:
            hook = create_hook(org.store, org.settings, body)
        except HookValidationError as exc:
            raise OktaError(400, "E0000001", "; ".join(exc.causes), exc.causes) from None
        return render_hook(hook, base(request))

    @api.get("/{inline_hook_id}")
    def get_inline_hook(request: Request, inline_hook_id: str) -> dict[str, Any]:
        return render_hook(load(inline_hook_id), base(request))

    def save(request: Request, inline_hook_id: str, body: dict[str, Any], partial: bool) -> dict[str, Any]:
        existing = load(inline_hook_id)
        fields, causes = validate_hook(body, org.store, org.settings, existing=existing, partial=partial)
        if causes:
            raise OktaError(400, "E0000001", "; ".join(causes), causes)
        hook = org.store.update_inline_hook(inline_hook_id, name=fields["name"], channel=fields["channel"])
        assert hook is not None
        org.store.log_event(hook_lifecycle(hook, "updated"))
        return render_hook(hook, base(request))

    @api.put("/{inline_hook_id}")
    def replace_inline_hook(request: Request, inline_hook_id: str, body: dict[str, Any] = Body(...)) -> dict[str, Any]:
        """Replace name, version and channel; the type cannot change."""
        return save(request, inline_hook_id, body, partial=False)

    @api.post("/{inline_hook_id}")
    def update_inline_hook(request: Request, inline_hook_id: str, body: dict[str, Any] = Body(...)) -> dict[str, Any]:
        """Change only the fields given."""
        return save(request, inline_hook_id, body, partial=True)

    @api.delete("/{inline_hook_id}", status_code=204)
    def delete_inline_hook(inline_hook_id: str) -> Response:
        """Only an INACTIVE hook can be deleted."""
        hook = load(inline_hook_id)
        if hook["status"] != "INACTIVE":
            raise OktaError(
                403, "E0000006", causes=["Only an INACTIVE inline hook can be deleted: deactivate it first"]
            )
        org.store.delete_inline_hook(inline_hook_id)
        org.store.log_event(hook_lifecycle(hook, "deleted"))
        return Response(status_code=204)

    def lifecycle(request: Request, inline_hook_id: str, status: str, action: str) -> dict[str, Any]:
        load(inline_hook_id)
        hook = org.store.update_inline_hook(inline_hook_id, status=status)
        assert hook is not None
        org.store.log_event(hook_lifecycle(hook, action))
        return render_hook(hook, base(request))

    @api.post("/{inline_hook_id}/lifecycle/activate")
    def activate_inline_hook(request: Request, inline_hook_id: str) -> dict[str, Any]:
        return lifecycle(request, inline_hook_id, "ACTIVE", "activated")

    @api.post("/{inline_hook_id}/lifecycle/deactivate")
    def deactivate_inline_hook(request: Request, inline_hook_id: str) -> dict[str, Any]:
        return lifecycle(request, inline_hook_id, "INACTIVE", "deactivated")

    @api.post("/{inline_hook_id}/execute")
    async def execute_inline_hook(request: Request, inline_hook_id: str, body: dict[str, Any] = Body(...)) -> Response:
        """Send `body` to the hook exactly as Okta would; answer with the hook's body or Okta's error."""
        hook = load(inline_hook_id)
        if hook["status"] != "ACTIVE":
            raise OktaError(400, "E0000001", "The inline hook is INACTIVE", ["The inline hook is INACTIVE"])
        client_ip = request.client.host if request.client else "127.0.0.1"
        run = await call_inline_hook(org.store, org.settings, hook, body, client_ip)
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
