"""`mock-okta serve`: an org with its store, settings and (unless told otherwise) the sample hook attached, served
until interrupted."""

from __future__ import annotations

from contextlib import ExitStack

from rich.console import Console

from hook_under_test.running import serve_sample_hook

from ..hook.channel import is_loopback
from ..hook.settings import Engine
from ..org import Org, OrgSettings, Store
from ..org.web import create_app
from ..serving.guarded_http import DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_CONNECTIONS
from ..serving.server import listening_socket, serve_forever

SAMPLE_HOOK_NAME = "Sample registration hook"


def run_server(
    settings: OrgSettings,
    *,
    host: str,
    port: int,
    db: str | None,
    hook_url: str | None,
    hook_auth_header: str | None,
    sample_hook: bool,
    token_chosen: bool,
    console: Console,
    header_timeout: float = DEFAULT_HEADER_TIMEOUT,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
) -> None:
    org = Org(Store(db or ":memory:"), settings)
    hooks = org.inline_hooks
    with ExitStack() as stack:
        attached = hooks.attached()
        if hook_url:
            hooks.create_and_attach("Registration hook", hook_url, hook_auth_header)
        elif sample_hook and (attached is None or attached.name == SAMPLE_HOOK_NAME):
            # With --db the stored sample hook points at the previous run's port: start a new one and re-point it.
            sample = stack.enter_context(serve_sample_hook())
            hooks.create_and_attach(SAMPLE_HOOK_NAME, sample.hook_url, sample.auth_header)
            console.print(f"Sample hook      {sample.hook_url} (allows {', '.join(sample.allowed_domains)})")
        elif attached is not None and attached.name == SAMPLE_HOOK_NAME:
            hooks.detach()  # --no-sample-hook: detach the one a --db remembers
        sock = stack.enter_context(listening_socket(host, port))
        base = f"http://{host}:{sock.getsockname()[1]}"
        hook = hooks.attached()
        if settings.engine == Engine.CLASSIC:
            console.print(f"Sign-in page     {base}/   (Classic Engine: the v1 widget's Sign up link, Create Account)")
            console.print(f"Registration     {base}/admin/self-service-registration   Mailbox {base}/_mock/mailbox?to=")
        else:
            console.print(f"Sign-in page     {base}/   (Sign up link; ?widget=gen3 for the third generation)")
        console.print(f"Management API   {base}/api/v1   (Authorization: SSWS <token>)")
        console.print(f"Registration hook {hook.channel.uri if hook else 'none: sign-ups are not checked'}")
        if not token_chosen:
            console.print(f"API token        {settings.api_token}   (set MOCK_OKTA_API_TOKEN to choose one)")
        console.print(f"State            {db or 'in memory (use --db FILE to keep it)'}")
        console.print(f"Admin pages      {base}/admin   Control API {base}/_mock   OpenAPI {base}/_mock/docs")
        if not is_loopback(host):
            console.print(
                f"[bold yellow]Listening on {host}: /admin and /_mock need no token; keep this off shared networks.[/]"
            )
        serve_forever(create_app(org), sock, header_timeout=header_timeout, max_connections=max_connections)
