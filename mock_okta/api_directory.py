"""`/api/v1/users`, `/api/v1/policies` (PROFILE_ENROLLMENT) and `/api/v1/logs` in Okta's shapes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Body, Request, Response
from fastapi.responses import JSONResponse

from .errors import OktaError, not_found
from .search import SearchError, matches, parse_search
from .store import DEFAULT_RULE_ID, ProfileEnrollmentPolicy
from .syslog import log_event, user_target
from .web import base_url

if TYPE_CHECKING:
    from .server import MockOrg

MAX_LIMIT = 200


def _search(expression: str | None) -> list[list[tuple[str, str, str]]]:
    try:
        return parse_search(expression) if expression else []
    except SearchError as exc:
        raise OktaError(400, "E0000031", causes=[str(exc)]) from None


def _page(request: Request, items: list[dict[str, Any]], key: str, after: str | None, limit: int) -> JSONResponse:
    """One page and Okta's `Link` headers (rel="self", and rel="next" with an `after` cursor when more remain)."""
    limit = max(1, min(limit, MAX_LIMIT))
    if after:
        ids = [str(item[key]) for item in items]
        items = items[ids.index(after) + 1 :] if after in ids else []
    page = items[:limit]
    links = [f'<{request.url}>; rel="self"']
    if len(items) > limit:
        links.append(f'<{request.url.include_query_params(after=page[-1][key], limit=limit)}>; rel="next"')
    return JSONResponse(page, headers={"Link": ", ".join(links)})


def users_router(org: MockOrg) -> APIRouter:
    api = APIRouter(prefix="/api/v1/users", tags=["users"], dependencies=[org.require_token])

    def load(id_or_login: str) -> dict[str, Any]:
        user = org.store.user(id_or_login)
        if user is None:
            raise not_found(id_or_login, "User")
        return user

    @api.get("")
    def list_users(
        request: Request,
        search: str | None = None,
        filter: str | None = None,
        q: str | None = None,
        limit: int = MAX_LIMIT,
        after: str | None = None,
    ) -> Response:
        """Users matching `search` / `filter` (e.g. `profile.email eq "x"`, `status eq "ACTIVE"`) or `q` (prefix of
        first name, last name or email)."""
        terms, filters = _search(search), _search(filter)
        users = [u for u in org.store.users() if matches(u, terms) and matches(u, filters)]
        if q:
            wanted = q.lower()
            users = [
                u
                for u in users
                if any(
                    str(u["profile"].get(k, "")).lower().startswith(wanted)
                    for k in ("firstName", "lastName", "email", "login")
                )
            ]
        if not q and not search and not filter:
            users = [u for u in users if u["status"] != "DEPROVISIONED"]
        return _page(request, users, "id", after, limit)

    @api.get("/{id_or_login}")
    def get_user(id_or_login: str) -> dict[str, Any]:
        return load(id_or_login)

    @api.post("/{user_id}/lifecycle/deactivate")
    def deactivate_user(request: Request, user_id: str) -> dict[str, Any]:
        user = load(user_id)
        if user["status"] != "DEPROVISIONED":
            user = org.store.set_user_status(user["id"], "DEPROVISIONED") or user
            org.store.log_event(
                log_event("user.lifecycle.deactivate", "Deactivate Okta user", target=[user_target(user)])
            )
        return {}

    @api.delete("/{user_id}", status_code=204)
    def delete_user(user_id: str) -> Response:
        """As in Okta: the first DELETE of a user that is not DEPROVISIONED deactivates it, the next deletes it."""
        user = load(user_id)
        if user["status"] != "DEPROVISIONED":
            org.store.set_user_status(user["id"], "DEPROVISIONED")
            org.store.log_event(
                log_event("user.lifecycle.deactivate", "Deactivate Okta user", target=[user_target(user)])
            )
        else:
            org.store.delete_user(user["id"])
            org.store.log_event(
                log_event("user.lifecycle.delete.initiated", "Delete Okta user", target=[user_target(user)])
            )
        return Response(status_code=204)

    return api


