"""A custom authorization server's access policies and their rules, validated as Okta's API does (the spec's
`AuthorizationServerPolicy`, `AuthorizationServerPolicyRule`, `TokenAuthorizationServerPolicyRuleAction` with
`inlineHook`; okta-developer-docs `docs/reference/api/authorization-servers`, "Rule properties", "Actions object",
"Condition properties"). A rule's `actions.token.inlineHook.id` must name an inline hook of type
`com.okta.oauth2.tokens.transform` (the token hook reference: "You can associate only one inline hook with each
rule"). Priorities are renumbered 1..n after every change, as a real org answers (okta-sdk-python cassette
`test_authorization_server_rules_it/...test_policy_rules_lifecycle.yaml`: a lone rule PUT with priority 2 reads 1).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from ..hook.ids import event_time, okta_id
from .authorization_servers import AuthorizationServers
from .errors import ApiValidationError, ResourceNotFound
from .models import LogTarget
from .oauth_models import (
    TOKEN_HOOK,
    AuthorizationServerPolicy,
    AuthorizationServerPolicyRule,
    LifecycleStatus,
    TokenLifetimes,
)
from .store import Store
from .system_log import log_event

# The grant types a rule may name (docs "Condition properties"; the spec's GrantTypePolicyRuleCondition).
RULE_GRANT_TYPES = (
    "authorization_code",
    "client_credentials",
    "implicit",
    "password",
    "refresh_token",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:ietf:params:oauth:grant-type:token-exchange",
    "urn:ietf:params:oauth:grant-type:saml2-bearer",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:openid:params:grant-type:ciba",
    "interaction_code",
)
ACCESS_MINUTES = (5, 24 * 60)  # "minimum five minutes, maximum one day"
WINDOW_MINUTES = (10, 2_628_000)  # "minimum 10 minutes, maximum of five years"
EVENTS = {
    "policy.lifecycle.create": "Create policy",
    "policy.lifecycle.update": "Update policy",
    "policy.lifecycle.delete": "Delete policy",
    "policy.lifecycle.activate": "Activate policy",
    "policy.lifecycle.deactivate": "Deactivate policy",
    "policy.rule.add": "Add policy rule",
    "policy.rule.update": "Update policy rule",
    "policy.rule.delete": "Delete policy rule",
    "policy.rule.activate": "Activate policy rule",
    "policy.rule.deactivate": "Deactivate policy rule",
}
Ordered = TypeVar("Ordered", AuthorizationServerPolicy, AuthorizationServerPolicyRule)


class AccessPolicies:
    def __init__(self, store: Store, servers: AuthorizationServers) -> None:
        self.store = store
        self.servers = servers

    def _log(self, event_type: str, target: LogTarget) -> None:
        self.store.log_event(log_event(event_type, EVENTS[event_type], targets=(target,)))

    # -- policies ---------------------------------------------------------------------------------------------
    def policies(self, server_id: str) -> list[AuthorizationServerPolicy]:
        return self.store.as_policies(self.servers.get(server_id).id)

    def policy(self, server_id: str, policy_id: str) -> AuthorizationServerPolicy:
        for policy in self.policies(server_id):
            if policy.id == policy_id:
                return policy
        raise ResourceNotFound(policy_id, "Policy")

    def create_policy(self, server_id: str, body: Any) -> AuthorizationServerPolicy:
        server = self.servers.get(server_id)
        now = event_time()
        empty = AuthorizationServerPolicy(okta_id("00p"), server.id, "", "", 1, LifecycleStatus.ACTIVE, (), now, now)
        policy = self._policy(body, empty)
        with self.store.transaction():
            self._reorder(self.store.as_policies(server.id), policy, self.store.save_as_policy)
            self._log("policy.lifecycle.create", _policy_target(policy))
        return self.policy(server.id, policy.id)

    def replace_policy(self, server_id: str, policy_id: str, body: Any) -> AuthorizationServerPolicy:
        existing = self.policy(server_id, policy_id)
        policy = replace(self._policy(body, existing), last_updated=event_time())
        with self.store.transaction():
            self._reorder(self.store.as_policies(existing.server_id), policy, self.store.save_as_policy)
            self._log("policy.lifecycle.update", _policy_target(policy))
        return self.policy(server_id, policy_id)

    def set_policy_status(self, server_id: str, policy_id: str, status: LifecycleStatus) -> None:
        policy = replace(self.policy(server_id, policy_id), status=status, last_updated=event_time())
        with self.store.transaction():
            self.store.save_as_policy(policy)
            kind = "activate" if status == LifecycleStatus.ACTIVE else "deactivate"
            self._log(f"policy.lifecycle.{kind}", _policy_target(policy))

    def delete_policy(self, server_id: str, policy_id: str) -> None:
        policy = self.policy(server_id, policy_id)
        with self.store.transaction():
            self.store.delete_as_policy(policy.id)
            self._reorder(self.store.as_policies(policy.server_id), None, self.store.save_as_policy)
            self._log("policy.lifecycle.delete", _policy_target(policy))

    def _policy(self, body: Any, existing: AuthorizationServerPolicy) -> AuthorizationServerPolicy:
        if not isinstance(body, dict):
            raise ApiValidationError(["The request body must be a JSON object"])
        causes = []
        name, description = body.get("name"), body.get("description")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 100:
            causes.append("name: The field cannot be left blank and must be at most 100 characters")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 255:
            causes.append("description: The field cannot be left blank and must be at most 255 characters")
        if body.get("type", "OAUTH_AUTHORIZATION_POLICY") != "OAUTH_AUTHORIZATION_POLICY":
            causes.append("type: Must be OAUTH_AUTHORIZATION_POLICY")
        priority = _priority(body, existing.priority, causes)
        status = body.get("status", existing.status)
        if status not in (LifecycleStatus.ACTIVE, LifecycleStatus.INACTIVE):
            causes.append("status: ACTIVE or INACTIVE")
        conditions = body.get("conditions")
        if conditions is not None and not isinstance(conditions, dict):
            causes.append("conditions: An object (clients)")
        clients = _include(conditions, ("clients",), causes, "conditions.clients.include")
        if causes or not isinstance(name, str) or not isinstance(description, str):
            raise ApiValidationError(causes)
        return replace(
            existing,
            name=name.strip(),
            description=description.strip(),
            priority=priority,
            status=LifecycleStatus(status),
            clients=clients,
        )

    # -- rules ------------------------------------------------------------------------------------------------
    def rules(self, server_id: str, policy_id: str) -> list[AuthorizationServerPolicyRule]:
        return self.store.as_rules(self.policy(server_id, policy_id).id)

    def rule(self, server_id: str, policy_id: str, rule_id: str) -> AuthorizationServerPolicyRule:
        for rule in self.rules(server_id, policy_id):
            if rule.id == rule_id:
                return rule
        raise ResourceNotFound(rule_id, "PolicyRule")

    def create_rule(self, server_id: str, policy_id: str, body: Any) -> AuthorizationServerPolicyRule:
        policy = self.policy(server_id, policy_id)
        now = event_time()
        empty = AuthorizationServerPolicyRule(
            okta_id("0pr"), policy.id, policy.server_id, "", 1, LifecycleStatus.ACTIVE, (), (), (), (), (), (),
            TokenLifetimes(), now, now,
        )  # fmt: skip
        rule = self._rule(body, empty, creating=True)
        with self.store.transaction():
            self._reorder(self.store.as_rules(policy.id), rule, self.store.save_as_rule)
            self._log("policy.rule.add", _rule_target(rule))
        return self.rule(server_id, policy_id, rule.id)

    def replace_rule(self, server_id: str, policy_id: str, rule_id: str, body: Any) -> AuthorizationServerPolicyRule:
        existing = self.rule(server_id, policy_id, rule_id)
        rule = replace(self._rule(body, existing, creating=False), last_updated=event_time())
        with self.store.transaction():
            self._reorder(self.store.as_rules(existing.policy_id), rule, self.store.save_as_rule)
            self._log("policy.rule.update", _rule_target(rule))
        return self.rule(server_id, policy_id, rule_id)

    def set_rule_status(self, server_id: str, policy_id: str, rule_id: str, status: LifecycleStatus) -> None:
        rule = replace(self.rule(server_id, policy_id, rule_id), status=status, last_updated=event_time())
        with self.store.transaction():
            self.store.save_as_rule(rule)
            kind = "activate" if status == LifecycleStatus.ACTIVE else "deactivate"
            self._log(f"policy.rule.{kind}", _rule_target(rule))

    def delete_rule(self, server_id: str, policy_id: str, rule_id: str) -> None:
        rule = self.rule(server_id, policy_id, rule_id)
        with self.store.transaction():
            self.store.delete_as_rule(rule.id)
            self._reorder(self.store.as_rules(rule.policy_id), None, self.store.save_as_rule)
            self._log("policy.rule.delete", _rule_target(rule))

    def _rule(
        self, body: Any, existing: AuthorizationServerPolicyRule, *, creating: bool
    ) -> AuthorizationServerPolicyRule:
        if not isinstance(body, dict):
            raise ApiValidationError(["The request body must be a JSON object"])
        causes: list[str] = []
        name = body.get("name")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 100:
            causes.append("name: The field cannot be left blank and must be at most 100 characters")
        if body.get("type", "RESOURCE_ACCESS") != "RESOURCE_ACCESS":
            causes.append("type: Must be RESOURCE_ACCESS")
        priority = _priority(body, existing.priority, causes)
        status = body.get("status", existing.status)
        if status not in (LifecycleStatus.ACTIVE, LifecycleStatus.INACTIVE):
            causes.append("status: ACTIVE or INACTIVE")
        conditions = body.get("conditions")
        if conditions is None and creating:
            causes.append("conditions: Required (grantTypes, people, scopes)")
        elif conditions is not None and not isinstance(conditions, dict):
            causes.append("conditions: An object (grantTypes, people, scopes)")
            conditions = {}
        grants = _include(conditions, ("grantTypes",), causes, "conditions.grantTypes.include")
        if any(g not in RULE_GRANT_TYPES for g in grants):
            causes.append(f"conditions.grantTypes.include: Each one of {', '.join(RULE_GRANT_TYPES)}")
        elif conditions is not None and not grants:
            causes.append("conditions.grantTypes.include: At least one grant type")
        scopes = _include(conditions, ("scopes",), causes, "conditions.scopes.include")
        if conditions is not None and not scopes:
            causes.append('conditions.scopes.include: At least one scope, or "*"')
        people = ("people", "users")
        users_in = _include(conditions, people, causes, "conditions.people.users.include")
        users_out = _include(conditions, people, causes, "conditions.people.users.exclude", "exclude")
        groups = ("people", "groups")
        groups_in = _include(conditions, groups, causes, "conditions.people.groups.include")
        groups_out = _include(conditions, groups, causes, "conditions.people.groups.exclude", "exclude")
        token = self._token(body.get("actions"), existing.token, causes)
        if causes or not isinstance(name, str):
            raise ApiValidationError(causes)
        if conditions is None:
            grants, scopes = existing.grant_types, existing.scopes
            users_in, users_out, groups_in, groups_out = (
                existing.users_include, existing.users_exclude, existing.groups_include, existing.groups_exclude
            )  # fmt: skip
        return replace(
            existing,
            name=name.strip(),
            priority=priority,
            status=LifecycleStatus(status),
            grant_types=grants,
            scopes=scopes,
            users_include=users_in,
            users_exclude=users_out,
            groups_include=groups_in,
            groups_exclude=groups_out,
            token=token,
        )

    def _token(self, actions: Any, existing: TokenLifetimes, causes: list[str]) -> TokenLifetimes:
        if actions is None:
            return existing
        token = actions.get("token") if isinstance(actions, dict) else None
        if token is None:
            return existing
        if not isinstance(token, dict):
            causes.append("actions.token: An object")
            return existing
        access = token.get("accessTokenLifetimeMinutes", existing.access_token_minutes)
        refresh = token.get("refreshTokenLifetimeMinutes", existing.refresh_token_minutes)
        window = token.get("refreshTokenWindowMinutes", existing.refresh_window_minutes)
        if not _int_in(access, *ACCESS_MINUTES):
            causes.append("actions.token.accessTokenLifetimeMinutes: Between 5 minutes and one day (1440)")
        if not _int_in(refresh, 0, 2**31) or (_int_in(access, 0, 2**31) and 0 < refresh < access):
            causes.append("actions.token.refreshTokenLifetimeMinutes: 0 (unlimited) or at least the access lifetime")
        if not _int_in(window, *WINDOW_MINUTES):
            causes.append("actions.token.refreshTokenWindowMinutes: Between 10 minutes and five years (2628000)")
        hook = token.get("inlineHook")
        hook_id = None
        if hook is not None:
            hook_id = hook.get("id") if isinstance(hook, dict) else None
            found = self.store.inline_hook(hook_id) if isinstance(hook_id, str) and hook_id else None
            if found is None:
                causes.append("actions.token.inlineHook.id: Must be the id of an inline hook of this org")
            elif found.type != TOKEN_HOOK:
                causes.append(f"actions.token.inlineHook.id: The inline hook must be of type {TOKEN_HOOK}")
        if not isinstance(access, int) or not isinstance(refresh, int) or not isinstance(window, int):
            return existing
        return TokenLifetimes(access, refresh, window, hook_id if isinstance(hook_id, str) else None)

    @staticmethod
    def _reorder(current: Sequence[Ordered], changed: Ordered | None, save: Callable[[Ordered], Ordered]) -> None:
        """Put `changed` at its priority among the others and number them all 1..n."""
        others = [item for item in current if changed is None or item.id != changed.id]
        if changed is not None:
            others.insert(max(0, min(changed.priority - 1, len(others))), changed)
        for position, item in enumerate(others, start=1):
            if item.priority != position or item is changed:
                save(replace(item, priority=position))


def _priority(body: dict[str, Any], default: int, causes: list[str]) -> int:
    priority = body.get("priority", default)
    if not _int_in(priority, 1, 10_000):
        causes.append("priority: A whole number from 1")
        return default
    return int(priority)


def _int_in(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _include(
    conditions: Any, path: tuple[str, ...], causes: list[str], label: str, key: str = "include"
) -> tuple[str, ...]:
    """conditions.<path>.<key>: a list of strings (absent: empty)."""
    node = conditions
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    values = node.get(key, []) if isinstance(node, dict) else [] if node is None else None
    if (
        not isinstance(values, list)
        or len(values) > 100
        or not all(isinstance(v, str) and 0 < len(v) <= 300 for v in values)
    ):
        causes.append(f"{label}: A list of names")
        return ()
    return tuple(values)


def _policy_target(policy: AuthorizationServerPolicy) -> LogTarget:
    return LogTarget(policy.id, "PolicyEntity", policy.name, policy.name)


def _rule_target(rule: AuthorizationServerPolicyRule) -> LogTarget:
    return LogTarget(rule.id, "PolicyRule", rule.name, rule.name)
