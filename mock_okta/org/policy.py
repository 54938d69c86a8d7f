"""The profile enrollment policy and its catch-all rule: the sign-up form, self-service registration on or off,
and the registration inline hook (`preRegistrationInlineHooks`), validated as Okta's Policies API does."""

from __future__ import annotations

from typing import Any

from .errors import ApiValidationError, ResourceNotFound
from .models import REGISTRATION_HOOK, Access, ProfileAttribute, ProfileEnrollmentPolicy
from .okta_json import DEFAULT_RULE_ID
from .store import Store

MAX_ATTRIBUTES = 10


class ProfileEnrollment:
    def __init__(self, store: Store) -> None:
        self.store = store

    def policy(self, policy_id: str | None = None) -> ProfileEnrollmentPolicy:
        policy = self.store.policy()
        if policy_id is not None and policy.id != policy_id:
            raise ResourceNotFound(policy_id, "Policy")
        return policy

    def rule(self, policy_id: str, rule_id: str) -> ProfileEnrollmentPolicy:
        """The policy that holds the rule (the mock keeps the rule's actions on the policy)."""
        policy = self.policy(policy_id)
        if rule_id != DEFAULT_RULE_ID:
            raise ResourceNotFound(rule_id, "PolicyRule")
        return policy

    def replace_policy(self, policy_id: str, body: Any) -> ProfileEnrollmentPolicy:
        self.policy(policy_id)
        if not isinstance(body, dict):
            raise ApiValidationError(["The request body must be a JSON object"])
        causes = []
        name, description = body.get("name"), body.get("description")
        if not isinstance(name, str) or not name.strip():
            causes.append("name: The field cannot be left blank")
        if body.get("type", "PROFILE_ENROLLMENT") != "PROFILE_ENROLLMENT":
            causes.append("type: The type of a policy cannot be changed")
        if description is not None and not isinstance(description, str):
            causes.append("description: Must be a string")
        if causes or not isinstance(name, str):
            raise ApiValidationError(causes)
        return self.store.update_policy(name=name.strip(), description=description)

    def replace_rule(self, policy_id: str, rule_id: str, body: Any) -> ProfileEnrollmentPolicy:
        """Attach the registration hook (`preRegistrationInlineHooks`, at most one) and set the sign-up form."""
        self.rule(policy_id, rule_id)
        actions = body.get("actions") if isinstance(body, dict) else None
        enrollment = actions.get("profileEnrollment") if isinstance(actions, dict) else None
        if not isinstance(enrollment, dict):
            raise ApiValidationError(["actions.profileEnrollment: Required"])
        changes: dict[str, Any] = {}
        causes: list[str] = []
        if "access" in enrollment:
            if enrollment["access"] not in tuple(Access):
                causes.append('actions.profileEnrollment.access: Must be "ALLOW" or "DENY"')
            else:
                changes["access"] = Access(enrollment["access"])
        if "preRegistrationInlineHooks" in enrollment:
            self._hook_change(enrollment["preRegistrationInlineHooks"] or [], changes, causes)
        if "profileAttributes" in enrollment:
            attributes = enrollment["profileAttributes"]
            valid = (
                isinstance(attributes, list)
                and 1 <= len(attributes) <= MAX_ATTRIBUTES
                and all(isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"] for a in attributes)
            )
            if not valid or not any(a.get("name") == "email" for a in attributes):
                causes.append(
                    "actions.profileEnrollment.profileAttributes: 1 to 10 {name, label, required}, email among them"
                )
            else:
                changes["profile_attributes"] = tuple(
                    ProfileAttribute(a["name"], str(a.get("label") or a["name"]), bool(a.get("required")))
                    for a in attributes
                )
        if causes:
            raise ApiValidationError(causes)
        return self.store.update_policy(**changes)

    def _hook_change(self, hooks: Any, changes: dict[str, Any], causes: list[str]) -> None:
        if not isinstance(hooks, list) or len(hooks) > 1 or not all(isinstance(h, dict) for h in hooks):
            causes.append("actions.profileEnrollment.preRegistrationInlineHooks: At most one {inlineHookId}")
        elif not hooks:
            changes["inline_hook_id"] = None
        else:
            hook = self.store.inline_hook(str(hooks[0].get("inlineHookId")))
            if hook is None or hook.type != REGISTRATION_HOOK:
                causes.append(
                    "actions.profileEnrollment.preRegistrationInlineHooks: No registration inline hook with that id"
                )
            else:
                changes["inline_hook_id"] = hook.id
