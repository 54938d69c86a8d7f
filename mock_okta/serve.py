"""`mock-okta serve`: wire store, settings, optional sample hook and policy, then run the org's app."""

from __future__ import annotations

import socket
from contextlib import ExitStack

import uvicorn
from rich.console import Console

from .channel import ChannelConfigError as ConfigError
from .channel import is_loopback, parse_header
from .inline_hooks import HookValidationError, create_hook, http_hook_body
from .server import MockOrg
from .servers import ServerThread
from .settings import MockOktaSettings
from .store import Store

SAMPLE_HOOK_NAME = "Sample registration hook"


def attach_hook(org: MockOrg, name: str, uri: str, auth_header: str | None) -> dict:
    """Create an ACTIVE registration inline hook and attach it to the profile enrollment policy."""
    header = parse_header(auth_header) if auth_header else None
    existing = [h for h in org.store.inline_hooks() if h["name"] == name]
    for hook in existing:  # re-attaching under the same name replaces the old hook
        org.store.delete_inline_hook(hook["id"])
    try:
        hook = create_hook(org.store, org.settings, http_hook_body(name, uri, header))
    except HookValidationError as exc:
        raise ConfigError("; ".join(exc.causes)) from None
    org.store.update_policy(inline_hook_id=hook["id"])
    return hook


def run_server(
    *,
    host: str,
    port: int,
    db: str | None,
    api_token: str | None,
    hook_url: str | None,
    hook_auth_header: str | None,
    sample_hook: bool,
    widget: str,
    timeout: float,
    retries: int,
    strict_https: bool,
    console: Console,
) -> None:
    settings = MockOktaSettings(timeout=timeout, max_retries=retries, strict_https=strict_https, widget=widget)
    if api_token:
        settings.api_token = api_token
    org = MockOrg(Store(db or ":memory:"), settings)
    with ExitStack() as stack:
        policy = org.store.policy()
        attached = org.store.inline_hook(policy.inline_hook_id) if policy.inline_hook_id else None
        if hook_url:
            attach_hook(org, "Registration hook", hook_url, hook_auth_header)
        elif sample_hook and (attached is None or attached["name"] == SAMPLE_HOOK_NAME):
            # With --db the stored sample hook points at the previous run's port: start a new one and re-point it.
            from hook_under_test import HookSettings, create_app

            hook_settings = HookSettings.build()
            server = stack.enter_context(ServerThread(create_app(hook_settings)))
            header = f"{hook_settings.auth_header_name}: {hook_settings.auth_header_value}"
            attach_hook(org, SAMPLE_HOOK_NAME, f"{server.url}/registrationHook", header)
            console.print(
                f"Sample hook      {server.url}/registrationHook (allows {', '.join(hook_settings.allowed_domains)})"
            )
        elif attached is not None and attached["name"] == SAMPLE_HOOK_NAME:
            org.store.update_policy(inline_hook_id=None)  # --no-sample-hook: detach the one a --db remembers
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        bound = sock.getsockname()[1]
        base = f"http://{host}:{bound}"
        policy = org.store.policy()
        hook = org.store.inline_hook(policy.inline_hook_id) if policy.inline_hook_id else None
        console.print(f"Sign-in page     {base}/   (Sign up link; ?widget=gen3 for the third generation)")
        console.print(f"Management API   {base}/api/v1   (Authorization: SSWS <token>)")
        console.print(
            f"Registration hook {hook['channel']['config']['uri'] if hook else 'none: sign-ups are not checked'}"
        )
        if not api_token:
            console.print(f"API token        {settings.api_token}   (set MOCK_OKTA_API_TOKEN to choose one)")
        console.print(f"State            {db or 'in memory (use --db FILE to keep it)'}")
        console.print(f"Admin pages      {base}/admin   Control API {base}/_mock   OpenAPI {base}/_mock/docs")
        if not is_loopback(host):
            console.print(
                f"[bold yellow]Listening on {host}: /admin and /_mock need no token; keep this off shared networks.[/]"
            )
        config = uvicorn.Config(org.app, log_level="warning", access_log=False, lifespan="off")
        uvicorn.Server(config).run(sockets=[sock])
