"""Calling a registration inline hook the way Okta does, and deciding what Okta would do with the answer.

The contract (`contract`), Okta-shaped requests (`payloads`), the HTTP call (`channel`), Okta's decision table
(`verdict`) and the one call-and-decide path (`run`). Nothing here knows about web frameworks, the org or pytest.
"""

from .channel import AuthScheme, ChannelConfig, Failure, HookChannel
from .payloads import build_request, fake_profile, progressive_profile_request, registration_request
from .run import HookRun, run_hook, run_hook_sync
from .settings import CallSettings, ConfigError
from .verdict import EndUserTexts, Registration, Verdict, VerdictRules, decide

__all__ = [
    "AuthScheme",
    "CallSettings",
    "ChannelConfig",
    "ConfigError",
    "EndUserTexts",
    "Failure",
    "HookChannel",
    "HookRun",
    "Registration",
    "Verdict",
    "VerdictRules",
    "build_request",
    "decide",
    "fake_profile",
    "progressive_profile_request",
    "registration_request",
    "run_hook",
    "run_hook_sync",
]
