"""The browser scenarios' fixtures are the packaged ones (`mock_okta.testing.signup_cases`), so this repository
runs its Sign Up scenarios exactly as another project would.

They are imported by their public names rather than listed in `pytest_plugins`: pytest takes that only in the root
conftest.py, where it would hand every test of the repository the shared tab as `page` and the autouse fixture."""

from __future__ import annotations

import pytest

from mock_okta.testing.signup_cases import (
    okta_target,
    page,
    restore_hook_under_test,
    shared_context,
    shared_tab,
    sign_in,
    widget,
)
from mock_okta.testing.targets import Target

__all__ = [
    "okta_target",
    "page",
    "restore_hook_under_test",
    "shared_context",
    "shared_tab",
    "sign_in",
    "widget",
]


@pytest.fixture
def sample_only(okta_target: Target) -> None:
    """The guide's scenarios expect the bundled sample hook's texts; a team's hook runs its cases file instead."""
    if not okta_target.is_sample:
        pytest.skip("a scenario of the bundled sample hook; your hook's behaviour comes from --okta-cases")
