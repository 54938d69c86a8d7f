"""The profile enrollment policy and its catch-all rule: the sign-up form, self-service registration on or off
(`unknownUserAction`), the registration inline hook (`preRegistrationInlineHooks`), the target group and the rest
of the rule's actions, validated as Okta's Policies API does."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .errors import ApiValidationError, ResourceNotFound
from .models import (
    REGISTRATION_HOOK,
    ProfileAttribute,
    ProfileEnrollmentPolicy,
    ProgressiveProfiling,
    UnknownUserAction,
)
from .okta_json import DEFAULT_RULE_ID
from .store import Store
from .user_schema import UserSchema

MAX_ATTRIBUTES = 10


class ProfileEnrollment:
    def __init__(self, store: Store, schema: UserSchema) -> None:
        self.store = store
        self.schema = schema

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
        """Replace the catch-all rule's `actions.profileEnrollment` (spec `ProfileEnrollmentPolicyRuleAction`):
        every field is validated and kept; a field left out keeps its value."""
        policy = self.rule(policy_id, rule_id)
        actions = body.get("actions") if isinstance(body, dict) else None
        enrollment = actions.get("profileEnrollment") if isinstance(actions, dict) else None
        if not isinstance(enrollment, dict):
            raise ApiValidationError(["actions.profileEnrollment: Required"])
        where = "actions.profileEnrollment"
        changes: dict[str, Any] = {}
        rule: dict[str, Any] = {}
        causes: list[str] = []
        if enrollment.get("uiSchemaId") != policy.rule.ui_schema_id:
            # Spec: "Value created by the backend. If present, all policy updates must include this attribute/value."
            causes.append(f"{where}.uiSchemaId: Must be the rule's current uiSchemaId ({policy.rule.ui_schema_id})")
        if "access" in enrollment and enrollment["access"] != policy.access:
            # Spec: "You can't set the `access` property to `DENY` after you create the policy"; the switch for
            # self-service registration is unknownUserAction.
            causes.append(f"{where}.access: Can't be changed after the policy is created; use unknownUserAction")
        for key, field, choices in (
            ("unknownUserAction", "unknown_user_action", UnknownUserAction),
            ("progressiveProfilingAction", "progressive_profiling", ProgressiveProfiling),
        ):
            if key in enrollment:
                if enrollment[key] not in tuple(choices):
                    allowed = " or ".join(f'"{choice.value}"' for choice in choices)
                    causes.append(f"{where}.{key}: Must be {allowed}")
                else:
                    rule[field] = choices(enrollment[key])
        if "activationRequirements" in enrollment:
            value = enrollment["activationRequirements"]
            verification = value.get("emailVerification") if isinstance(value, dict) else None
            if not isinstance(verification, bool):
                causes.append(f"{where}.activationRequirements: Must be {{emailVerification: true or false}}")
            else:
                rule["email_verification"] = verification
        if "targetGroupIds" in enrollment:
            groups = enrollment["targetGroupIds"] or []
            if not isinstance(groups, list) or len(groups) > 1 or not all(isinstance(g, str) for g in groups):
                causes.append(f"{where}.targetGroupIds: At most one group id")
            elif any(self.store.group(g) is None for g in groups):
                causes.append(f"{where}.targetGroupIds: No group with id {groups[0][:40]!r}")
            else:
                rule["target_group_ids"] = tuple(groups)
        if "allowedIdentifiers" in enrollment:
            identifiers = enrollment["allowedIdentifiers"] or ["login"]
            names = self.schema.names()
            if not isinstance(identifiers, list) or not all(isinstance(i, str) and i in names for i in identifiers):
                causes.append(f"{where}.allowedIdentifiers: A list of user profile attribute names")
            else:
                rule["allowed_identifiers"] = tuple(identifiers)
        if "enrollAuthenticatorTypes" in enrollment:
            types = enrollment["enrollAuthenticatorTypes"] or []
            if not isinstance(types, list) or any(t != "password" for t in types):
                causes.append(f'{where}.enrollAuthenticatorTypes: The only valid value is "password"')
            else:
                rule["enroll_authenticator_types"] = tuple(types)
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
                causes.append(f"{where}.profileAttributes: 1 to 10 {{name, label, required}}, email among them")
            else:
                changes["profile_attributes"] = tuple(
                    ProfileAttribute(a["name"], str(a.get("label") or a["name"]), bool(a.get("required")))
                    for a in attributes
                )
        if causes:
            raise ApiValidationError(causes)
        return self.store.update_policy(**changes, rule=replace(policy.rule, **rule))

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