def render_policy(policy: ProfileEnrollmentPolicy, base: str) -> dict[str, Any]:
    href = f"{base}/api/v1/policies/{policy.id}"
    return {
        "id": policy.id,
        "status": "ACTIVE",
        "name": policy.name,
        "description": policy.description,
        "priority": 1,
        "system": True,
        "conditions": None,
        "created": policy.created,
        "lastUpdated": policy.last_updated,
        "type": "PROFILE_ENROLLMENT",
        "_links": {
            "self": {"href": href, "hints": {"allow": ["GET", "PUT"]}},
            "rules": {"href": f"{href}/rules", "hints": {"allow": ["GET"]}},
        },
    }


def render_rule(policy: ProfileEnrollmentPolicy, base: str) -> dict[str, Any]:
    hooks = [{"inlineHookId": policy.inline_hook_id}] if policy.inline_hook_id else []
    return {
        "id": DEFAULT_RULE_ID,
        "status": "ACTIVE",
        "name": "Catch-all Rule",
        "priority": 99,
        "system": True,
        "created": policy.created,
        "lastUpdated": policy.last_updated,
        "type": "PROFILE_ENROLLMENT",
        "conditions": None,
        "actions": {
            "profileEnrollment": {
                "access": policy.access,
                "preRegistrationInlineHooks": hooks,
                "profileAttributes": policy.profile_attributes,
                "targetGroupIds": [],
                "unknownUserAction": "REGISTER",
                "activationRequirements": {"emailVerification": True},
            }
        },
        "_links": {
            "self": {
                "href": f"{base}/api/v1/policies/{policy.id}/rules/{DEFAULT_RULE_ID}",
                "hints": {"allow": ["GET", "PUT"]},
            }
        },
    }


def policies_router(org: MockOrg) -> APIRouter:
    api = APIRouter(prefix="/api/v1/policies", tags=["policies"], dependencies=[org.require_token])

    def load(policy_id: str) -> ProfileEnrollmentPolicy:
        policy = org.store.policy()
        if policy.id != policy_id:
            raise not_found(policy_id, "Policy")
        return policy

    @api.get("")
    def list_policies(request: Request, type: str) -> list[dict[str, Any]]:
        """Policies of a type; the mock holds one PROFILE_ENROLLMENT policy (other types are empty)."""
        policy = org.store.policy()
        return [render_policy(policy, base_url(request))] if type == "PROFILE_ENROLLMENT" else []

    @api.get("/{policy_id}")
    def get_policy(request: Request, policy_id: str) -> dict[str, Any]:
        return render_policy(load(policy_id), base_url(request))

    @api.put("/{policy_id}")
    def replace_policy(request: Request, policy_id: str, body: dict[str, Any] = Body(...)) -> dict[str, Any]:
        load(policy_id)
        causes = []
        if not isinstance(body.get("name"), str) or not body["name"].strip():
            causes.append("name: The field cannot be left blank")
        if body.get("type", "PROFILE_ENROLLMENT") != "PROFILE_ENROLLMENT":
            causes.append("type: The type of a policy cannot be changed")
        if body.get("description") is not None and not isinstance(body["description"], str):
            causes.append("description: Must be a string")
        if causes:
            raise OktaError(400, "E0000001", "; ".join(causes), causes)
        policy = org.store.update_policy(name=body["name"].strip(), description=body.get("description"))
        return render_policy(policy, base_url(request))

    @api.get("/{policy_id}/rules")
    def list_policy_rules(request: Request, policy_id: str) -> list[dict[str, Any]]:
        return [render_rule(load(policy_id), base_url(request))]

    @api.get("/{policy_id}/rules/{rule_id}")
    def get_policy_rule(request: Request, policy_id: str, rule_id: str) -> dict[str, Any]:
        policy = load(policy_id)
        if rule_id != DEFAULT_RULE_ID:
            raise not_found(rule_id, "PolicyRule")
        return render_rule(policy, base_url(request))

    @api.put("/{policy_id}/rules/{rule_id}")
    def replace_policy_rule(
        request: Request, policy_id: str, rule_id: str, body: dict[str, Any] = Body(...)
    ) -> dict[str, Any]:
        """Attach the registration hook (`preRegistrationInlineHooks`, at most one) and set the sign-up form."""
        load(policy_id)
        if rule_id != DEFAULT_RULE_ID:
            raise not_found(rule_id, "PolicyRule")
        enrollment = ((body.get("actions") or {}) if isinstance(body.get("actions"), dict) else {}).get(
            "profileEnrollment"
        )
        if not isinstance(enrollment, dict):
            raise OktaError(
                400, "E0000001", "actions.profileEnrollment is required", ["actions.profileEnrollment: Required"]
            )
        changes, causes = _enrollment_changes(org, enrollment)
        if causes:
            raise OktaError(400, "E0000001", "; ".join(causes), causes)
        return render_rule(org.store.update_policy(**changes), base_url(request))

    return api


