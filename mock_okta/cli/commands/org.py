"""`mock-okta org check | attach | restore | cleanup`: a real developer org (or `mock-okta serve`) made ready for
pre-release verification, and put back afterwards. Every finding is one line; nothing here prints the token.
`--type token` does the same for a token inline hook on an access policy rule of a custom authorization server
(`org_token`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from ..common import client_for, fail
from ..help import HelpCommand, HelpGroup
from ..options import (
    RUN_TAG_PREFIX,
    OAuthClientId,
    OAuthClientSecret,
    OAuthHookKeyId,
    OAuthPrivateKey,
    OAuthScope,
    OAuthTokenUrl,
)
from .org_state import other_attach, read_state, write_state

org_app = typer.Typer(
    cls=HelpGroup, help="Prepare a real Okta org for pre-release verification, and put it back.", no_args_is_help=True
)
# `mock_okta.okta_org.STATE_FILE`, repeated so `--help` imports nothing of the org client (tests/cli/test_app.py).
DEFAULT_STATE = ".mock-okta-org.json"
DEFAULT_HOOK_NAME = "mock-okta: hook under test"
# Inline hook names are unique in an org whatever their type (the mock refuses a second one, as the Admin Console
# does): the token hook gets its own, so both can be attached at once.
DEFAULT_TOKEN_HOOK_NAME = "mock-okta: token hook under test"

OrgUrl = Annotated[
    str, typer.Option("--org-url", envvar="OKTA_ORG_URL", help="The org, e.g. https://dev-123.okta.com.")
]
ApiToken = Annotated[
    str,
    typer.Option("--api-token", envvar="OKTA_API_TOKEN", help="An API token (SSWS) of an admin.", show_default=False),
]
StateFile = Annotated[str, typer.Option("--state", help="Where attach saves what restore puts back.")]
HookTypeName = Annotated[
    str, typer.Option("--type", help="The hook type: registration (profile enrollment policy) or token (a rule).")
]
AuthorizationServer = Annotated[
    str | None,
    typer.Option(
        "--authorization-server",
        help="--type token: the custom authorization server (its id or name) whose rule calls the hook.",
    ),
]
PolicyName = Annotated[
    str | None, typer.Option("--policy", help="--type token: the server's access policy (default: its first).")
]
RuleName = Annotated[str | None, typer.Option("--rule", help="--type token: the policy's rule (default: its first).")]
HOOK_TYPES = ("registration", "token")


def _hook_type(name: str, server: str | None, policy: str | None, rule: str | None) -> str:
    """The --type, checked; the token hook's options refused for a registration hook (one line, exit 2)."""
    if name not in HOOK_TYPES:
        fail(f"--type must be registration or token, got {name!r}")
    if name == "registration" and (server or policy or rule):
        fail("--authorization-server, --policy and --rule place a token hook: add --type token")
    return name


@org_app.command(cls=HelpCommand)
def check(
    org_url: OrgUrl,
    api_token: ApiToken,
    hook_url: Annotated[
        str | None,
        typer.Option("--hook-url", help="The hook under test: fail when the org calls another one."),
    ] = None,
    hook_type: HookTypeName = "registration",
    authorization_server: AuthorizationServer = None,
    policy_name: PolicyName = None,
    rule_name: RuleName = None,
    state: StateFile = DEFAULT_STATE,
) -> None:
    """Is the org ready: reachable, token accepted, self-service registration on, a registration hook attached
    and ACTIVE (which one: its name and URL; with --hook-url, that it is the hook under test), and Okta able to
    call it (`execute`). With --type token: the rule (named, else the one `attach --type token` saved in the state
    file, else the default server's first policy's first rule), its server, policy and rule ACTIVE, a token hook
    attached and ACTIVE, the hook under test, Okta able to call it. One line per finding; exit 1 when something is
    wrong."""
    from ...okta_org.readiness import HookUnderTest, findings

    kind = _hook_type(hook_type, authorization_server, policy_name, rule_name)
    client = client_for(org_url, api_token)
    under_test = HookUnderTest(url=hook_url) if hook_url else None
    if kind == "token":
        from .org_token import token_findings

        found = token_findings(client, authorization_server, policy_name, rule_name, under_test, Path(state))
    else:
        found = findings(client, under_test=under_test)
    problems = 0
    for fine, text in found:
        problems += not fine
        print(f"{'ok  ' if fine else 'FAIL'} {text}")
    if problems:
        raise typer.Exit(1)


