"""`/api/v1/authorizationServers`: custom authorization servers, their lifecycle, scopes, claims, access policies and
policy rules (Okta's Authorization Servers API; statuses as a real org answers: 201 on create, 204 on lifecycle and
delete, okta-sdk-python cassettes `test_auth_server_it/*.yaml`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response

from .. import Org
from ..oauth_json import render_claim, render_policy, render_rule, render_scope, render_server
from ..oauth_models import AuthorizationServer, LifecycleStatus
from .deps import api_access, base_url, get_org
from .users import MAX_LIMIT, paged

router = APIRouter(
    prefix="/api/v1/authorizationServers",
    tags=["authorizationServers"],
    dependencies=[Depends(api_access("authorizationServers"))],
)
OrgDep = Annotated[Org, Depends(get_org)]
JsonBody = Annotated[dict[str, Any], Body()]
NO_CONTENT = 204


def _server(request: Request, org: Org, server: AuthorizationServer) -> dict[str, Any]:
    return render_server(server, base_url(request), org.oidc.keys.kid(server.id))


# -- servers -----------------------------------------------------------------------------------------------------
@router.get("")
async def list_authorization_servers(
    request: Request, org: OrgDep, q: str | None = None, limit: int = MAX_LIMIT, after: str | None = None
) -> Response:
    """All custom authorization servers, or those whose name or audience starts with `q`."""
    return paged(request, [_server(request, org, s) for s in org.authorization_servers.find(q)], after, limit)


@router.post("", status_code=201)
async def create_authorization_server(request: Request, org: OrgDep, body: JsonBody) -> dict[str, Any]:
    return _server(request, org, org.authorization_servers.create(body))


@router.get("/{server_id}")
async def get_authorization_server(request: Request, org: OrgDep, server_id: str) -> dict[str, Any]:
    return _server(request, org, org.authorization_servers.get(server_id))


@router.put("/{server_id}")
async def replace_authorization_server(request: Request, org: OrgDep, server_id: str, body: JsonBody) -> dict[str, Any]:
    return _server(request, org, org.authorization_servers.replace(server_id, body))


@router.delete("/{server_id}", status_code=NO_CONTENT)
async def delete_authorization_server(org: OrgDep, server_id: str) -> Response:
    org.authorization_servers.delete(server_id)
    return Response(status_code=NO_CONTENT)


@router.post("/{server_id}/lifecycle/activate", status_code=NO_CONTENT)
async def activate_authorization_server(org: OrgDep, server_id: str) -> Response:
    org.authorization_servers.set_status(server_id, LifecycleStatus.ACTIVE)
    return Response(status_code=NO_CONTENT)


@router.post("/{server_id}/lifecycle/deactivate", status_code=NO_CONTENT)
async def deactivate_authorization_server(org: OrgDep, server_id: str) -> Response:
    org.authorization_servers.set_status(server_id, LifecycleStatus.INACTIVE)
    return Response(status_code=NO_CONTENT)


@router.get("/{server_id}/credentials/keys")
async def list_authorization_server_keys(org: OrgDep, server_id: str) -> list[dict[str, Any]]:
    """The server's signing key (public half), ACTIVE."""
    server = org.authorization_servers.get(server_id)
    return [{**key, "status": "ACTIVE"} for key in org.oidc.keys.jwks(server.id)["keys"]]


# -- scopes ------------------------------------------------------------------------------------------------------
@router.get("/{server_id}/scopes")
async def list_o_auth2_scopes(request: Request, org: OrgDep, server_id: str, q: str | None = None) -> list[Any]:
    return [render_scope(s, base_url(request)) for s in org.authorization_servers.scopes(server_id, q)]


@router.post("/{server_id}/scopes", status_code=201)
async def create_o_auth2_scope(request: Request, org: OrgDep, server_id: str, body: JsonBody) -> dict[str, Any]:
    return render_scope(org.authorization_servers.create_scope(server_id, body), base_url(request))


@router.get("/{server_id}/scopes/{scope_id}")
async def get_o_auth2_scope(request: Request, org: OrgDep, server_id: str, scope_id: str) -> dict[str, Any]:
    return render_scope(org.authorization_servers.scope(server_id, scope_id), base_url(request))


@router.put("/{server_id}/scopes/{scope_id}")
async def replace_o_auth2_scope(
    request: Request, org: OrgDep, server_id: str, scope_id: str, body: JsonBody
) -> dict[str, Any]:
    return render_scope(org.authorization_servers.replace_scope(server_id, scope_id, body), base_url(request))


@router.delete("/{server_id}/scopes/{scope_id}", status_code=NO_CONTENT)
async def delete_o_auth2_scope(org: OrgDep, server_id: str, scope_id: str) -> Response:
    org.authorization_servers.delete_scope(server_id, scope_id)
    return Response(status_code=NO_CONTENT)


# -- claims ------------------------------------------------------------------------------------------------------
@router.get("/{server_id}/claims")
async def list_o_auth2_claims(request: Request, org: OrgDep, server_id: str) -> list[Any]:
    return [render_claim(c, base_url(request)) for c in org.authorization_servers.claims(server_id)]


@router.post("/{server_id}/claims", status_code=201)
async def create_o_auth2_claim(request: Request, org: OrgDep, server_id: str, body: JsonBody) -> dict[str, Any]:
    return render_claim(org.authorization_servers.create_claim(server_id, body), base_url(request))


@router.get("/{server_id}/claims/{claim_id}")
async def get_o_auth2_claim(request: Request, org: OrgDep, server_id: str, claim_id: str) -> dict[str, Any]:
    return render_claim(org.authorization_servers.claim(server_id, claim_id), base_url(request))