def _enrollment_changes(org: MockOrg, enrollment: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    changes: dict[str, Any] = {}
    causes: list[str] = []
    if "access" in enrollment:
        if enrollment["access"] not in ("ALLOW", "DENY"):
            causes.append('actions.profileEnrollment.access: Must be "ALLOW" or "DENY"')
        else:
            changes["access"] = enrollment["access"]
    if "preRegistrationInlineHooks" in enrollment:
        hooks = enrollment["preRegistrationInlineHooks"] or []
        if not isinstance(hooks, list) or len(hooks) > 1 or not all(isinstance(h, dict) for h in hooks):
            causes.append("actions.profileEnrollment.preRegistrationInlineHooks: At most one {inlineHookId}")
        elif hooks:
            hook = org.store.inline_hook(str(hooks[0].get("inlineHookId")))
            if hook is None or hook["type"] != "com.okta.user.pre-registration":
                causes.append(
                    "actions.profileEnrollment.preRegistrationInlineHooks: No registration inline hook with that id"
                )
            else:
                changes["inline_hook_id"] = hook["id"]
        else:
            changes["inline_hook_id"] = None
    if "profileAttributes" in enrollment:
        attributes = enrollment["profileAttributes"]
        valid = (
            isinstance(attributes, list)
            and 1 <= len(attributes) <= 10
            and all(isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"] for a in attributes)
        )
        if not valid or not any(a.get("name") == "email" for a in attributes):
            causes.append(
                "actions.profileEnrollment.profileAttributes: 1 to 10 {name, label, required}, email among them"
            )
        else:
            changes["profile_attributes"] = [
                {"name": a["name"], "label": str(a.get("label") or a["name"]), "required": bool(a.get("required"))}
                for a in attributes
            ]
    return changes, causes


def logs_router(org: MockOrg) -> APIRouter:
    api = APIRouter(prefix="/api/v1/logs", tags=["logs"], dependencies=[org.require_token])

    @api.get("")
    def list_log_events(
        request: Request,
        since: str | None = None,
        until: str | None = None,
        filter: str | None = None,
        limit: int = 100,
        sortOrder: str = "ASCENDING",
    ) -> Response:
        """System Log events (`filter` such as `eventType eq "inline_hook.response.processed"`)."""
        if sortOrder not in ("ASCENDING", "DESCENDING"):
            raise OktaError(
                400, "E0000001", "sortOrder must be ASCENDING or DESCENDING", ["sortOrder: ASCENDING or DESCENDING"]
            )
        terms = _search(filter)
        start, end = _instant("since", since), _instant("until", until)
        events = [
            e
            for e in org.store.log_events()
            if matches(e, terms)
            and (start is None or _instant("published", e["published"]) >= start)  # type: ignore[operator]
            and (end is None or _instant("published", e["published"]) < end)  # type: ignore[operator]
        ]
        if sortOrder == "DESCENDING":
            events.reverse()
        return JSONResponse(events[: max(1, min(limit, 1000))])

    return api


def _instant(name: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise OktaError(
            400, "E0000001", f"{name} must be an ISO 8601 time", [f"{name}: not an ISO 8601 time"]
        ) from None
    if instant.tzinfo is None:
        raise OktaError(400, "E0000001", f"{name} needs a time zone", [f"{name}: add Z or an offset"])
    return instant
