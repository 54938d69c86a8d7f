"""Mock Okta for Registration Inline Hooks.

The names below are the public API; each is imported on first use, so `import mock_okta` (and the pytest plugin,
which every pytest run in a project with this package installed loads) costs almost nothing until a test asks.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "AuthScheme",
    "CallSettings",
    "ChannelConfig",
    "EndUserTexts",
    "Failure",
    "HookChannel",
    "HookRun",
    "MockOkta",
    "Registration",
    "Verdict",
    "VerdictRules",
    "assert_allowed",
    "assert_denied",
    "assert_failed",
    "assert_no_violations",
    "build_request",
    "decide",
    "fake_profile",
    "progressive_profile_request",
    "registration_request",
    "run_hook",
    "run_hook_sync",
]
_TESTING = {
    "MockOkta": "mock_okta.testing.harness",
    "assert_allowed": "mock_okta.testing.assertions",
    "assert_denied": "mock_okta.testing.assertions",
    "assert_failed": "mock_okta.testing.assertions",
    "assert_no_violations": "mock_okta.testing.assertions",
}

if TYPE_CHECKING:
    from .hook import (
        AuthScheme,
        CallSettings,
        ChannelConfig,
        EndUserTexts,
        Failure,
        HookChannel,
        HookRun,
        Registration,
        Verdict,
        VerdictRules,
        build_request,
        decide,
        fake_profile,
        progressive_profile_request,
        registration_request,
        run_hook,
        run_hook_sync,
    )
    from .testing.assertions import assert_allowed, assert_denied, assert_failed, assert_no_violations
    from .testing.harness import MockOkta


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'mock_okta' has no attribute {name!r}")
    value = getattr(import_module(_TESTING.get(name, "mock_okta.hook")), name)
    globals()[name] = value
    return value
