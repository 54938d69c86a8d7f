"""`mock-okta demo`: the guide's two test cases, reproduced with one command, on an Identity Engine org (default)
or a Classic Engine one (`--engine classic`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.rule import Rule

from hook_under_test.running import serve_sample_hook

from ..hook.channel import ChannelConfig
from ..hook.run import run_hook_sync
from ..hook.settings import Engine
from ..hooktypes import REGISTRATION
from ..hooktypes.registration.payloads import build_request
from ..org import Org, OrgSettings
from ..org.web import create_app
from ..org.web.hosted_page import widget_installed
from ..serving.thread import ServerThread
from .render import render_run
from .serve import SAMPLE_HOOK_NAME

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))

CASES = (
    ("an example.com address", "example.com", "ALLOW"),
    ("another domain", "gmail.com", "DENY"),
)


def run_demo(console: Console, screenshots: str, engine: str = "ie") -> int:
    failures = 0
    org_kind = "a Classic Engine org" if engine == Engine.CLASSIC else "an Identity Engine org"
    with serve_sample_hook() as hook:
        hook_url, auth_header = hook.hook_url, hook.auth_header
        console.print(
            f"Sample hook listening on [bold]{hook_url}[/] (allowed domains: {', '.join(hook.allowed_domains)})"
        )
        config = ChannelConfig.from_header_lines(hook_url, auth_header)
        for seed, (label, domain, expected) in enumerate(CASES, start=1):
            console.print(Rule(f"Case {seed}: sign-up with {label} on {org_kind}"))
            run = run_hook_sync(config, REGISTRATION, build_request(domain=domain, seed=seed, engine=engine))
            render_run(console, run, title=f"What Okta does: {run.outcome} (expected {expected})")
            failures += run.outcome != expected
        if engine == Engine.IE:
            failures += _progressive_profile(console, config)
        console.print(Rule("The same two cases in a browser, through the genuine Okta Sign-In Widget"))
        failures += _browser_cases(console, hook_url, auth_header, Path(screenshots), engine)
    console.print(Rule())
    if failures:
        console.print(f"[bold red]{failures} case(s) did not end as the guide expects[/]")
        return 1
    console.print("[bold green]Both cases end as Okta's guide expects: example.com allowed, other domains denied.[/]")
    if engine == Engine.IE:
        console.print("[green]Progressive profile as the guide expects: 4 digits allowed, 2 digits denied.[/]")
        console.print("The same demo on a Classic Engine org: mock-okta demo --engine classic")
    return 0


# The guide's progressive profile case: a newly required employeeNumber, which the hook wants as 4 digits.
PROGRESSIVE_CASES = (("1234", "ALLOW"), ("12", "DENY"))


def _progressive_profile(console: Console, config: ChannelConfig) -> int:
    failures = 0
    for number, expected in PROGRESSIVE_CASES:
        console.print(Rule(f"Progressive profile: a signed-in user gives employeeNumber {number!r}"))
        request = build_request("profile-update", seed=3)
        request["data"]["userProfileUpdate"] = {"employeeNumber": number}  # text, as the sign-in form sends it
        run = run_hook_sync(config, REGISTRATION, request)
        render_run(console, run, title=f"What Okta does: {run.outcome} (expected {expected})")
        failures += run.outcome != expected
    return failures


def _browser_cases(console: Console, hook_url: str, auth_header: str, folder: Path, engine: str) -> int:
    """Sign up through the widget in headless Chromium for both cases; a screenshot of each outcome."""
    if not widget_installed():
        console.print("[yellow]Skipped: the Sign-In Widget is not installed (make widget).[/]")
        return 0
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        from ..testing.pages import SignInPage
    except ImportError:
        console.print("[yellow]Skipped: Playwright is not installed (pip install 'mock-okta[browser]').[/]")
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    org = Org(settings=OrgSettings(engine=Engine(engine)))
    org.inline_hooks.create_and_attach(SAMPLE_HOOK_NAME, hook_url, auth_header)
    failures = 0
    with ServerThread(create_app(org)) as server, sync_playwright() as playwright:
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
                SignInPage(page, server.url + "/", engine=engine)
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
            shot = folder / f"{name}{'-classic' if engine == 'classic' else ''}.png"
            outcome.screenshot(str(shot))
            user = org.store.user(email)
            console.print(
                f"{email}: {f'user created ({user.status})' if user else 'no user created'}; "
                f"{seen}; screenshot [bold]{shot}[/]"
            )
            page.close()
        browser.close()
    return failures
