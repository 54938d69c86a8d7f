"""`/api/v1/hook-keys`: the key pairs for inline hooks that use OAuth 2.0 `private_key_jwt` (spec tag HookKey)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Response

from .. import Org
from ..hook_keys import render_hook_key
from .deps import api_access, get_org

# Okta grants these with the inline hook scopes (okta.inlineHooks.read / .manage).
router = APIRouter(prefix="/api/v1/hook-keys", tags=["hook keys"], dependencies=[Depends(api_access("inlineHooks"))])
OrgDep = Annotated[Org, Depends(get_org)]


@router.get("")
async def list_hook_keys(org: OrgDep) -> list[dict[str, Any]]:
    keys = org.hook_keys
    return [render_hook_key(k, keys.in_use(k), embedded=False) for k in keys.all()]


@router.post("")
async def create_hook_key(org: OrgDep, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """A new RSA key pair named `name`; the answer carries the public key (`_embedded`), never the private one."""
    return render_hook_key(org.hook_keys.create(body), False, embedded=True)


@router.get("/public/{key_id}")
async def public_key(org: OrgDep, key_id: str) -> dict[str, Any]:
    """The public key by its alias (`keyId`): register it with the authorization server of the hook's tokens."""
    return {"_embedded": org.hook_keys.public(key_id).public_jwk}


@router.get("/{key_id}")
async def get_hook_key(org: OrgDep, key_id: str, expand: str | None = None) -> dict[str, Any]:
    """The key; `?expand=publickey` adds the public key as `_embedded` (the spec's getHookKey: "The
    `?expand=publickey` query parameter optionally returns the full object including the details of the public
    key in the response body's `_embedded` property")."""
    key = org.hook_keys.get(key_id)
    return render_hook_key(key, org.hook_keys.in_use(key), embedded=expand == "publickey")


@router.put("/{key_id}")
async def rename_hook_key(org: OrgDep, key_id: str, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    key = org.hook_keys.rename(key_id, body)
    return render_hook_key(key, org.hook_keys.in_use(key), embedded=False)


@router.delete("/{key_id}", status_code=204)
async def delete_hook_key(org: OrgDep, key_id: str) -> Response:
    org.hook_keys.delete(key_id)
    return Response(status_code=204)