@org_app.command(cls=HelpCommand)
def attach(
    org_url: OrgUrl,
    api_token: ApiToken,
    hook_url: Annotated[str, typer.Option("--hook-url", help="The hook Okta must call (https).")],
    auth_header: Annotated[str | None, typer.Option(help="The hook's authScheme header, 'Name: value'.")] = None,
    name: Annotated[
        str | None, typer.Option(help=f"The inline hook's name in the org (default {DEFAULT_HOOK_NAME!r}).")
    ] = None,
    state: StateFile = DEFAULT_STATE,
    hook_type: HookTypeName = "registration",
    authorization_server: AuthorizationServer = None,
    policy_name: PolicyName = None,
    rule_name: RuleName = None,
    oauth_token_url: OAuthTokenUrl = None,
    oauth_client_id: OAuthClientId = None,
    oauth_client_secret: OAuthClientSecret = None,
    oauth_hook_key_id: OAuthHookKeyId = None,
    oauth_private_key: OAuthPrivateKey = None,
    oauth_scope: OAuthScope = None,
) -> None:
    """Create the inline hook and attach it to the profile enrollment policy (--type token: to a rule of
    --authorization-server, by default its first policy's first rule); what was attached before is saved in the
    state file, so that `restore` puts the org back exactly. The hook authenticates Okta with --auth-header, or with
    OAuth 2.0 (--oauth-*: client_secret_post with a client secret, private_key_jwt with an org hook key)."""
    from ...hook.channel import parse_header
    from ...hook.settings import ConfigError
    from ...okta_org.client import OrgError
    from ...okta_org.readiness import enrollment

    kind = _hook_type(hook_type, authorization_server, policy_name, rule_name)
    if kind == "token" and not authorization_server:
        fail(
            "attach --type token needs --authorization-server ID_OR_NAME (e.g. default): the server whose rule calls it"
        )
    oauth = _oauth_channel(
        oauth_token_url, oauth_client_id, oauth_client_secret, oauth_hook_key_id, oauth_private_key, oauth_scope
    )
    if oauth is not None and auth_header:
        fail("give --auth-header (an HTTP channel) or the --oauth-* options (an OAUTH channel), not both")
    client = client_for(org_url, api_token)
    try:
        header = parse_header(auth_header) if auth_header else None
    except ConfigError as exc:
        fail(str(exc))
    saved = read_state(Path(state)) if Path(state).exists() else None
    if kind == "token":
        from .org_token import attach_token

        assert authorization_server is not None
        where = (authorization_server, policy_name, rule_name)
        attach_token(client, where, hook_url, header, oauth, name or DEFAULT_TOKEN_HOOK_NAME, Path(state), saved)
        return
    name = name or DEFAULT_HOOK_NAME
    if saved is not None and saved.get("type", "registration") != "registration":
        other_attach(state, saved)
    try:
        policy_id, rule = client.profile_enrollment_rule()
        if saved is not None:  # a second attach replaces the first: the saved "before" stays the original one
            client.remove_inline_hook(saved["createdHookId"])
            before = saved["previousHooks"]
        else:
            before = enrollment(rule).get("preRegistrationInlineHooks") or []
        clash = [h for h in client.inline_hooks() if h["name"].lower() == name.lower()]
        if clash:
            fail(f"the org already has an inline hook named {name!r} that mock-okta did not create: use --name")
        hook = client.create_inline_hook(name, hook_url, header, oauth=oauth)
        write_state(
            Path(state),
            {
                "type": "registration",
                "orgUrl": client.base_url,
                "policyId": policy_id,
                "ruleId": rule["id"],
                "previousHooks": before,
                "createdHookId": hook["id"],
                "attached": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        )
        enrollment(rule)["preRegistrationInlineHooks"] = [{"inlineHookId": hook["id"]}]
        client.replace_rule(policy_id, rule)
    except OrgError as exc:
        fail(str(exc), 1)
    print(f"attached {name!r} ({hook_url}) to the profile enrollment policy; `mock-okta org restore` undoes it")


def _oauth_channel(
    token_url: str | None,
    client_id: str | None,
    client_secret: str | None,
    hook_key_id: str | None,
    private_key: str | None,
    scope: str | None,
) -> dict[str, str] | None:
    """The OAUTH channel config of the --oauth-* options (spec InlineHookOAuthClientSecretConfigCreate /
    InlineHookOAuthPrivateKeyJwtConfig), or None without them; one line for an incomplete set."""
    if private_key is not None:
        # The org signs with "the hook key pair generated from the Hook Keys API" (spec
        # InlineHookOAuthPrivateKeyJwtConfig.hookKeyId); that API generates the pair and hands out only its public
        # key (spec HookKey, Embedded): an org cannot sign with a key file of ours.
        fail(
            "an org signs private_key_jwt with a hook key it generated (POST /api/v1/hook-keys), not a key file: "
            "give --oauth-hook-key-id"
        )
    if not any((token_url, client_id, client_secret, hook_key_id, scope)):
        return None
    if not token_url or not client_id:
        fail("an OAuth 2.0 channel needs --oauth-token-url and --oauth-client-id")
    if bool(client_secret) == bool(hook_key_id):
        fail("give --oauth-client-secret (client_secret_post) or --oauth-hook-key-id (private_key_jwt): one of them")
    config = {"authType": "client_secret_post" if client_secret else "private_key_jwt", "clientId": client_id}
    config |= {"tokenUrl": token_url}
    if client_secret:
        config["clientSecret"] = client_secret
    if hook_key_id:
        config["hookKeyId"] = hook_key_id
    if scope:
        config["scope"] = scope
    return config


@org_app.command(cls=HelpCommand)
def restore(org_url: OrgUrl, api_token: ApiToken, state: StateFile = DEFAULT_STATE) -> None:
    """Put back the hook that was attached before `attach` (the profile enrollment policy's, or with a token hook the
    rule's), and remove the one it created."""
    from ...okta_org.client import OrgError
    from ...okta_org.readiness import enrollment

    client = client_for(org_url, api_token)
    path = Path(state)
    if not path.exists():
        fail(f"no state file {state}: nothing to restore")
    saved = read_state(path)
    if saved["orgUrl"] != client.base_url:
        fail(f"{state} belongs to {saved['orgUrl']}, not {client.base_url}")
    if saved.get("type") == "token":
        from .org_token import restore_token

        restore_token(client, saved, path)
        return
    try:
        policy_id, rule = client.profile_enrollment_rule()
        enrollment(rule)["preRegistrationInlineHooks"] = saved["previousHooks"]
        client.replace_rule(policy_id, rule)
        client.remove_inline_hook(saved["createdHookId"])
    except OrgError as exc:
        fail(str(exc), 1)
    path.unlink()
    print("restored the profile enrollment policy's inline hook and removed the one attach created")


@org_app.command(cls=HelpCommand)
def cleanup(
    org_url: OrgUrl,
    api_token: ApiToken,
    run_tag: Annotated[
        str, typer.Option(help="Delete only the users of this run (default: of every mock-okta run).")
    ] = RUN_TAG_PREFIX,
    cases: Annotated[
        str | None,
        typer.Option(
            help="The cases file the runs signed up: also finds users whose address has text before {uid} "
            "(slow.{uid}@acme.test)."
        ),
    ] = None,
) -> None:
    """Delete the users that runs created (their addresses carry the run tag where the cases put {uid}) and the OIDC
    apps they created (their label starts with the run tag): deactivate, then delete. The apps' client ids are first
    taken out of every authorization server policy that names them (a killed okta_tokens run adds its app there)."""
    from ...okta_org.client import OrgError, cleanup_prefixes

    if not run_tag.startswith(RUN_TAG_PREFIX):
        fail(f"--run-tag must start with {RUN_TAG_PREFIX!r}: only users that runs created are deleted")
    templates = _email_templates(cases) if cases else []
    client = client_for(org_url, api_token)
    try:
        users = client.users_of_runs(run_tag, templates)
        for user in users:
            client.delete_user(user["id"])
        apps = client.apps_of_runs(run_tag)
        # A killed `okta_tokens` run may have left its app's client id in the policy of the rule it minted under
        # (`OrgTokenIssuer` adds it when the policy names its clients): taken out before the app goes, so no policy
        # keeps naming a client that no longer exists. Only policies are read when there is a run's app: an org
        # without custom authorization servers is not asked about them.
        policies = client.remove_policy_clients(_client_ids(apps)) if apps else []
        for app in apps:
            client.delete_app(app["id"])
    except OrgError as exc:
        fail(str(exc), 1)
    prefixes = ", ".join(repr(p) for p in sorted(cleanup_prefixes(run_tag, templates)))
    print(f"deleted {len(users)} user(s) whose email starts with {prefixes}")
    print(f"deleted {len(apps)} app(s) whose label starts with {run_tag!r}")
    for place in policies:
        print(f"took the client id(s) of these apps out of {place}")


def _client_ids(apps: list[dict[str, Any]]) -> list[str]:
    """The OAuth client ids of apps (`credentials.oauthClient.client_id`; an OIDC app's id is its client id in
    Okta, the fallback)."""
    ids = []
    for app in apps:
        oauth = ((app.get("credentials") or {}).get("oauthClient")) or {}
        ids.append(str(oauth.get("client_id") or app["id"]))
    return ids


def _email_templates(path: str) -> list[str]:
    """The email addresses (with `{uid}`) of a cases file's cases; a case whose users cleanup could not find is
    refused in one line."""
    from ...hook.cases import CasesError, load_cases
    from ...hooktypes import REGISTRY
    from ...okta_org.client import uid_problem

    try:
        loaded = load_cases(path, REGISTRY)
    except CasesError as exc:
        fail(str(exc))
    templates = []
    for case in loaded.cases:
        email = getattr(case, "profile", {}).get("email")
        if isinstance(email, str):
            problem = uid_problem(email)
            if problem:
                fail(f"{path}: case {case.name!r}: {problem}")
            templates.append(email)
    return templates
