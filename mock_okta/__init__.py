"""Mock Okta for Registration Inline Hooks: the engine (payloads → channel → verdict) and its front doors."""

from .assertions import assert_allowed, assert_denied, assert_no_violations
from .channel import AuthScheme, ChannelConfig, HookChannel
from .engine import HookRun, run_hook, run_hook_sync
from .harness import MockOkta
from .payloads import build_request, fake_profile, progressive_profile_request, registration_request
from .verdict import EndUserTexts, Verdict, VerdictRules, decide

__all__ = [
    "AuthScheme",
    "ChannelConfig",
    "EndUserTexts",
    "HookChannel",
    "HookRun",
    "MockOkta",
    "Verdict",
    "VerdictRules",
    "assert_allowed",
    "assert_denied",
    "assert_no_violations",
    "build_request",
    "decide",
    "fake_profile",
    "progressive_profile_request",
    "registration_request",
    "run_hook",
    "run_hook_sync",
]
