"""Project-wide pytest settings. The mock-okta fixtures come from the installed plugin (entry point pytest11)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis examples here make real HTTP calls on loopback; keep them bounded and deadline-free.
settings.register_profile("mock-okta", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("mock-okta")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--okta-target",
        choices=("mock", "org"),
        default=os.environ.get("OKTA_TARGET", "mock"),
        help="run e2e Sign Up scenarios against the local mock (default) or a real Okta org "
        "(OKTA_ORG_URL, OKTA_API_TOKEN)",
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium when present (Playwright cannot download its own browser here), quiet and headless."""
    args = {**browser_type_launch_args}
    if os.path.exists(CHROMIUM):
        args["executable_path"] = CHROMIUM
    args["args"] = [*args.get("args", []), "--disable-background-networking", "--no-first-run", "--disable-gpu"]
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Every widget text the tests look for is the en-US one.
    return {**browser_context_args, "locale": "en-US"}
