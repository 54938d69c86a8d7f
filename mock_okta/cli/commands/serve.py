"""`mock-okta serve`: the mock org until interrupted (the org, its hook and the server are set up by `..serve`)."""

from __future__ import annotations

from typing import Annotated

import typer

from ...serving.guarded_http import DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_CONNECTIONS
from ..common import call_settings, check_engine, fail
from ..options import OKTA_MAX_RETRIES, OKTA_TIMEOUT, Retries, Timeout, engine_option, strict_https_option


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
        str, engine_option("ie (Identity Engine: IDX sign-up) or classic (Classic Engine self-service registration).")
    ] = "ie",
    timeout: Timeout = OKTA_TIMEOUT,
    retries: Retries = OKTA_MAX_RETRIES,
    strict_https: Annotated[bool, strict_https_option("http:// hooks")] = False,
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
    import sqlite3

    from rich.console import Console

    from ...hook.settings import ConfigError, Engine
    from ...org.settings import WIDGET_GENERATIONS, OrgSettings, WidgetGeneration
    from ..serve import run_server

    if widget not in WIDGET_GENERATIONS:
        fail(f"--widget must be gen2 or gen3, got {widget!r}")
    check_engine(engine)
    hosts = tuple(h.strip().lower().strip("[]") for h in [host, *(allowed_host or [])] if h.strip())
    settings = OrgSettings(
        call=call_settings(timeout, retries, strict_https),
        widget=WidgetGeneration(widget),
        engine=Engine(engine),
        allowed_hosts=hosts,
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
            console=Console(),
            header_timeout=header_timeout,
            max_connections=max_connections,
        )
    except (ConfigError, OSError, sqlite3.DatabaseError) as exc:
        fail(str(exc))
