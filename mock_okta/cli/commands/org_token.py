"""`mock-okta org check | attach | restore --type token`: a token inline hook set on an access policy rule of a
custom authorization server of a real org (or `mock-okta serve`), and the rule put back afterwards.

The state file keeps what `restore` needs and what a run on the org needs to sign in through that server: the
server (`authorizationServerId`, `issuer`), the policy and rule, the hook the rule named before
(`previousInlineHook`, null for none) and the one attach created (`createdHookId`). Imported only when a command
runs with `--type token` (`--help` imports nothing of the org client: tests/cli/test_app.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..common import fail
from .org_state import other_attach, write_state

if TYPE_CHECKING:
    from ...okta_org.client import OrgClient
    from ...okta_org.readiness import Finding, HookUnderTest


def token_findings(
    client: OrgClient,
    server: str | None,
    policy: str | None,
    rule: str | None,
    under_test: HookUnderTest | None,
    state: Path,
) -> Iterator[Finding]:
    """`org check --type token`'s findings for the rule named, else the one the state file's attach set, else the
    default server's first policy's first rule."""
    from ...okta_org.token_rule import attached_by_state, findings

    saved = attached_by_state(state, client.base_url) if server is None else None
    if saved is not None:
        server = saved["authorizationServerId"]
        policy = policy or saved["policyId"]
        rule = rule or saved["ruleId"]
    return findings(client, server=server, policy=policy, rule=rule, under_test=under_test)


def attach_token(
    client: OrgClient,
    where: tuple[str, str | None, str | None],
    hook_url: str,
    header: tuple[str, str] | None,
    oauth: dict[str, str] | None,
    name: str,
    state: Path,
    saved: dict[str, Any] | None,
) -> None:
    """Create the token inline hook and set it on the rule (spec `TokenAuthorizationServerPolicyRuleAction`
    `inlineHook.id`); the hook the rule named before goes to the state file. A second attach to the same rule
    replaces the first one's hook and keeps the original "before"."""
    from ...okta_org.client import TOKEN_HOOK, OrgError
    from ...okta_org.token_rule import TOKEN_STATE, find_rule, token_action

    try:
        found = find_rule(client, *where)
        previous = token_action(found.rule).get("inlineHook")
        if saved is not None:
            same = (saved.get("type"), saved.get("orgUrl"), saved.get("ruleId")) == (
                TOKEN_STATE, client.base_url, found.rule["id"],
            )  # fmt: skip
            if not same:
                other_attach(state, saved)
            previous = saved["previousInlineHook"]
            client.remove_inline_hook(saved["createdHookId"])
        clash = [h for h in client.inline_hooks(None) if h["name"].lower() == name.lower()]
        if clash:
            fail(f"the org already has an inline hook named {name!r} that mock-okta did not create: use --name")
        hook = client.create_inline_hook(name, hook_url, header, oauth=oauth, hook_type=TOKEN_HOOK)
        write_state(
            state,
            {
                "type": TOKEN_STATE,
                "orgUrl": client.base_url,
                "authorizationServerId": found.server["id"],
                "authorizationServerName": found.server["name"],
                "issuer": found.server.get("issuer"),
                "audiences": found.server.get("audiences"),
                "policyId": found.policy["id"],
                "policyName": found.policy["name"],
                "ruleId": found.rule["id"],
                "ruleName": found.rule["name"],
                "previousInlineHook": previous,
                "createdHookId": hook["id"],
                "attached": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        )
        token_action(found.rule)["inlineHook"] = {"id": hook["id"]}
        client.replace_authorization_server_policy_rule(found.server["id"], found.policy["id"], found.rule)
    except OrgError as exc:
        fail(str(exc), 1)
    chose = f" ({found.chosen}: --policy and --rule choose another)" if found.chosen else ""
    print(f"attached {name!r} ({hook_url}) to {found.where()}{chose}; `mock-okta org restore` undoes it")


def restore_token(client: OrgClient, saved: dict[str, Any], state: Path) -> None:
    """Put back the hook the rule named before attach (none: the rule names none) and remove the one attach
    created. A rule deleted since is left deleted; the hook still goes."""
    from ...okta_org.client import OrgError
    from ...okta_org.token_rule import token_action

    server_id, policy_id = saved["authorizationServerId"], saved["policyId"]
    try:
        rule = client.get_authorization_server_policy_rule(server_id, policy_id, saved["ruleId"])
        if rule is not None:
            action = token_action(rule)
            action.pop("inlineHook", None)  # a replaced rule names no hook unless the PUT names one
            if saved["previousInlineHook"]:
                action["inlineHook"] = saved["previousInlineHook"]
            client.replace_authorization_server_policy_rule(server_id, policy_id, rule)
        client.remove_inline_hook(saved["createdHookId"])
    except OrgError as exc:
        fail(str(exc), 1)
    state.unlink()
    rule_name = repr(saved.get("ruleName", saved["ruleId"]))
    if rule is None:
        print(f"the rule {rule_name} is gone; removed the token hook attach created")
    else:
        print(f"restored the token inline hook of the rule {rule_name} and removed the one attach created")
