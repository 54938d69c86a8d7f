"""The token inline hook on a real org: which access policy rule of which custom authorization server names it, and
is the org ready for a token hook run (`mock-okta org check --type token`)?

Okta calls a token hook when a custom authorization server mints tokens under a rule whose
`actions.token.inlineHook.id` names it (spec `TokenAuthorizationServerPolicyRuleAction`; okta-developer-docs
`docs/reference/token-hook/index.md`: "You can associate only one inline hook with each rule"). A rule is found by
the server (its id, or its name), the policy and the rule (their names or ids); without a policy or a rule, the
first by priority: the one that mints first for a request it matches (docs `reference/api/authorization-servers`,
"Policy priority": "the one with the lowest numeric value is evaluated first").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..hooktypes import TOKEN
from .client import OrgClient, OrgError
from .readiness import Finding, HookUnderTest, attached_hook, executed

DEFAULT_SERVER = "default"  # the custom authorization server every developer org has (docs: "named default")
TOKEN_STATE = "token"  # a state file's `type` after `mock-okta org attach --type token`
SHOWN = 8  # how many names a "no such server/policy/rule" line lists


@dataclass(frozen=True)
class TokenRule:
    """A rule of an access policy of a custom authorization server, as the Management API answered them."""

    server: dict[str, Any]
    policy: dict[str, Any]
    rule: dict[str, Any]
    chosen: str = ""  # what was picked because it was not named ("the server's first policy's first rule")

    def where(self) -> str:
        """The rule in words: `rule 'R' of policy 'P' of authorization server 'S' (aus1)`."""
        server = f"authorization server {self.server['name']!r} ({self.server['id']})"
        return f"rule {self.rule['name']!r} of policy {self.policy['name']!r} of {server}"

    def inline_hook_id(self) -> str | None:
        hook = token_action(self.rule).get("inlineHook")
        hook_id = hook.get("id") if isinstance(hook, dict) else None
        return hook_id if isinstance(hook_id, str) and hook_id else None


def token_action(rule: dict[str, Any]) -> dict[str, Any]:
    """The rule's `actions.token`, created empty when the org left it out."""
    found: dict[str, Any] = rule.setdefault("actions", {}).setdefault("token", {})
    return found


def find_rule(
    client: OrgClient, server: str | None = None, policy: str | None = None, rule: str | None = None
) -> TokenRule:
    """The rule `server`/`policy`/`rule` name (ids or names, case-insensitive), the default server's and the first
    policy's and rule's where they are not named. One-line OrgError when one does not exist."""
    found_server = _server(client, server or DEFAULT_SERVER)
    chosen = []
    if server is None:
        chosen.append(f"the org's {DEFAULT_SERVER!r} server")
    policies = client.list_authorization_server_policies(found_server["id"])
    where = f"the authorization server {found_server['name']!r}"
    if not policies:
        raise OrgError(f"{where} has no access policy: add one, or give another --authorization-server")
    found_policy = _named(policies, policy, "policy", where) if policy else _first(policies)
    if policy is None:
        chosen.append("its first policy")
    rules = client.list_authorization_server_policy_rules(found_server["id"], found_policy["id"])
    where = f"the policy {found_policy['name']!r} of {where}"
    if not rules:
        raise OrgError(f"{where} has no rule: add one, or give another --policy")
    found_rule = _named(rules, rule, "rule", where) if rule else _first(rules)
    if rule is None:
        chosen.append("its first rule")
    return TokenRule(found_server, found_policy, found_rule, ", ".join(chosen))


def _server(client: OrgClient, name: str) -> dict[str, Any]:
    """The server whose id is `name`, else the one named so. Okta's `q` matches names and audiences by their start
    (spec listAuthorizationServers), so the name is compared here, whole."""
    by_id = client.get_authorization_server(name)
    if by_id is not None:
        return by_id
    matching = [s for s in client.list_authorization_servers(name) if str(s.get("name", "")).lower() == name.lower()]
    if len(matching) > 1:
        ids = ", ".join(str(s["id"]) for s in matching)
        raise OrgError(f"several authorization servers are named {name!r} ({ids}): give --authorization-server ID")
    if not matching:
        names = _names(client.list_authorization_servers())
        raise OrgError(f"the org has no authorization server {name!r} (its servers: {names})")
    return matching[0]


