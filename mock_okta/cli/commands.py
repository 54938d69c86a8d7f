"""`mock-okta`: fire requests at a hook, verify it, run the guide's demo, print a hook type's JSON Schema."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..hook.cases import CasesError, OutcomeCase, judge, load_cases
from ..hook.channel import ChannelConfig, HookChannel
from ..hook.oauth import CLIENT_SECRET_POST, PRIVATE_KEY_JWT, OAuthClient
from ..hook.outcome import HookRun
from ..hook.overrides import OverrideError
from ..hook.registry import Case, HookType, RequestOptions, UnknownHookType
from ..hook.run import run_hook, run_sync
from ..hook.settings import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, CallSettings, ConfigError
from ..hook.verify import Result
from ..hooktypes import REGISTRATION, REGISTRY
from ..hooktypes.registration.cases import Expect, RegistrationCase
from ..hooktypes.registration.payloads import ENGINES
from ..org.settings import WIDGET_GENERATIONS
from ..serving.guarded_http import DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_CONNECTIONS
from .org import org_app
from .render import LoadSummary, render_run, render_summary
from .widget import widget_app

app = typer.Typer(
    help="Mock Okta and test harness for Okta's hooks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(org_app, name="org")
app.add_typer(widget_app, name="widget")
stdout = Console()
stderr = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr and a non-zero exit: user mistakes never show a traceback."""
    print(f"mock-okta: error: {message}", file=sys.stderr)
    raise typer.Exit(code)


def call_settings(timeout: float, retries: int, strict_https: bool) -> CallSettings:
    try:
        return CallSettings(timeout, retries, strict_https)
    except ConfigError as exc:
        fail(_option_names(str(exc)))


# OAuth 2.0 channel options, shared by `fire` and `verify` (channel type OAUTH).
OAuthTokenUrl = Annotated[
    str | None, typer.Option("--oauth-token-url", help="OAuth 2.0 channel: the token endpoint (client credentials).")
]
OAuthClientId = Annotated[str | None, typer.Option("--oauth-client-id", help="OAuth 2.0 channel: the client id.")]
OAuthClientSecret = Annotated[
    str | None,
    typer.Option(
        "--oauth-client-secret",
        envvar="MOCK_OKTA_OAUTH_CLIENT_SECRET",
        help="client_secret_post: the client secret (never printed).",
    ),
]
OAuthPrivateKey = Annotated[
    str | None,
    typer.Option("--oauth-private-key", help="private_key_jwt: a PEM file with the RSA private key (the hook key)."),
]
OAuthKeyId = Annotated[str | None, typer.Option("--oauth-key-id", help="private_key_jwt: the key's kid.")]
OAuthScope = Annotated[str | None, typer.Option("--oauth-scope", help="OAuth 2.0 channel: the scopes to ask for.")]


def oauth_client(
    token_url: str | None,
    client_id: str | None,
    client_secret: str | None,
    private_key_file: str | None,
    key_id: str | None,
    scope: str | None,
) -> OAuthClient | None:
    """The OAuth client of the --oauth-* options (private_key_jwt when a key is given), or None without them."""
    if not any((token_url, client_id, client_secret, private_key_file, key_id, scope)):
        return None
    if not token_url or not client_id:
        fail("an OAuth 2.0 channel needs --oauth-token-url and --oauth-client-id")
    if client_secret and private_key_file:
        fail("give --oauth-client-secret (client_secret_post) or --oauth-private-key (private_key_jwt), not both")
    private_key = None
    if private_key_file:
        try:
            private_key = Path(private_key_file).read_text()
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read --oauth-private-key {private_key_file}: {getattr(exc, 'strerror', None) or exc}")
        if "PRIVATE KEY-----" not in private_key:
            fail(f"--oauth-private-key {private_key_file} is not a PEM private key")
    return OAuthClient(
        token_url=token_url,
        client_id=client_id,
        auth_type=PRIVATE_KEY_JWT if private_key else CLIENT_SECRET_POST,
        client_secret=client_secret,
        private_key=private_key,
        key_id=key_id,
        scope=scope,
    )


