"""`mock-okta demo`: the guide's two test cases, reproduced with one command."""

from __future__ import annotations

from rich.console import Console
from rich.rule import Rule

from hook_under_test import HookSettings, create_app

from .channel import AuthScheme, ChannelConfig
from .engine import run_hook_sync
from .payloads import build_request
from .render import render_run
from .servers import ServerThread

CASES = (
    ("an example.com address", "example.com", "ALLOW"),
    ("another domain", "gmail.com", "DENY"),
)


def run_demo(console: Console, screenshots: str) -> int:
    settings = HookSettings.build()
    failures = 0
    with ServerThread(create_app(settings)) as hook:
        hook_url = f"{hook.url}/registrationHook"
        console.print(
            f"Sample hook listening on [bold]{hook_url}[/] (allowed domains: {', '.join(settings.allowed_domains)})"
        )
        config = ChannelConfig(hook_url, AuthScheme(settings.auth_header_name, settings.auth_header_value))
        for seed, (label, domain, expected) in enumerate(CASES, start=1):
            console.print(Rule(f"Case {seed}: sign-up with {label}"))
            run = run_hook_sync(config, build_request(domain=domain, seed=seed))
            render_run(console, run, title=f"What Okta does: {run.registration} (expected {expected})")
            failures += run.registration != expected
    console.print(Rule())
    if failures:
        console.print(f"[bold red]{failures} case(s) did not end as the guide expects[/]")
        return 1
    console.print("[bold green]Both cases end as Okta's guide expects: example.com allowed, other domains denied.[/]")
    return 0
