"""`/_mock/*`: the control API tests use (reset, journal, config), beside the emulated Okta API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Body

from .errors import OktaError
from .verdict import VerdictRules

if TYPE_CHECKING:
    from .server import MockOrg

CONFIG_FIELDS = {
    "timeout": (float, int),
    "maxRetries": (int,),
    "strictHttps": (bool,),
    "unknownKeysFail": (bool,),
}


def router(org: MockOrg) -> APIRouter:
    api = APIRouter(prefix="/_mock", tags=["control"])

    @api.post("/reset")
    def reset() -> dict[str, Any]:
        """Empty the store: no hooks, users, flows, journal or log; the default policy with no hook."""
        org.store.reset()
        return {"reset": True}

    @api.get("/journal")
    def journal(
        inlineHookId: str | None = None, registration: str | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        """Every hook call, newest first: request (secret redacted), attempts with timings, response, verdict."""
        if registration is not None and registration.upper() not in ("ALLOW", "DENY"):
            raise OktaError(400, "E0000001", "registration must be ALLOW or DENY", ["registration: ALLOW or DENY"])
        limit = max(1, min(limit, 1000))
        return org.store.hook_calls(inline_hook_id=inlineHookId, registration=registration, limit=limit)

    @api.get("/config")
    def get_config() -> dict[str, Any]:
        return _config(org)

    @api.put("/config")
    def put_config(body: dict[str, Any] = Body(...)) -> dict[str, Any]:
        """Change timeout (seconds per attempt), maxRetries, strictHttps, unknownKeysFail."""
        causes = [f"{key}: unknown setting" for key in body if key not in CONFIG_FIELDS]
        for key, types in CONFIG_FIELDS.items():
            if key in body and (not isinstance(body[key], types) or (bool in types) != isinstance(body[key], bool)):
                causes.append(f"{key}: expected {'a boolean' if bool in types else 'a number'}")
        if isinstance(body.get("timeout"), int | float) and not 0 < body["timeout"] <= 60:
            causes.append("timeout: between 0 and 60 seconds")
        if isinstance(body.get("maxRetries"), int) and not 0 <= body["maxRetries"] <= 5:
            causes.append("maxRetries: between 0 and 5")
        if causes:
            raise OktaError(400, "E0000001", "; ".join(causes), causes)
        settings = org.settings
        settings.timeout = float(body.get("timeout", settings.timeout))
        settings.max_retries = int(body.get("maxRetries", settings.max_retries))
        settings.strict_https = bool(body.get("strictHttps", settings.strict_https))
        unknown_keys = bool(body.get("unknownKeysFail", settings.verdict_rules.unknown_keys_fail))
        settings.verdict_rules = VerdictRules(settings.verdict_rules.texts, unknown_keys)
        return _config(org)

    return api


def _config(org: MockOrg) -> dict[str, Any]:
    s = org.settings
    return {
        "timeout": s.timeout,
        "maxRetries": s.max_retries,
        "strictHttps": s.strict_https,
        "unknownKeysFail": s.verdict_rules.unknown_keys_fail,
    }