def chosen_type(name: str) -> HookType[Any]:
    """The hook type `--type` names (a short name or Okta's type string)."""
    try:
        return REGISTRY.get(name)
    except UnknownHookType as exc:
        fail(f"--type: {exc}")


HookTypeOption = Annotated[
    str | None,
    typer.Option("--type", help="The hook type's short name or Okta's type string (default: registration)."),
]


def _option_names(problem: str) -> str:
    """The settings' words as the CLI's options are spelled."""
    return problem.replace("timeout:", "--timeout:").replace("maxRetries:", "--retries:")


TIMEOUT_HELP = f"Seconds per attempt (Okta: {DEFAULT_TIMEOUT:g})."
RETRIES_HELP = f"Retries after a timeout, network error or 5xx (Okta: {DEFAULT_MAX_RETRIES})."


@app.command()
def fire(
    hook_url: Annotated[str, typer.Option("--hook-url", help="The hook's URL (https, or http on loopback).")],
    auth_header: Annotated[
        str | None, typer.Option(help="authScheme header, 'Name: value', e.g. 'Authorization: Basic ...'.")
    ] = None,
    header: Annotated[list[str] | None, typer.Option(help="Custom header 'Name: value'; repeatable.")] = None,
    email: Annotated[str | None, typer.Option(help="Email (and login) of the registering user.")] = None,
    domain: Annotated[str | None, typer.Option(help="Email domain for a generated user.")] = None,
    type_name: HookTypeOption = None,
    request_type: Annotated[
        str | None,
        typer.Option(
            help="The kind of request; registration hooks: registration (self.service.registration, the default) "
            "or profile-update (progressive.profile)."
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            help="ie (Identity Engine requests) or classic (Classic Engine: no requestType, registration only)."
        ),
    ] = "ie",
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a request field: dotted.path=value (JSON or text)."),
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for the generated profile (reproducible requests).")] = None,
    locale: Annotated[str, typer.Option(help="Faker locale of generated profiles.")] = "en_US",
    timeout: Annotated[float, typer.Option(help=TIMEOUT_HELP)] = DEFAULT_TIMEOUT,
    retries: Annotated[int, typer.Option(help=RETRIES_HELP)] = DEFAULT_MAX_RETRIES,
    strict_https: Annotated[bool, typer.Option(help="Refuse http:// even on loopback, as Okta does.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document instead of panels.")] = False,
    expect: Annotated[
        str | None,
        typer.Option(help="allow, deny or failure: exit 1 when Okta's outcome differs (a failed call is not a deny)."),
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
    hook_type = chosen_type(type_name) if type_name else REGISTRATION
    case = _expectation(hook_type, expect, expect_message, expect_field, expect_profile or [], max_ms)
    if request_type is not None and request_type not in hook_type.request_kinds:
        fail(f"--request-type must be {' or '.join(hook_type.request_kinds)}, got {request_type!r}")
    if engine not in ENGINES:
        fail(f"--engine must be ie or classic, got {engine!r}")
    if email is not None and domain is not None:
        fail("give --email or --domain, not both")
    settings = call_settings(timeout, retries, strict_https)
    oauth = oauth_client(
        oauth_token_url, oauth_client_id, oauth_client_secret, oauth_private_key, oauth_key_id, oauth_scope
    )
    try:
        config = ChannelConfig.from_header_lines(hook_url, auth_header, header or [], settings, oauth=oauth)
    except ConfigError as exc:
        fail(str(exc))
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

    if count == 1:
        run = run_sync(_fire_one(config, hook_type, requests[0]))
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

    if workers > 1:
        summary = _fire_in_processes(config, hook_type, requests, concurrency, case, workers)
    else:
        summary = _event_loop_run(_fire_many(config, hook_type, requests, concurrency, case, progress=not as_json))
    if as_json:
        print(json.dumps(summary.to_json(), indent=2))
    else:
        render_summary(stdout, summary)
    if summary.mismatches:
        raise typer.Exit(1)


def _expectation(
    hook_type: HookType[Any],
    expect: str | None,
    message: str | None,
    field: str | None,
    profile: list[str],
    max_ms: float | None,
) -> Case | None:
    """What `fire` must see, as a case, from the --expect* options (None when none is given)."""
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
    updates = {}
    for assignment in profile:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            fail(f"--expect-profile expects name=value, got {assignment!r}")
        try:
            updates[name.strip()] = json.loads(value)
        except ValueError:
            updates[name.strip()] = value
    implied = Expect.DENY if message is not None or field is not None else Expect.ALLOW if updates else None
    wanted = Expect(expect.lower()) if expect else implied
    if implied is not None and wanted != implied:
        implied_by = "--expect-message/--expect-field" if implied == Expect.DENY else "--expect-profile"
        fail(f"--expect {wanted} contradicts {implied_by}")
    return RegistrationCase(
        "fire", wanted, profile_updates=updates, message=message, field=field, max_ms=max_ms or float("inf")
    )


def _event_loop_run(coroutine: Any) -> Any:
    """uvloop when available (it comes with uvicorn[standard]): about 10% more registrations per second here."""
    try:
        import uvloop
    except ImportError:
        return run_sync(coroutine)
    return uvloop.run(coroutine)


async def _fire_one(config: ChannelConfig, hook_type: HookType[Any], request: dict[str, Any]) -> HookRun[Any]:
    async with HookChannel(config) as channel:
        return await run_hook(channel, hook_type, request)


async def _fire_many(
    config: ChannelConfig,
    hook_type: HookType[Any],
    requests: list[dict[str, Any]],
    concurrency: int,
    case: Case | None,
    *,
    progress: bool,
) -> LoadSummary:
    outcomes: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    latencies: list[float] = []
    mismatches = 0
    queue = iter(requests)
    bar = Progress(
        TextColumn("firing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        disable=not progress,
        transient=True,
    )
    task = bar.add_task("fire", total=len(requests))

    async def worker() -> None:
        # One channel (one keep-alive connection) per worker: httpcore's shared pool costs O(connections) per
        # request, which made a 32-wide run CPU-bound in the pool itself.
        async with HookChannel(config) as channel:
            for request in queue:
                await one(channel, request)

    async def one(channel: HookChannel, request: dict[str, Any]) -> None:
        nonlocal mismatches
        run = await run_hook(channel, hook_type, request)
        outcomes[run.outcome] += 1
        if run.verdict.failure:
            failures[run.verdict.failure] += 1
        latencies.append(run.exchange.total_ms)
        if case is not None and judge(case, run, timeout=config.timeout):
            mismatches += 1
        bar.advance(task)

    with bar:
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(min(concurrency, len(requests)))))
        seconds = time.perf_counter() - started
    return LoadSummary(len(requests), seconds, dict(outcomes), dict(failures), latencies, mismatches)


# What the forked `fire --workers` processes read: set before the fork, so nothing large is pickled.
_SHARED: dict[str, Any] = {}


def _fire_share(index: int) -> LoadSummary:
    config, hook_type, requests, concurrency, case, workers = (
        _SHARED[key] for key in ("config", "hook_type", "requests", "concurrency", "case", "workers")
    )
    share = requests[index::workers]
    width = max(1, concurrency // workers + (1 if index < concurrency % workers else 0))
    return _event_loop_run(_fire_many(config, hook_type, share, width, case, progress=False))  # type: ignore[no-any-return]


def _fire_in_processes(
    config: ChannelConfig,
    hook_type: HookType[Any],
    requests: list[dict[str, Any]],
    concurrency: int,
    case: Case | None,
    workers: int,
) -> LoadSummary:
    """The requests split over `workers` forked processes; rates over the wall time of them all."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = min(workers, len(requests))
    _SHARED.update(
        config=config, hook_type=hook_type, requests=requests, concurrency=concurrency, case=case, workers=workers
    )
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = list(pool.map(_fire_share, range(workers)))
    seconds = time.perf_counter() - started
    outcomes: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    for part in parts:
        outcomes.update(part.outcomes)
        failures.update(part.failures)
    latencies = [ms for part in parts for ms in part.latencies_ms]
    mismatches = sum(part.mismatches for part in parts)
    return LoadSummary(len(requests), seconds, dict(outcomes), dict(failures), latencies, mismatches)


@app.command()
def load(
    hook_url: Annotated[str | None, typer.Option(help="Load this hook with Okta-exact calls.")] = None,
    org_url: Annotated[
        str | None, typer.Option(help="Instead: whole sign-ups through this mock org's IDX API (and its hook).")
    ] = None,
    auth_header: Annotated[str | None, typer.Option(help="The authScheme header, 'Name: value'.")] = None,
    header: Annotated[list[str] | None, typer.Option(help="A custom channel header; repeatable.")] = None,
    cases: Annotated[Path | None, typer.Option(help="A cases file: calls cycle through its cases.")] = None,
    request_type: Annotated[str, typer.Option(help="registration or profile-update.")] = "registration",
    users: Annotated[int, typer.Option(help="Concurrent simulated users (Locust users).")] = 32,
    spawn_rate: Annotated[float, typer.Option(help="Users started per second.")] = 32.0,
    run_time: Annotated[str, typer.Option(help="How long, e.g. 30s, 2m.")] = "30s",
    workers: Annotated[int, typer.Option(help="Local Locust worker processes (1: no master).")] = 1,
    timeout: Annotated[float, typer.Option(help=TIMEOUT_HELP)] = DEFAULT_TIMEOUT,
    retries: Annotated[int, typer.Option(help=RETRIES_HELP)] = DEFAULT_MAX_RETRIES,
    budget: Annotated[float, typer.Option(help="Latency budget in seconds (default: 80% of --timeout).")] = 0.0,
    max_failures: Annotated[int, typer.Option(help="Failed calls allowed before exit 1.")] = 0,
    max_over_budget: Annotated[int, typer.Option(help="Answers over the budget allowed before exit 1.")] = 0,
    json_file: Annotated[
        str | None, typer.Option(help="Keep the final stats as PREFIX.json (what the table is made of).")
    ] = None,
    csv: Annotated[str | None, typer.Option("--csv", help="Also write Locust's CSV files under this prefix.")] = None,
    html: Annotated[str | None, typer.Option(help="Write Locust's HTML report here.")] = None,
) -> None:
    """Load a hook (or a mock org) with Locust, headless, on this machine; print the outcome table."""
    from .load import check_inputs, json_prefix_for, locust_command, read_report, run_locust

    if (hook_url is None) == (org_url is None):
        fail("give --hook-url (load a hook) or --org-url (sign-ups through a mock org), not both")
    shape, url = ("hook", hook_url) if hook_url else ("signup", org_url)
    assert url is not None
    problem = check_inputs(shape, url, auth_header, header or [], users, workers)
    if problem:
        fail(problem)
    call_settings(timeout, retries, False)
    if request_type not in REGISTRATION.request_kinds:
        fail(f"--request-type: {' or '.join(REGISTRATION.request_kinds)}")
    if cases is not None:
        try:
            load_cases(cases, REGISTRY)
        except (CasesError, OSError) as exc:
            fail(str(exc))
    options = ["--okta-timeout", str(timeout), "--okta-retries", str(retries), "--okta-request-type", request_type]
    options += ["--okta-budget", str(budget)] if budget else []
    options += ["--okta-auth-header", auth_header] if auth_header else []
    options += [part for line in header or [] for part in ("--okta-header", line)]
    options += ["--okta-cases", str(cases)] if cases else []
    prefix = json_prefix_for(json_file)
    command = locust_command(
        shape=shape,
        url=url,
        users=users,
        spawn_rate=spawn_rate,
        run_time=run_time,
        workers=workers,
        json_prefix=prefix,
        csv_prefix=csv,
        html=html,
        okta_options=options,
    )
    code = run_locust(command)
    try:
        report = read_report(prefix)
    except OSError:
        fail(f"Locust ended (exit {code}) without results")
    print(report.table())
    problems = report.problems(max_failures=max_failures, max_over_budget=max_over_budget)
    for found in problems:
        print(f"FAIL {found}")
    raise typer.Exit(1 if problems else 0)


@app.command()
def verify(
    hook_url: Annotated[str, typer.Option("--hook-url", help="The hook's URL (https, or http on loopback).")],
    auth_header: Annotated[
        str | None, typer.Option(help="authScheme header, 'Name: value'; also checks that calls without it fail.")
    ] = None,
    header: Annotated[list[str] | None, typer.Option(help="Custom header 'Name: value'; repeatable.")] = None,
    cases: Annotated[
        str | None, typer.Option(help="YAML cases file (default: the guide's example.com and gmail.com cases).")
    ] = None,
    type_name: HookTypeOption = None,
    junit_xml: Annotated[str | None, typer.Option(help="Also write the results as JUnit XML to this file.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document instead of the table.")] = False,
    timeout: Annotated[float, typer.Option(help=TIMEOUT_HELP)] = DEFAULT_TIMEOUT,
    retries: Annotated[int, typer.Option(help=RETRIES_HELP)] = DEFAULT_MAX_RETRIES,
    strict_https: Annotated[bool, typer.Option(help="Refuse http:// even on loopback, as Okta does.")] = False,
    engine: Annotated[
        str, typer.Option(help="ie or classic: send the requests of an Identity Engine or a Classic Engine org.")
    ] = "ie",
    oauth_token_url: OAuthTokenUrl = None,
    oauth_client_id: OAuthClientId = None,
    oauth_client_secret: OAuthClientSecret = None,
    oauth_private_key: OAuthPrivateKey = None,
    oauth_key_id: OAuthKeyId = None,
    oauth_scope: OAuthScope = None,
) -> None:
    """Verify any hook against Okta's contract: named conformance checks, then your cases. Exit 0 when all pass."""
    from ..hook.cases import new_run_tag
    from ..hook.verify import verify as run_verification
    from .render import render_results

    if engine not in ENGINES:
        fail(f"--engine must be ie or classic, got {engine!r}")
    settings = call_settings(timeout, retries, strict_https)
    oauth = oauth_client(
        oauth_token_url, oauth_client_id, oauth_client_secret, oauth_private_key, oauth_key_id, oauth_scope
    )
    try:
        config = ChannelConfig.from_header_lines(hook_url, auth_header, header or [], settings, oauth=oauth)
        case_set = load_cases(cases, REGISTRY, hook_type=chosen_type(type_name) if type_name else None)
    except (ConfigError, CasesError) as exc:
        fail(str(exc))
    results = run_sync(
        run_verification(config, case_set.hook_type, case_set.cases, run_tag=new_run_tag(), engine=engine)
    )
    if junit_xml:
        from .junit import write_junit

        try:
            write_junit(junit_xml, results, hook_url=hook_url)
        except OSError as exc:
            fail(f"cannot write {junit_xml}: {exc.strerror or exc}")
    if as_json:
        print(json.dumps(_results_json(hook_url, results), indent=2, ensure_ascii=False))
    else:
        render_results(stdout, hook_url, results)
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


@app.command()
def drift(
    folder: Annotated[str, typer.Argument(help="Folder of recorded requests (hook-under-test --record DIR).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Compare requests a hook really received with the contract and the mock's requests: exit 1 on drift."""
    from pathlib import Path

    from ..hook.drift import compare

    path = Path(folder)
    if not path.is_dir():
        fail(f"{folder} is not a folder of recorded requests")
    report = compare(path, REGISTRY)
    if report.records == 0 and not report.findings:
        fail(f"{folder} holds no recorded requests (*.json)")
    if as_json:
        print(json.dumps({"records": report.records, "drift": report.findings}, indent=2))
    else:
        for finding in report.findings:
            print(f"drift: {finding}")
        print(f"{report.records} recorded request(s): {'drift found' if report.drifted else 'no drift'}")
    if report.drifted:
        raise typer.Exit(1)


@app.command()
def schema(which: Annotated[str, typer.Argument(help="request or response")], type_name: HookTypeOption = None) -> None:
    """Print the JSON Schema of a hook type's request or response, for hooks written in any language."""
    hook_type = chosen_type(type_name) if type_name else REGISTRATION
    try:
        print(json.dumps(hook_type.json_schema(which), indent=2))
    except ValueError as exc:
        fail(str(exc))


@app.command()
def demo(
    screenshots: Annotated[str, typer.Option(help="Folder for the browser screenshots.")] = "demo-output",
    engine: Annotated[
        str, typer.Option(help="ie (Identity Engine org) or classic (Classic Engine org, the v1 widget).")
    ] = "ie",
) -> None:
    """Start the sample hook and run the guide's two cases: an example.com address and another domain."""
    from .demo import run_demo

    if engine not in ENGINES:
        fail(f"--engine must be ie or classic, got {engine!r}")
    sys.exit(run_demo(stdout, screenshots, engine))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback unless you say otherwise).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port; 0 picks a free one.")] = 7070,
    db: Annotated[str | None, typer.Option(help="SQLite file that keeps users and hooks across restarts.")] = None,
    api_token: Annotated[
        str | None, typer.Option(envvar="MOCK_OKTA_API_TOKEN", help="SSWS API token (random when not given).")
    ] = None,
    hook_url: Annotated[str | None, typer.Option(help="Attach this registration hook to the policy.")] = None,
    hook_auth_header: Annotated[str | None, typer.Option(help="The hook's authScheme header, 'Name: value'.")] = None,
    sample_hook: Annotated[
        bool, typer.Option(help="Start the sample hook and attach it when no hook is given.")
    ] = True,
    widget: Annotated[str, typer.Option(help="Sign-In Widget generation: gen2 or gen3.")] = "gen2",
    engine: Annotated[
        str,
        typer.Option(help="ie (Identity Engine: IDX sign-up) or classic (Classic Engine self-service registration)."),
    ] = "ie",
    timeout: Annotated[float, typer.Option(help=TIMEOUT_HELP)] = DEFAULT_TIMEOUT,
    retries: Annotated[int, typer.Option(help=RETRIES_HELP)] = DEFAULT_MAX_RETRIES,
    strict_https: Annotated[bool, typer.Option(help="Refuse http:// hooks even on loopback, as Okta does.")] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(help="A host name clients may use besides loopback ones and --host; repeatable."),
    ] = None,
    header_timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds a client has to send its request headers.")
    ] = DEFAULT_HEADER_TIMEOUT,
    max_connections: Annotated[
        int, typer.Option(min=1, help="Connections served at once; more get 503.")
    ] = DEFAULT_MAX_CONNECTIONS,
) -> None:
    """Run the mock Okta org: hosted sign-in page with the genuine widget, IDX sign-up, Management API."""
    from ..org.settings import OrgSettings
    from .serve import run_server

    if widget not in WIDGET_GENERATIONS:
        fail(f"--widget must be gen2 or gen3, got {widget!r}")
    if engine not in ENGINES:
        fail(f"--engine must be ie or classic, got {engine!r}")
    hosts = tuple(h.strip().lower().strip("[]") for h in [host, *(allowed_host or [])] if h.strip())
    settings = OrgSettings(
        call=call_settings(timeout, retries, strict_https), widget=widget, engine=engine, allowed_hosts=hosts
    )
    if api_token:
        settings.api_token = api_token
    try:
        run_server(
            settings,
            host=host,
            port=port,
            db=db,
            hook_url=hook_url,
            hook_auth_header=hook_auth_header,
            sample_hook=sample_hook,
            token_chosen=bool(api_token),
            console=stdout,
            header_timeout=header_timeout,
            max_connections=max_connections,
        )
    except (ConfigError, OSError, sqlite3.DatabaseError) as exc:
        fail(str(exc))


def main() -> None:
    app()
