"""`mock-okta load`: a hook (or a mock org's sign-ups) under Locust, headless, on this machine (`..load` builds and
runs the Locust command), then the outcome table."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Annotated

import typer

from ..common import call_settings, fail
from ..options import OKTA_MAX_RETRIES, OKTA_TIMEOUT, Retries, Timeout


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
    timeout: Timeout = OKTA_TIMEOUT,
    retries: Retries = OKTA_MAX_RETRIES,
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
    from ...hook.cases import CasesError, load_cases
    from ...hooktypes import REGISTRATION, REGISTRY
    from ..load import check_inputs, json_prefix_for, locust_command, read_report, run_locust

    if (hook_url is None) == (org_url is None):
        fail("give --hook-url (load a hook) or --org-url (sign-ups through a mock org), not both")
    shape, url = ("hook", hook_url) if hook_url else ("signup", org_url)
    assert url is not None
    problem = check_inputs(shape, url, auth_header, header or [], users, workers)
    if problem:
        fail(problem)
    if importlib.util.find_spec("locust") is None:  # an extra: a hook's own project rarely needs it
        fail("mock-okta load runs Locust, which is not installed: pip install 'mock-okta[load]'")
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
