"""Mock Okta and test harness for Okta's hooks.

The names below are the public API; each is imported on first use, so `import mock_okta` (and the pytest plugin,
which every pytest run in a project with this package installed loads) costs almost nothing until a test asks.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "REGISTRATION",
    "REGISTRY",
    "AuthScheme",
    "CallSettings",
    "ChannelConfig",
    "EndUserTexts",
    "Failure",
    "HookChannel",
    "HookRun",
    "HookType",
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
_REGISTRATION = "mock_okta.hooktypes.registration"
_MODULES = {
    "EndUserTexts": f"{_REGISTRATION}.verdict",
    "Registration": f"{_REGISTRATION}.verdict",
    "Verdict": f"{_REGISTRATION}.verdict",
    "decide": f"{_REGISTRATION}.verdict",
    "build_request": f"{_REGISTRATION}.payloads",
    "fake_profile": f"{_REGISTRATION}.payloads",
    "progressive_profile_request": f"{_REGISTRATION}.payloads",
    "registration_request": f"{_REGISTRATION}.payloads",
    "REGISTRATION": "mock_okta.hooktypes",
    "REGISTRY": "mock_okta.hooktypes",
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
        Failure,
        HookChannel,
        HookRun,
        HookType,
        VerdictRules,
        run_hook,
        run_hook_sync,
    )
    from .hooktypes import REGISTRATION, REGISTRY
    from .hooktypes.registration.payloads import (
        build_request,
        fake_profile,
        progressive_profile_request,
        registration_request,
    )
    from .hooktypes.registration.verdict import EndUserTexts, Registration, Verdict, decide
    from .testing.assertions import assert_allowed, assert_denied, assert_failed, assert_no_violations
    from .testing.harness import MockOkta


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'mock_okta' has no attribute {name!r}")
    value = getattr(import_module(_MODULES.get(name, "mock_okta.hook")), name)
    globals()[name] = value
    return value
