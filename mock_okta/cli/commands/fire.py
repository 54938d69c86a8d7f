"""`mock-okta fire`: requests at a hook the way Okta sends them, and what Okta would do with each answer; with
--count, many of them (`mock_okta.load.firing`) and a summary."""

from __future__ import annotations

import json
import sys
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
    from ...hook.channel import ChannelConfig
    from ...hook.outcome import VerdictRules
    from ...hook.registry import Case, HookType
    from ...load.firing import LoadSummary


def fire(
    hook_url: HookUrl,
    auth_header: Annotated[str | None, auth_header_option(", e.g. 'Authorization: Basic ...'.")] = None,
    header: Headers = None,
    email: Annotated[
        str | None, typer.Option(help="Email (and login) of the registering user; token hooks: the user's login.")
    ] = None,
    domain: Annotated[str | None, typer.Option(help="Email domain for a generated user.")] = None,
    type_name: HookTypeName = None,
    request_type: Annotated[
        str | None,
        typer.Option(
            help="The kind of request; registration hooks: registration (self.service.registration, the default) "
            "or profile-update (progressive.profile); token hooks: the grant type, authorization_code (the default), "
            "client_credentials or refresh_token."
        ),
    ] = None,
    engine: Annotated[
        str,
        engine_option("ie (Identity Engine requests) or classic (Classic Engine: no requestType, registration only)."),
    ] = "ie",
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a request field: dotted.path=value (JSON or text)."),
    ] = None,
    update: Annotated[
        list[str] | None,
        typer.Option(
            help="Profile update: an attribute the signed-in user submits, name=value (data.userProfileUpdate, "
            "instead of a generated one); repeatable; implies --request-type profile-update."
        ),
    ] = None,
    schema: UserSchema = None,
    org_url: SchemaOrgUrl = None,
    api_token: SchemaApiToken = None,
    seed: Annotated[int | None, typer.Option(help="Seed for the generated profile (reproducible requests).")] = None,
    locale: Annotated[str, typer.Option(help="Faker locale of generated profiles.")] = "en_US",
    timeout: Timeout = OKTA_TIMEOUT,
    retries: Retries = OKTA_MAX_RETRIES,
    strict_https: StrictHttps = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document instead of panels.")] = False,
    expect: Annotated[
        str | None,
        typer.Option(
            help="allow, deny or failure (token hooks: patched, unchanged, error or failure): exit 1 when Okta's "
            "outcome differs (a failed call is neither a deny nor unchanged)."
        ),
    ] = None,
    expect_message: Annotated[
        str | None, typer.Option(help="The text the end user must see (implies --expect deny).")
    ] = None,
    expect_field: Annotated[
        str | None, typer.Option(help="The form field that text shows under, e.g. email (implies --expect deny).")
    ] = None,
    expect_profile: Annotated[
        list[str] | None,
        typer.Option(help="An attribute the hook must set, name=value; repeatable (implies --expect allow)."),
    ] = None,
    max_ms: Annotated[
        float | None, typer.Option(help="Latency budget in ms: exit 1 when the hook answers slower.")
    ] = None,
    count: Annotated[int, typer.Option(min=1, help="How many registrations to fire.")] = 1,
    concurrency: Annotated[int, typer.Option(min=1, max=1024, help="How many at a time (with --count).")] = 1,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Processes sharing --count and --concurrency (one core each).")
    ] = 1,
    oauth_token_url: OAuthTokenUrl = None,
    oauth_client_id: OAuthClientId = None,
    oauth_client_secret: OAuthClientSecret = None,
    oauth_private_key: OAuthPrivateKey = None,
    oauth_key_id: OAuthKeyId = None,
    oauth_scope: OAuthScope = None,
) -> None:
    """Fire requests at a hook the way Okta does (registrations by default) and print what Okta would do."""
    from rich.console import Console

    from ...hook.cases import judge
    from ...hook.overrides import OverrideError
    from ...hook.registry import RequestOptions
    from ...hook.run import run_hook_sync
    from ...hooktypes import REGISTRATION
    from ..render import render_run, render_summary

    hook_type = chosen_type(type_name) if type_name else REGISTRATION
    if update:
        if hook_type is not REGISTRATION or request_type not in (None, "profile-update"):
            fail("--update is what a signed-in user submits: a registration hook's profile-update request")
        request_type = "profile-update"
    submitted = _assignments("--update", update or [])
    rules = verdict_rules(schema, org_url, api_token)
    case = _expectation(hook_type, expect, expect_message, expect_field, expect_profile or [], max_ms)
    if request_type is not None and request_type not in hook_type.request_kinds:
        fail(f"--request-type must be {' or '.join(hook_type.request_kinds)}, got {request_type!r}")
    check_engine(engine)
    if email is not None and domain is not None:
        fail("give --email or --domain, not both")
    settings = call_settings(timeout, retries, strict_https)
    oauth = oauth_client(
        oauth_token_url, oauth_client_id, oauth_client_secret, oauth_private_key, oauth_key_id, oauth_scope
    )
    config = hook_type.channel_config(channel_config(hook_url, auth_header, header or [], settings, oauth))
    try:
        requests = [
            hook_type.build_request(
                request_type,
                RequestOptions(
                    seed=None if seed is None else seed + index,
                    locale=locale,
                    email=email,
                    domain=domain,
                    sets=tuple(set_ or ()),
                    engine=engine,
                ),
            )
            for index in range(count)
        ]
    except OverrideError as exc:
        fail(str(exc))
    except AttributeError:
        fail(f"unknown --locale {locale!r}")
    if submitted:
        for request in requests:
            request["data"]["userProfileUpdate"] = dict(submitted)

    stdout = Console()
    if count == 1:
        run = run_hook_sync(config, hook_type, requests[0], rules=rules)
        if as_json:
            print(json.dumps(run.to_json(), indent=2, ensure_ascii=False))
        else:
            render_run(stdout, run)
        problems = judge(case, run, timeout=settings.timeout) if case else []
        for problem in problems:
            print(f"mock-okta: {problem}", file=sys.stderr)
        if problems:
            raise typer.Exit(1)
        return

    summary = _fire_many(config, hook_type, requests, concurrency, case, workers, rules, progress=not as_json)
    if as_json:
        print(json.dumps(summary.to_json(), indent=2))
    else:
        render_summary(stdout, summary)
    if summary.mismatches:
        raise typer.Exit(1)


