"""Project-wide pytest settings. The mock-okta fixtures come from the installed plugin (entry point pytest11)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis examples here make real HTTP calls on loopback; keep them bounded and deadline-free.
settings.register_profile("mock-okta", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("mock-okta")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--okta-target",
        choices=("mock", "org"),
        default=os.environ.get("OKTA_TARGET", "mock"),
        help="run e2e Sign Up scenarios against the local mock (default) or a real Okta org "
        "(OKTA_ORG_URL, OKTA_API_TOKEN)",
    )