@router.put("/{server_id}/claims/{claim_id}")
async def replace_o_auth2_claim(
    request: Request, org: OrgDep, server_id: str, claim_id: str, body: JsonBody
) -> dict[str, Any]:
    return render_claim(org.authorization_servers.replace_claim(server_id, claim_id, body), base_url(request))


@router.delete("/{server_id}/claims/{claim_id}", status_code=NO_CONTENT)
async def delete_o_auth2_claim(org: OrgDep, server_id: str, claim_id: str) -> Response:
    org.authorization_servers.delete_claim(server_id, claim_id)
    return Response(status_code=NO_CONTENT)


# -- access policies ---------------------------------------------------------------------------------------------
@router.get("/{server_id}/policies")
async def list_authorization_server_policies(request: Request, org: OrgDep, server_id: str) -> list[Any]:
    return [render_policy(p, base_url(request)) for p in org.access_policies.policies(server_id)]


@router.post("/{server_id}/policies", status_code=201)
async def create_authorization_server_policy(
    request: Request, org: OrgDep, server_id: str, body: JsonBody
) -> dict[str, Any]:
    return render_policy(org.access_policies.create_policy(server_id, body), base_url(request))


@router.get("/{server_id}/policies/{policy_id}")
async def get_authorization_server_policy(
    request: Request, org: OrgDep, server_id: str, policy_id: str
) -> dict[str, Any]:
    return render_policy(org.access_policies.policy(server_id, policy_id), base_url(request))


@router.put("/{server_id}/policies/{policy_id}")
async def replace_authorization_server_policy(
    request: Request, org: OrgDep, server_id: str, policy_id: str, body: JsonBody
) -> dict[str, Any]:
    return render_policy(org.access_policies.replace_policy(server_id, policy_id, body), base_url(request))


@router.delete("/{server_id}/policies/{policy_id}", status_code=NO_CONTENT)
async def delete_authorization_server_policy(org: OrgDep, server_id: str, policy_id: str) -> Response:
    org.access_policies.delete_policy(server_id, policy_id)
    return Response(status_code=NO_CONTENT)


@router.post("/{server_id}/policies/{policy_id}/lifecycle/activate", status_code=NO_CONTENT)
async def activate_authorization_server_policy(org: OrgDep, server_id: str, policy_id: str) -> Response:
    org.access_policies.set_policy_status(server_id, policy_id, LifecycleStatus.ACTIVE)
    return Response(status_code=NO_CONTENT)


@router.post("/{server_id}/policies/{policy_id}/lifecycle/deactivate", status_code=NO_CONTENT)
async def deactivate_authorization_server_policy(org: OrgDep, server_id: str, policy_id: str) -> Response:
    org.access_policies.set_policy_status(server_id, policy_id, LifecycleStatus.INACTIVE)
    return Response(status_code=NO_CONTENT)


# -- policy rules ------------------------------------------------------------------------------------------------
@router.get("/{server_id}/policies/{policy_id}/rules")
async def list_authorization_server_policy_rules(
    request: Request, org: OrgDep, server_id: str, policy_id: str
) -> list[Any]:
    return [render_rule(r, base_url(request)) for r in org.access_policies.rules(server_id, policy_id)]


@router.post("/{server_id}/policies/{policy_id}/rules", status_code=201)
async def create_authorization_server_policy_rule(
    request: Request, org: OrgDep, server_id: str, policy_id: str, body: JsonBody
) -> dict[str, Any]:
    """A rule; `actions.token.inlineHook.id` names a token inline hook (com.okta.oauth2.tokens.transform)."""
    return render_rule(org.access_policies.create_rule(server_id, policy_id, body), base_url(request))


@router.get("/{server_id}/policies/{policy_id}/rules/{rule_id}")
async def get_authorization_server_policy_rule(
    request: Request, org: OrgDep, server_id: str, policy_id: str, rule_id: str
) -> dict[str, Any]:
    return render_rule(org.access_policies.rule(server_id, policy_id, rule_id), base_url(request))


@router.put("/{server_id}/policies/{policy_id}/rules/{rule_id}")
async def replace_authorization_server_policy_rule(
    request: Request, org: OrgDep, server_id: str, policy_id: str, rule_id: str, body: JsonBody
) -> dict[str, Any]:
    rule = org.access_policies.replace_rule(server_id, policy_id, rule_id, body)
    return render_rule(rule, base_url(request))


@router.delete("/{server_id}/policies/{policy_id}/rules/{rule_id}", status_code=NO_CONTENT)
async def delete_authorization_server_policy_rule(
    org: OrgDep, server_id: str, policy_id: str, rule_id: str
) -> Response:
    org.access_policies.delete_rule(server_id, policy_id, rule_id)
    return Response(status_code=NO_CONTENT)


@router.post("/{server_id}/policies/{policy_id}/rules/{rule_id}/lifecycle/activate", status_code=NO_CONTENT)
async def activate_authorization_server_policy_rule(
    org: OrgDep, server_id: str, policy_id: str, rule_id: str
) -> Response:
    org.access_policies.set_rule_status(server_id, policy_id, rule_id, LifecycleStatus.ACTIVE)
    return Response(status_code=NO_CONTENT)


@router.post("/{server_id}/policies/{policy_id}/rules/{rule_id}/lifecycle/deactivate", status_code=NO_CONTENT)
async def deactivate_authorization_server_policy_rule(
    org: OrgDep, server_id: str, policy_id: str, rule_id: str
) -> Response:
    org.access_policies.set_rule_status(server_id, policy_id, rule_id, LifecycleStatus.INACTIVE)
    return Response(status_code=NO_CONTENT)