def _fire_many(
    config: ChannelConfig,
    hook_type: HookType[Any],
    requests: list[dict[str, Any]],
    concurrency: int,
    case: Case | None,
    workers: int,
    rules: VerdictRules,
    *,
    progress: bool,
) -> LoadSummary:
    """--count: over `workers` processes, or on this one with a progress bar on stderr (unless `progress` is off)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ...load.firing import event_loop_run, fire_in_processes, fire_many

    if workers > 1:
        return fire_in_processes(config, hook_type, requests, concurrency, case, workers, rules)
    bar = Progress(
        TextColumn("firing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not progress,
        transient=True,
    )
    task = bar.add_task("fire", total=len(requests))
    with bar:
        advance = lambda: bar.advance(task)  # noqa: E731
        return event_loop_run(fire_many(config, hook_type, requests, concurrency, case, rules=rules, done=advance))


def _expectation(
    hook_type: HookType[Any],
    expect: str | None,
    message: str | None,
    field: str | None,
    profile: list[str],
    max_ms: float | None,
) -> Case | None:
    """What `fire` must see, as a case, from the --expect* options (None when none is given)."""
    from ...hook.cases import OutcomeCase
    from ...hooktypes import REGISTRATION
    from ...hooktypes.registration.cases import Expect, RegistrationCase

    if expect is None and message is None and field is None and not profile and max_ms is None:
        return None
    expects = (*(outcome.lower() for outcome in hook_type.outcomes), "failure")
    if expect is not None and expect.lower() not in expects:
        fail(f"--expect must be {', '.join(expects[:-1])} or failure, got {expect!r}")
    if max_ms is not None and not max_ms > 0:
        fail("--max-ms must be a positive number of milliseconds")
    if hook_type is not REGISTRATION:
        if message is not None or field is not None or profile:
            fail(
                f"--expect-message, --expect-field and --expect-profile are for registration hooks, "
                f"not {hook_type.name}"
            )
        return OutcomeCase("fire", expect.lower() if expect else None, max_ms or float("inf"))
    updates = _assignments("--expect-profile", profile)
    implied = Expect.DENY if message is not None or field is not None else Expect.ALLOW if updates else None
    wanted = Expect(expect.lower()) if expect else implied
    if implied is not None and wanted != implied:
        implied_by = "--expect-message/--expect-field" if implied == Expect.DENY else "--expect-profile"
        fail(f"--expect {wanted} contradicts {implied_by}")
    return RegistrationCase(
        "fire", wanted, profile_updates=updates, message=message, field=field, max_ms=max_ms or float("inf")
    )


def _assignments(option: str, assignments: list[str]) -> dict[str, Any]:
    """`name=value` options as attributes; the value is JSON when it parses, else text."""
    values: dict[str, Any] = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            fail(f"{option} expects name=value, got {assignment!r}")
        try:
            values[name.strip()] = json.loads(value)
        except ValueError:
            values[name.strip()] = value
    return values
