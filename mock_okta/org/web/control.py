"""`/_mock/*`: the control API tests use (reset, journal, config), beside the emulated Okta API. Okta has no such
API; it needs no token, like the admin pages, and listens on loopback unless `serve --host` says otherwise."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request

from ...hook.settings import CallSettings, call_settings_problems
from .. import Org
from ..errors import ApiValidationError
from ..okta_json import render_hook_call
from .deps import get_org
from .gaps import gaps, spec_routes

router = APIRouter(prefix="/_mock", tags=["control"])
OrgDep = Annotated[Org, Depends(get_org)]
CONFIG_KEYS = (
    "timeout",
    "maxRetries",
    "strictHttps",
    "unknownKeysFail",
    "rateLimit",
    "oauthTokenInBudget",
    "signInEmailChallenge",
)
MAX_RATE_LIMIT = 1_000_000


@router.post("/reset")
async def reset(org: OrgDep) -> dict[str, Any]:
    """The same reset as the pytest fixtures': no hooks, users, flows, journal or log; the default policy with no
    hook; Okta's default settings (deadline, retries, rate limits, retention...)."""
    org.reset()
    return {"reset": True}


@router.get("/journal")
async def journal(
    org: OrgDep, inlineHookId: str | None = None, registration: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """Every hook call, newest first: request (secret redacted), attempts with timings, response, verdict."""
    if registration is not None and registration.upper() not in ("ALLOW", "DENY"):
        raise ApiValidationError(["registration: ALLOW or DENY"])
    limit = max(1, min(limit, 1000))
    calls = org.inline_hooks.journal(inline_hook_id=inlineHookId, outcome=registration, limit=limit)
    return [render_hook_call(call) for call in calls]


@router.post("/service-apps")
async def register_service_app(org: OrgDep, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """Register an API Services app for OAuth 2.0 to the Management API: `name`, `jwks` (its public keys) and
    the Okta API `scopes` granted to it. In Okta this is Applications > Create App Integration > API Services,
    then Okta API Scopes; the answer's `client_id` goes into the SDK's `clientId`."""
    app = org.authorization_server.register(body)
    return {"client_id": app.client_id, "name": app.name, "scopes": list(app.scopes)}


@router.post("/oauth-clients")
async def register_oauth_client(org: OrgDep, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """Register a client of the `default` authorization server for a hook's OAuth 2.0 channel (in Okta: an API
    Services app, with the scopes of a custom scope on `default`): `name`, `tokenEndpointAuthMethod`
    (`client_secret_post` or `private_key_jwt`), `scopes`, and for private_key_jwt `jwks` or `hookKeyId` (this org's
    hook key, whose public key is registered). The answer's `client_secret` is shown this once."""
    hook_key_id = body.get("hookKeyId")
    jwk = None
    if hook_key_id is not None:
        if not isinstance(hook_key_id, str):
            raise ApiValidationError(["hookKeyId: the id of a hook key"])
        jwk = org.hook_keys.get(hook_key_id).public_jwk
        jwk = {k: v for k, v in jwk.items() if v is not None and k != "alg"}
    client, secret = org.custom_authorization_server.register(body, jwk)
    answer: dict[str, Any] = {"client_id": client.client_id, "name": client.name, "scopes": list(client.scopes)}
    answer["token_endpoint_auth_method"] = client.auth_method
    if secret:
        answer["client_secret"] = secret
    return answer


@router.get("/gaps")
async def list_gaps(request: Request) -> dict[str, Any]:
    """What of Okta's Management API the mock emulates and what answers 501, route by route (from the spec)."""
    missing = gaps(request.app)
    total = len(spec_routes())
    return {
        "spec": "okta/okta-management-openapi-spec dist/current/management-oneOfInheritance.yaml (2026.06.3)",
        "emulated": total - len(missing),
        "notEmulated": len(missing),
        "gaps": [f"{r.method} {r.template}" for r in missing],
    }


@router.get("/config")
async def get_config(org: OrgDep) -> dict[str, Any]:
    return _config(org)


@router.put("/config")
async def put_config(org: OrgDep, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """Change timeout (seconds per attempt), maxRetries, strictHttps, unknownKeysFail, rateLimit (Management API
    requests a minute per API family; 0 makes every call answer 429, to test a client's back-off),
    oauthTokenInBudget (whether an OAuth 2.0 hook's token request counts in its timeout), and signInEmailChallenge
    (sign-in asks for the email code after the password)."""
    current = org.settings
    changed = {**_config(org), **body}
    causes = [f"{key}: unknown setting" for key in body if key not in CONFIG_KEYS]
    causes += call_settings_problems(changed["timeout"], changed["maxRetries"], changed["strictHttps"])
    if not isinstance(changed["unknownKeysFail"], bool):
        causes.append("unknownKeysFail: expected a boolean")
    rate = changed["rateLimit"]
    if isinstance(rate, bool) or not isinstance(rate, int) or not 0 <= rate <= MAX_RATE_LIMIT:
        causes.append(f"rateLimit: an integer from 0 to {MAX_RATE_LIMIT}")
    for flag in ("oauthTokenInBudget", "signInEmailChallenge"):
        if not isinstance(changed[flag], bool):
            causes.append(f"{flag}: expected a boolean")
    if causes:
        raise ApiValidationError(causes)
    current.token_in_budget = changed["oauthTokenInBudget"]
    current.sign_in_email_challenge = changed["signInEmailChallenge"]
    current.call = CallSettings(float(changed["timeout"]), changed["maxRetries"], changed["strictHttps"])
    current.verdict_rules = replace(current.verdict_rules, unknown_keys_fail=changed["unknownKeysFail"])
    current.rate_limit = rate
    return _config(org)


def _config(org: Org) -> dict[str, Any]:
    call = org.settings.call
    return {
        "timeout": call.timeout,
        "maxRetries": call.max_retries,
        "strictHttps": call.strict_https,
        "unknownKeysFail": org.settings.verdict_rules.unknown_keys_fail,
        "rateLimit": org.settings.rate_limit,
        "oauthTokenInBudget": org.settings.token_in_budget,
        "signInEmailChallenge": org.settings.sign_in_email_challenge,
    }