def _named(items: list[dict[str, Any]], name: str, kind: str, where: str) -> dict[str, Any]:
    for item in items:
        if item["id"] == name or str(item.get("name", "")).lower() == name.lower():
            return item
    raise OrgError(f"{where} has no {kind} {name!r} (its {kind} names: {_names(items)})")


def _first(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The first by `priority` (1 is evaluated first), the listing's order between equals."""
    return min(items, key=lambda item: _priority(item.get("priority")))


def _priority(value: Any) -> int:
    return value if isinstance(value, int) else 2**31


def _names(items: list[dict[str, Any]]) -> str:
    names = [repr(str(item.get("name"))) for item in items]
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    return (", ".join(names[:SHOWN]) + more) or "none"


def findings(
    client: OrgClient,
    *,
    server: str | None = None,
    policy: str | None = None,
    rule: str | None = None,
    under_test: HookUnderTest | None = None,
    call_hook: bool = True,
) -> Iterator[Finding]:
    """Reachable with the token, the rule found, its server, policy and rule ACTIVE (else nothing mints under it),
    a token hook attached to it and ACTIVE (which one: name and URI), (with `under_test`) that hook the one under
    test, and (`call_hook`) Okta able to call it. Stops after a problem the later findings depend on."""
    try:
        client.list_authorization_servers()
        yield True, f"{client.base_url} answers and accepts the token"
        found = find_rule(client, server, policy, rule)
    except OrgError as exc:
        yield False, str(exc)
        return
    chose = f" ({found.chosen}: --authorization-server, --policy, --rule choose another)" if found.chosen else ""
    yield True, f"the token hook's place: {found.where()}{chose}"
    inactive = [
        f"the {kind} {item['name']!r} is {item.get('status')}: activate it (nothing mints under an inactive {kind})"
        for kind, item in (("authorization server", found.server), ("policy", found.policy), ("rule", found.rule))
        if item.get("status") != "ACTIVE"
    ]
    for problem in inactive:
        yield False, problem
    if not inactive:
        grants = ", ".join(_included(found.rule, "grantTypes")) or "none"
        clients = ", ".join(_included(found.policy, "clients")) or "none"
        yield (
            True,
            f"the server, policy and rule are ACTIVE; the rule mints for {grants}; the policy's clients: {clients}",
        )
    hook_id = found.inline_hook_id()
    if hook_id is None:
        yield False, f"no token inline hook is attached to {found.where()} (mock-okta org attach --type token)"
        return
    yield from attached_hook(
        client,
        hook_id,
        gone=f"the rule names the inline hook {hook_id}, which does not exist",
        place="the rule",
        attach="mock-okta org attach --type token --hook-url URL",
        under_test=under_test,
        call=(lambda hook: reaches(client, hook)) if call_hook and not inactive else None,
    )


def _included(item: dict[str, Any], condition: str) -> list[str]:
    """A rule's `conditions.grantTypes.include` or a policy's `conditions.clients.include`."""
    conditions = item.get("conditions")
    found = conditions.get(condition) if isinstance(conditions, dict) else None
    include = found.get("include") if isinstance(found, dict) else None
    return [str(i) for i in include] if isinstance(include, list) else []


def reaches(client: OrgClient, hook: dict[str, Any]) -> Finding:
    """Okta calls the hook (`execute`) with a generated authorization code grant's request; the answer is judged by
    the token hook's verdict, as the org's own minting judges it (a refused patch: the reason it was refused)."""
    return executed(
        client,
        hook,
        TOKEN,
        TOKEN.build_request(),
        "a generated authorization_code grant",
        reason=lambda verdict: str(verdict.dropped or verdict.failure),
    )


def attached_by_state(state_file: str | Path, base_url: str) -> dict[str, Any] | None:
    """The state `mock-okta org attach --type token` left for this org (its server, policy and rule ids), or None
    without one (or one of another org or type, or unreadable)."""
    try:
        state = json.loads(Path(state_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("orgUrl") != base_url.rstrip("/"):
        return None
    return state if state.get("type") == TOKEN_STATE else None
