"""`mock-okta demo`: the guide's two test cases, reproduced with one command."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.rule import Rule

from hook_under_test import HookSettings, create_app

from .channel import AuthScheme, ChannelConfig
from .engine import run_hook_sync
from .payloads import build_request
from .render import render_run
from .serve import attach_hook
from .server import MockOrg, widget_dir
from .servers import ServerThread
from .store import Store

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))

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
        auth_header = f"{settings.auth_header_name}: {settings.auth_header_value}"
        config = ChannelConfig(hook_url, AuthScheme(settings.auth_header_name, settings.auth_header_value))
        for seed, (label, domain, expected) in enumerate(CASES, start=1):
            console.print(Rule(f"Case {seed}: sign-up with {label}"))
            run = run_hook_sync(config, build_request(domain=domain, seed=seed))
            render_run(console, run, title=f"What Okta does: {run.registration} (expected {expected})")
            failures += run.registration != expected
        console.print(Rule("The same two cases in a browser, through the genuine Okta Sign-In Widget"))
        failures += _browser_cases(console, hook_url, auth_header, Path(screenshots))
    console.print(Rule())
    if failures:
        console.print(f"[bold red]{failures} case(s) did not end as the guide expects[/]")
        return 1
    console.print("[bold green]Both cases end as Okta's guide expects: example.com allowed, other domains denied.[/]")
    return 0


def _browser_cases(console: Console, hook_url: str, auth_header: str, folder: Path) -> int:
    """Sign up through the widget in headless Chromium for both cases; a screenshot of each outcome."""
    if not (widget_dir() / "js" / "okta-sign-in.min.js").is_file():
        console.print("[yellow]Skipped: the Sign-In Widget is not installed (make widget).[/]")
        return 0
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        from .pages import SignInPage
    except ImportError:
        console.print("[yellow]Skipped: Playwright is not installed (pip install 'mock-okta[test]').[/]")
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    org = MockOrg(Store())
    attach_hook(org, "Sample registration hook", hook_url, auth_header)
    failures = 0
    with ServerThread(org.app) as server, sync_playwright() as playwright:
        launch: dict[str, Any] = {"headless": True, "args": ["--disable-background-networking", "--no-first-run"]}
        if CHROMIUM.exists():
            launch["executable_path"] = str(CHROMIUM)
        try:
            browser = playwright.chromium.launch(**launch)
        except PlaywrightError as exc:
            console.print(
                f"[yellow]Skipped: no browser to run ({str(exc).splitlines()[0]}); make browser installs one.[/]"
            )
            return 0
        for name, domain, expected in (("allowed", "example.com", "ALLOW"), ("denied", "gmail.com", "DENY")):
            page = browser.new_page(locale="en-US")
            email = f"pat.doe@{domain}"
            outcome = (
                SignInPage(page, server.url + "/")
                .open()
                .go_to_sign_up()
                .fill(firstName="Pat", lastName="Doe", email=email)
                .submit()
            )
            try:
                if expected == "ALLOW":
                    outcome.expect_allowed()
                else:
                    outcome.expect_field_error("email", "Only example.com emails can register.")
                seen = "ok"
            except AssertionError as exc:
                failures += 1
                seen = f"[red]unexpected: {str(exc).splitlines()[0]}[/]"
            shot = folder / f"{name}.png"
            outcome.screenshot(str(shot))
            user = org.store.user(email)
            console.print(
                f"{email}: {'user created (' + user['status'] + ')' if user else 'no user created'}; "
                f"{seen}; screenshot [bold]{shot}[/]"
            )
            page.close()
        browser.close()
    return failures
