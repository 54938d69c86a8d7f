"""`/api/v1/policies`: the PROFILE_ENROLLMENT policy and its catch-all rule."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request

from .. import Org
from ..errors import ApiValidationError, NotEmulated
from ..okta_json import render_policy, render_rule
from .deps import api_access, base_url, get_org

router = APIRouter(prefix="/api/v1/policies", tags=["policies"], dependencies=[Depends(api_access("policies"))])
OrgDep = Annotated[Org, Depends(get_org)]
JsonBody = Annotated[dict[str, Any], Body()]
# The spec's `PolicyType` enum (management-oneOfInheritance.yaml).
POLICY_TYPES = (
    "ACCESS_POLICY",
    "ENTITY_RISK",
    "IDP_DISCOVERY",
    "MFA_ENROLL",
    "OKTA_SIGN_ON",
    "PASSWORD",
    "POST_AUTH_SESSION",
    "PROFILE_ENROLLMENT",
    "DEVICE_SIGNAL_COLLECTION",
    "SESSION_VIOLATION_DETECTION",
    "CLIENT_UPDATE",
    "IDENTITY_CLAIM_SOURCING",
)


@router.get("")
async def list_policies(request: Request, org: OrgDep, type: str) -> list[dict[str, Any]]:
    """Policies of a type. The mock holds one PROFILE_ENROLLMENT policy; a real org always has policies of the
    other types too, so they answer 501 (a gap) rather than an empty list that would pass for Okta's answer."""
    if type not in POLICY_TYPES:
        raise ApiValidationError([f"type: Must be one of {', '.join(POLICY_TYPES)}"])
    if type != "PROFILE_ENROLLMENT":
        raise NotEmulated("GET", f"/api/v1/policies?type={type}")
    return [render_policy(org.profile_enrollment.policy(), base_url(request))]


@router.get("/{policy_id}")
async def get_policy(request: Request, org: OrgDep, policy_id: str) -> dict[str, Any]:
    return render_policy(org.profile_enrollment.policy(policy_id), base_url(request))


@router.put("/{policy_id}")
async def replace_policy(request: Request, org: OrgDep, policy_id: str, body: JsonBody) -> dict[str, Any]:
    return render_policy(org.profile_enrollment.replace_policy(policy_id, body), base_url(request))


@router.get("/{policy_id}/rules")
async def list_policy_rules(request: Request, org: OrgDep, policy_id: str) -> list[dict[str, Any]]:
    return [render_rule(org.profile_enrollment.policy(policy_id), base_url(request))]


@router.get("/{policy_id}/rules/{rule_id}")
async def get_policy_rule(request: Request, org: OrgDep, policy_id: str, rule_id: str) -> dict[str, Any]:
    return render_rule(org.profile_enrollment.rule(policy_id, rule_id), base_url(request))


@router.put("/{policy_id}/rules/{rule_id}")
async def replace_policy_rule(
    request: Request, org: OrgDep, policy_id: str, rule_id: str, body: JsonBody
) -> dict[str, Any]:
    """Attach the registration hook (`preRegistrationInlineHooks`, at most one) and set the sign-up form."""
    return render_rule(org.profile_enrollment.replace_rule(policy_id, rule_id, body), base_url(request))
