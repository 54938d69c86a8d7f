"""Which access policy rule mints, and which scopes it grants (okta-developer-docs `docs/reference/api/oidc`,
"Access token scopes and claims": "the Authorization Server uses the access policies to decide whether [the
scopes] can be granted. If any of the requested scopes are rejected by the Access Policies, the request is
rejected"; "Subtle behavior": a rule must allow the client, user and scope combination). Policies are tried by
priority among those whose `conditions.clients` name the client (or ALL_CLIENTS), then their rules by priority:
the first ACTIVE rule whose grant types, people and scopes all match wins. People do not apply without a user
(client credentials). A refresh is judged by the grant that got the refresh token (the mock's choice)."""

from __future__ import annotations

from dataclasses import dataclass

from ..oauth_defaults import SYSTEM_SCOPES
from ..oauth_models import (
    AuthorizationServer,
    AuthorizationServerPolicy,
    AuthorizationServerPolicyRule,
    LifecycleStatus,
    OAuth2Scope,
    OidcApp,
)
from ..store import Store
from .errors import (
    NO_DEFAULT_SCOPES,
    NO_MATCHING_POLICY,
    NO_MATCHING_SCOPE,
    OPENID_WITH_CLIENT_CREDENTIALS,
    oauth_error,
)

OIDC_SCOPES = frozenset(name for name, _ in SYSTEM_SCOPES)
MAX_SCOPE_TEXT = 1024  # "The maximum length for the scope parameter value is 1024 characters" (docs, Scope values)


@dataclass(frozen=True)
class Decision:
    policy: AuthorizationServerPolicy
    rule: AuthorizationServerPolicyRule
    scopes: tuple[OAuth2Scope, ...]  # granted, in the order asked

    @property
    def scope_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.scopes)


def requested_scopes(
    store: Store, server: AuthorizationServer, scope: str | None, grant_type: str
) -> list[OAuth2Scope]:
    """The server's scopes a request asks for; its default scopes when it names none."""
    known = {s.name: s for s in store.scopes(server.id)}
    if scope is None or not scope.strip():
        defaults = [s for s in known.values() if s.default]
        if not defaults:
            raise oauth_error(NO_DEFAULT_SCOPES)
        return defaults
    if len(scope) > MAX_SCOPE_TEXT:
        raise oauth_error(NO_MATCHING_SCOPE)
    names = list(dict.fromkeys(scope.split()))
    if any(name not in known for name in names):
        raise oauth_error(NO_MATCHING_SCOPE)
    if grant_type == "client_credentials" and OIDC_SCOPES & set(names):
        raise oauth_error(OPENID_WITH_CLIENT_CREDENTIALS)
    return [known[name] for name in names]


def decide(
    store: Store,
    server: AuthorizationServer,
    app: OidcApp,
    user_id: str | None,
    grant_type: str,
    scopes: list[OAuth2Scope],
) -> Decision:
    groups = _groups_of(store, user_id) if user_id else set()
    names = {s.name for s in scopes}
    for policy in store.as_policies(server.id):
        if policy.status != LifecycleStatus.ACTIVE:
            continue
        if "ALL_CLIENTS" not in policy.clients and app.client_id not in policy.clients:
            continue
        for rule in store.as_rules(policy.id):
            if rule.status != LifecycleStatus.ACTIVE or grant_type not in rule.grant_types:
                continue
            if user_id is not None and not _people_match(rule, user_id, groups):
                continue
            if "*" not in rule.scopes and not names <= set(rule.scopes):
                continue
            return Decision(policy, rule, tuple(scopes))
    raise oauth_error(NO_MATCHING_POLICY)


def _people_match(rule: AuthorizationServerPolicyRule, user_id: str, groups: set[str]) -> bool:
    if user_id in rule.users_exclude or groups & set(rule.groups_exclude):
        return False
    if not rule.users_include and not rule.groups_include:
        return True
    return user_id in rule.users_include or "EVERYONE" in rule.groups_include or bool(groups & set(rule.groups_include))


def _groups_of(store: Store, user_id: str) -> set[str]:
    return {group_id for group_id, _ in store.user_groups(user_id)}
