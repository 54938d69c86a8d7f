"""`mock-okta verify`: any hook against Okta's contract (named conformance checks, then the cases file), as a
table, JSON or JUnit XML; exit 0 when everything passes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..common import call_settings, channel_config, check_engine, chosen_type, fail, oauth_client, verdict_rules
from ..options import (
    OKTA_MAX_RETRIES,
    OKTA_TIMEOUT,
    Headers,
    HookTypeName,
    HookUrl,
    OAuthClientId,
    OAuthClientSecret,
    OAuthKeyId,
    OAuthPrivateKey,
    OAuthScope,
    OAuthTokenUrl,
    Retries,
    SchemaApiToken,
    SchemaOrgUrl,
    StrictHttps,
    Timeout,
    UserSchema,
    auth_header_option,
    engine_option,
)

if TYPE_CHECKING:
    from ...hook.verify import Result


def verify(
    hook_url: HookUrl,
    auth_header: Annotated[str | None, auth_header_option("; also checks that calls without it fail.")] = None,
    header: Headers = None,
    cases: Annotated[
        str | None, typer.Option(help="YAML cases file (default: the guide's example.com and gmail.com cases).")
    ] = None,
    type_name: HookTypeName = None,
    schema: UserSchema = None,
    org_url: SchemaOrgUrl = None,
    api_token: SchemaApiToken = None,
    junit_xml: Annotated[str | None, typer.Option(help="Also write the results as JUnit XML to this file.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document instead of the table.")] = False,
    timeout: Timeout = OKTA_TIMEOUT,
    retries: Retries = OKTA_MAX_RETRIES,
    strict_https: StrictHttps = False,
    engine: Annotated[
        str, engine_option("ie or classic: send the requests of an Identity Engine or a Classic Engine org.")
    ] = "ie",
    oauth_token_url: OAuthTokenUrl = None,
    oauth_client_id: OAuthClientId = None,
    oauth_client_secret: OAuthClientSecret = None,
    oauth_private_key: OAuthPrivateKey = None,
    oauth_key_id: OAuthKeyId = None,
    oauth_scope: OAuthScope = None,
) -> None:
    """Verify any hook against Okta's contract: named conformance checks, then your cases. Exit 0 when all pass."""
    from rich.console import Console

    from ...hook.cases import CasesError, load_cases, new_run_tag
    from ...hook.run import run_sync
    from ...hook.verify import verify as run_verification
    from ...hooktypes import REGISTRY
    from ..render import render_results

    check_engine(engine)
    settings = call_settings(timeout, retries, strict_https)
    oauth = oauth_client(
        oauth_token_url, oauth_client_id, oauth_client_secret, oauth_private_key, oauth_key_id, oauth_scope
    )
    config = channel_config(hook_url, auth_header, header or [], settings, oauth)
    try:
        case_set = load_cases(cases, REGISTRY, hook_type=chosen_type(type_name) if type_name else None)
    except CasesError as exc:
        fail(str(exc))
    config = case_set.hook_type.channel_config(config)  # the type's own call rules (a token hook: no retry)
    rules = verdict_rules(schema, org_url, api_token)
    results = run_sync(
        run_verification(config, case_set.hook_type, case_set.cases, run_tag=new_run_tag(), engine=engine, rules=rules)
    )
    if junit_xml:
        from ..junit import write_junit

        try:
            write_junit(junit_xml, results, hook_url=hook_url)
        except OSError as exc:
            fail(f"cannot write {junit_xml}: {exc.strerror or exc}")
    if as_json:
        print(json.dumps(_results_json(hook_url, results), indent=2, ensure_ascii=False))
    else:
        render_results(Console(), hook_url, results)
    if any(result.problems for result in results):
        raise typer.Exit(1)


def _results_json(hook_url: str, results: list[Result]) -> dict[str, Any]:
    return {
        "hookUrl": hook_url,
        "passed": not any(r.problems for r in results),
        "results": [
            {
                "kind": r.kind,
                "name": r.name,
                "passed": r.passed,
                "skipped": r.skipped,
                "problems": r.problems,
                "seconds": round(r.seconds, 3),
                "runs": [run.to_json() for run in r.runs],
            }
            for r in results
        ],
    }
